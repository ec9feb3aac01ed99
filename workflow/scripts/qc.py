"""Rule qc: QC metrics, exclusions, PCA and QC figures."""

from mirflow.runner import run
from mirflow.steps import run_qc

run(
    run_qc,
    snakemake.log[0],
    config=snakemake.config,
    counts_path=snakemake.input.counts,
    out_samples=snakemake.output.samples,
    out_pca=snakemake.output.pca,
    fig_qc=snakemake.output.fig_qc,
    fig_pca=snakemake.output.fig_pca,
)
