"""Rule sample_size: the validation's sample size per target and criterion, from the lock."""

from mirflow.settings import PlanSettings
from mirflow.steps.planning import run_sample_size
from mirflow.steps.runner import run

run(
    run_sample_size,
    snakemake.log[0],
    settings=PlanSettings.for_sample_size(snakemake.params.plan),
    lock_path=snakemake.input.lock,
    panel_path=snakemake.input.panel,
    covariates_path=snakemake.input.covariates,
    bootstrap_path=snakemake.input.bootstrap,
    transformed_path=snakemake.input.get("transformed"),
    predictions_path=snakemake.input.get("predictions"),
    km_path=snakemake.input.get("km"),
    out=snakemake.output[0],
)
