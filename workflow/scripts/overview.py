"""Rule overview: the run's headline results (the report's front page)."""

from mirflow.settings import DESettings
from mirflow.steps.overview import write_overview
from mirflow.steps.runner import run

run(
    write_overview,
    snakemake.log[0],
    qc_path=snakemake.input.qc,
    candidates_path=snakemake.input.candidates,
    roc_path=snakemake.input.roc,
    panel_path=snakemake.input.panel,
    km_path=snakemake.input.get("km"),
    de=DESettings.from_params(snakemake.params.de),
    validation_paths={
        key.removeprefix("validation_"): path
        for key, path in snakemake.input.items()
        if key.startswith("validation_")
    },
    simulated=snakemake.params.simulated,
    plan_path=snakemake.input.get("plan"),
    out=snakemake.output[0],
)
