"""Rule deseq2: the DESeq2 Wald test of one design (unadjusted or covariate-adjusted)."""

from mirflow.steps.deseq2 import run_deseq2
from mirflow.steps.runner import run

run(
    run_deseq2,
    snakemake.log[0],
    design=snakemake.params.design,
    alpha=snakemake.params.alpha,
    samples_path=snakemake.input.samples,
    raw_path=snakemake.input.raw,
    normalised_path=snakemake.input.normalised,
    covariates_path=snakemake.input.covariates,
    out=snakemake.output[0],
    threads=snakemake.threads,
)
