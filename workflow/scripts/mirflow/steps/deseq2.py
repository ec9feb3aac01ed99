"""Step of rule deseq2: one DESeq2 Wald test per job, ``~ contrast`` (unadjusted) or
``~ covariates + contrast`` (adjusted); the two designs are two jobs of the rule."""

from __future__ import annotations

import logging

from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.stats import deseq2, deseq2_design

log = logging.getLogger(__name__)
DESIGNS = ("unadjusted", "adjusted")


def run_deseq2(
    design: str,
    alpha: float,
    samples_path: str,
    raw_path: str,
    normalised_path: str,
    covariates_path: str,
    out: str,
    threads: int = 1,
) -> None:
    """The DESeq2 fit of ``design`` (one of :data:`DESIGNS`) on the filtered raw counts.
    ``samples_path`` only names the sheet in the message about a confounded design."""
    covariates, labels = read_design(covariates_path)
    kept = read_tsv(normalised_path, index_col="mirna").index
    counts = read_tsv(raw_path, index_col="mirna").loc[kept]
    frame, formula, names = deseq2_design.design_frame(labels, covariates if design == "adjusted" else None)
    if design == "adjusted":
        deseq2_design.check_full_rank(frame, formula, names, samples_path)
    log.info(
        "DESeq2 %s on %d miRNAs x %d samples", deseq2_design.design_label(names), len(counts), len(frame)
    )
    table = deseq2.run_deseq2(counts, frame, formula, alpha, threads)
    log.info("%s fit: %d miRNAs with padj < %g", design, int((table["p_adjusted"] < alpha).sum()), alpha)
    write_tsv(table, out)
