"""Rule validation_markers: the locked markers at their locked cut-offs."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_markers:run_validation_markers",
    snakemake.log[0],
    prevalence=snakemake.params.prevalence,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    out_markers=snakemake.output.markers,
    out_calls=snakemake.output.calls,
)
