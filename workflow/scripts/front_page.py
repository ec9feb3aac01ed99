"""Rule front_page: the report's front page, from the run's own settings and inputs."""

from mirflow.steps.front_page import write_front_page
from mirflow.steps.runner import run

run(
    write_front_page,
    snakemake.log[0],
    discovery=snakemake.params.discovery,
    validation=snakemake.params.validation,
    simulated=snakemake.params.simulated,
    overlap_path=snakemake.input.get("overlap"),
    covariates_path=snakemake.input.get("covariates"),
    out=snakemake.output[0],
)
