"""Rule validation_results: the locked markers, panel and prognostic cut-offs on the new cohort."""

from mirflow.steps.runner import run
from mirflow.steps.validation_results import run_validation_results

run(
    run_validation_results,
    snakemake.log[0],
    prevalence=snakemake.params.prevalence,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    transformed_path=snakemake.input.transformed,
    covariates_path=snakemake.input.covariates,
    out_markers=snakemake.output.markers,
    out_calls=snakemake.output.calls,
    out_panel=snakemake.output.panel,
    out_predictions=snakemake.output.predictions,
    out_km=snakemake.output.km,
    out_table5=snakemake.output.table5,
    out_decision=snakemake.output.decision,
    out_calibration=snakemake.output.calibration,
)
