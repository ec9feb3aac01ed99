"""Rule diagnostic_figures: ROC curves, panel ROC and forest plot."""

from mirflow.settings import ContrastSettings
from mirflow.steps.diagnostic_figures import run_diagnostic_figures
from mirflow.steps.runner import run

run(
    run_diagnostic_figures,
    snakemake.log[0],
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    covariates=snakemake.params.covariates,
    normalised_path=snakemake.input.normalised,
    roc_path=snakemake.input.roc,
    logistic_path=snakemake.input.logistic,
    markers_path=snakemake.input.markers,
    panel_path=snakemake.input.panel,
    predictions_path=snakemake.input.predictions,
    covariates_path=snakemake.input.covariates,
    figures={name: snakemake.output[name] for name in snakemake.output.keys()},
)
