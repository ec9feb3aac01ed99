"""Rule validation_panel: the locked panel applied to the validation cohort."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_panel:run_validation_panel",
    snakemake.log[0],
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    transformed_path=snakemake.input.transformed,
    out_panel=snakemake.output.panel,
    out_predictions=snakemake.output.predictions,
)
