"""Rule qc_figures: PCA of the libraries and the QC figures."""

from mirflow.settings import ContrastSettings, QCSettings
from mirflow.steps.qc_figures import run_qc_figures
from mirflow.steps.runner import run

run(
    run_qc_figures,
    snakemake.log[0],
    settings=QCSettings.from_params(snakemake.params.qc),
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    is_counts=snakemake.params.kind == "counts",
    samples_path=snakemake.input.samples,
    counts_path=snakemake.input.counts,
    qc_path=snakemake.input.qc,
    out_pca=snakemake.output.pca,
    fig_qc=snakemake.output.fig_qc,
    fig_pca=snakemake.output.fig_pca,
)
