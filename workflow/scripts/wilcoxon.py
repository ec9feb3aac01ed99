"""Rule wilcoxon: Shapiro-Wilk and Wilcoxon-Mann-Whitney per miRNA, BH."""

from mirflow.steps.runner import run
from mirflow.steps.wilcoxon import run_wilcoxon

run(
    run_wilcoxon,
    snakemake.log[0],
    normalised_path=snakemake.input.normalised,
    covariates_path=snakemake.input.covariates,
    out=snakemake.output[0],
)
