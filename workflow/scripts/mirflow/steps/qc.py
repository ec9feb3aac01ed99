"""Step of rule qc: QC metrics and exclusions with reasons (the PCA and the figures are
rule qc_figures, apart so that the analysis need not wait for the drawing)."""

from __future__ import annotations

import logging

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.io.tables import read_tsv, write_tsv
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
    settings_named: str = "the qc thresholds and qc.exclude",
) -> None:
    """QC metrics and exclusions with reasons (``settings_named``: where the thresholds and
    hand exclusions come from, for the message when a group is left empty)."""
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
                samples_path,
                f"no {level} sample is left after QC (see the reasons above)",
                f"check {settings_named}",
            )
    write_tsv(table.assign(group=sheet[contrast.column].to_numpy()), out_samples)
