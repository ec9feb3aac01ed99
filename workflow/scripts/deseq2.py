"""Rule deseq2: Wald tests, unadjusted and covariate-adjusted."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.deseq2:run_deseq2",
    snakemake.log[0],
    alpha=snakemake.params.alpha,
    samples_path=snakemake.input.samples,
    raw_path=snakemake.input.raw,
    normalised_path=snakemake.input.normalised,
    covariates_path=snakemake.input.covariates,
    out_adjusted=snakemake.output.adjusted,
    out_unadjusted=snakemake.output.unadjusted,
    threads=snakemake.threads,
)
