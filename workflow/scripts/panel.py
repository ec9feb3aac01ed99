"""Rule panel: cross-validated AUC of the multi-marker panel."""

from mirflow.diagnostic_steps import run_panel
from mirflow.runner import run

run(
    run_panel,
    snakemake.log[0],
    config=snakemake.config,
    transformed_path=snakemake.input.transformed,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    out_panel=snakemake.output.panel,
    out_predictions=snakemake.output.predictions,
)
