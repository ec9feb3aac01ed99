"""Rule panel: cross-validated AUC of the multi-marker panel."""

from mirflow.settings import PanelSettings
from mirflow.steps.panel import run_panel
from mirflow.steps.runner import run

run(
    run_panel,
    snakemake.log[0],
    settings=PanelSettings.from_params(snakemake.params.panel),
    seed=snakemake.params.seed,
    transformed_path=snakemake.input.transformed,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    out_panel=snakemake.output.panel,
    out_predictions=snakemake.output.predictions,
    out_model=snakemake.output.model,
)
