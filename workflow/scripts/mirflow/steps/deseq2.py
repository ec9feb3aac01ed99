"""Step of rule deseq2: the DESeq2 Wald tests, unadjusted and covariate-adjusted."""

from __future__ import annotations

import logging

from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.stats import deseq2, deseq2_design

log = logging.getLogger(__name__)


def run_deseq2(
    alpha: float,
    samples_path: str,
    raw_path: str,
    normalised_path: str,
    covariates_path: str,
    out_adjusted: str,
    out_unadjusted: str,
    threads: int = 1,
) -> None:
    """DESeq2 Wald tests: ``~ contrast`` and, with covariates, ``~ covariates + contrast``.

    Without covariates both files hold the one ``~ contrast`` fit. ``samples_path``
    only names the sheet in the message about a confounded design.
    """
    covariates, labels = read_design(covariates_path)
    kept = read_tsv(normalised_path, index_col="mirna").index
    counts = read_tsv(raw_path, index_col="mirna").loc[kept]
    frame, formula, _ = deseq2_design.design_frame(labels, None)
    log.info(
        "DESeq2 %s on %d miRNAs x %d samples", deseq2_design.design_label({}), *counts[frame.index].shape
    )
    unadjusted = deseq2.run_deseq2(counts, frame, formula, alpha, threads)
    adjusted = unadjusted
    if covariates.shape[1]:
        frame, formula, names = deseq2_design.design_frame(labels, covariates)
        deseq2_design.check_full_rank(frame, formula, names, samples_path)
        log.info("DESeq2 %s on %d samples", deseq2_design.design_label(names), len(frame))
        adjusted = deseq2.run_deseq2(counts, frame, formula, alpha, threads)
    for name, table in (("unadjusted", unadjusted), ("adjusted", adjusted)):
        log.info("%s fit: %d miRNAs with padj < %g", name, int((table["p_adjusted"] < alpha).sum()), alpha)
    write_tsv(adjusted, out_adjusted)
    write_tsv(unadjusted, out_unadjusted)
