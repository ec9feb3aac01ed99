"""Rule validation_time_roc: AUC(t) and Uno's C of the locked scores on the validation cohort."""

from mirflow.steps.runner import run
from mirflow.steps.validation_time_roc import run_validation_time_roc

run(
    run_validation_time_roc,
    snakemake.log[0],
    time_grid=snakemake.params.time_grid,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    transformed_path=snakemake.input.transformed,
    out_time_roc=snakemake.output.time_roc,
    out_concordance=snakemake.output.concordance,
)
