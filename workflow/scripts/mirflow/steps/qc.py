"""Steps of rules qc (QC metrics, exclusions with reasons) and qc_figures (PCA and the QC
figures, apart so that the analysis need not wait for the drawing)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots import qc as qc_plots
from mirflow.plots.common import save
from mirflow.settings import ContrastSettings, QCSettings
from mirflow.stats import qc
from mirflow.steps.common import sheet_and_labels

log = logging.getLogger(__name__)


def run_qc(
    settings: QCSettings,
    contrast: ContrastSettings,
    is_counts: bool,
    samples_path: str,
    counts_path: str,
    out_samples: str,
) -> None:
    """QC metrics and exclusions with reasons."""
    sheet, labels = sheet_and_labels(samples_path, contrast)
    counts = read_tsv(counts_path, index_col="mirna")
    metrics = qc.qc_metrics(counts, settings.hemolysis_numerator, settings.hemolysis_denominator)
    min_size = settings.min_library_size if is_counts else None
    table = qc.exclusion_reasons(metrics, labels, min_size, settings.max_hemolysis_log2, settings.exclude)
    outside = table["reason"] == "not in contrast"
    if outside.any():
        log.info(
            "%d sample(s) not in the contrast (%s neither %s nor %s): %s",
            int(outside.sum()),
            contrast.column,
            contrast.case,
            contrast.control,
            ", ".join(table.loc[outside, "sample"]),
        )
    for row in table[table["excluded"] & ~outside].itertuples():
        log.warning("excluded %s: %s", row.sample, row.reason)
    kept = table.loc[~table["excluded"], "sample"]
    log.info(
        "QC: %d of %d samples kept (%d case, %d control)",
        len(kept),
        len(table),
        int((labels[kept] == CASE).sum()),
        int((labels[kept] == CONTROL).sum()),
    )
    for level in (CASE, CONTROL):
        if not (labels[kept] == level).any():
            raise InputError(
                samples_path, f"no {level} sample is left after QC", "check qc thresholds and qc.exclude"
            )
    write_tsv(table.assign(group=sheet[contrast.column].to_numpy()), out_samples)


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
