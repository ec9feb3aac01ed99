"""Rule deseq2: Wald tests, unadjusted and covariate-adjusted."""

from mirflow.de_steps import run_deseq2
from mirflow.runner import run

run(
    run_deseq2,
    snakemake.log[0],
    config=snakemake.config,
    raw_path=snakemake.input.raw,
    normalised_path=snakemake.input.normalised,
    covariates_path=snakemake.input.covariates,
    out_adjusted=snakemake.output.adjusted,
    out_unadjusted=snakemake.output.unadjusted,
    threads=snakemake.threads,
)
