"""Step of rule qc_figures: the PCA of the libraries and the QC and PCA figures."""

from __future__ import annotations

from collections.abc import Sequence

from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots import qc as qc_plots
from mirflow.plots.common import save
from mirflow.settings import ContrastSettings, QCSettings
from mirflow.stats import qc
from mirflow.steps.common import sheet_and_labels


def run_qc_figures(
    settings: QCSettings,
    contrast: ContrastSettings,
    is_counts: bool,
    samples_path: str,
    counts_path: str,
    qc_path: str,
    out_pca: str,
    fig_qc: Sequence[str],
    fig_pca: Sequence[str],
) -> None:
    """PCA of the libraries (log2 CPM for counts), and the QC and PCA figures of the QC
    table (``qc_path``)."""
    _, labels = sheet_and_labels(samples_path, contrast)
    counts = read_tsv(counts_path, index_col="mirna")
    table = read_tsv(qc_path).drop(columns="group")
    values = qc.log_cpm(counts) if is_counts else counts
    scores, variance = qc.pca_scores(values)
    write_tsv(scores.reset_index(), out_pca)
    names = contrast.names
    min_size = settings.min_library_size if is_counts else None
    save(qc_plots.qc_overview(table, labels, names, min_size, settings.max_hemolysis_log2), *fig_qc)
    save(qc_plots.pca_plot(scores, variance, table, labels, names), *fig_pca)
