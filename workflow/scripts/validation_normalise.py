"""Rule validation_normalise: normalise the validation cohort against the locked reference."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_normalise:run_validation_normalise",
    snakemake.log[0],
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    counts_path=snakemake.input.counts,
    qc_path=snakemake.input.qc,
    out_normalised=snakemake.output.normalised,
    out_transformed=snakemake.output.transformed,
    out_size_factors=snakemake.output.size_factors,
)
