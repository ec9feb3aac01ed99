"""Rule time_roc_figures: the AUC(t) figure per endpoint."""

from mirflow.steps.runner import run
from mirflow.steps.time_roc_figures import run_time_roc_figures

run(
    run_time_roc_figures,
    snakemake.log[0],
    time_roc_path=snakemake.input.time_roc,
    figures={name: snakemake.output[name] for name in snakemake.output.keys()},
)
