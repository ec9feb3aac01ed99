"""Steps of the differential-expression stage (SPEC stage 4): read, analyse, write."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from mirflow.analyses import de
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import DESettings
from mirflow.stats import deseq2, wilcoxon

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
    frame, formula, _ = deseq2.design_frame(labels, None)
    log.info("DESeq2 %s on %d miRNAs x %d samples", deseq2.design_label({}), *counts[frame.index].shape)
    unadjusted = deseq2.run_deseq2(counts, frame, formula, alpha, threads)
    adjusted = unadjusted
    if covariates.shape[1]:
        frame, formula, names = deseq2.design_frame(labels, covariates)
        deseq2.check_full_rank(frame, formula, names, samples_path)
        log.info("DESeq2 %s on %d samples", deseq2.design_label(names), len(frame))
        adjusted = deseq2.run_deseq2(counts, frame, formula, alpha, threads)
    for name, table in (("unadjusted", unadjusted), ("adjusted", adjusted)):
        log.info("%s fit: %d miRNAs with padj < %g", name, int((table["p_adjusted"] < alpha).sum()), alpha)
    write_tsv(adjusted, out_adjusted)
    write_tsv(unadjusted, out_unadjusted)


def run_wilcoxon(normalised_path: str, covariates_path: str, out: str) -> None:
    """Shapiro-Wilk and Wilcoxon-Mann-Whitney per miRNA on normalised values, BH."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")[labels.index]
    write_tsv(wilcoxon.wilcoxon_table(values, labels), out)


def run_candidates(
    settings: DESettings,
    wilcoxon_path: str,
    normalised_path: str,
    covariates_path: str,
    out_candidates: str,
    out_table4: str,
    deseq2_paths: Sequence[str] = (),
) -> None:
    """Candidates from the fit named by ``de.screen`` (Wilcoxon for expression values)
    and the seed's Table 4 for them. ``deseq2_paths``: (adjusted, unadjusted) or empty."""
    tests = read_tsv(wilcoxon_path)
    fits = tuple(read_tsv(p) for p in deseq2_paths) if deseq2_paths else None
    screen, other, screened_by = de.screening_fits(tests, fits, settings.screen)
    found = de.candidates(screen, other, settings, screened_by)
    log.info(
        "%d candidate miRNAs (%s: padj < %g, |log2FC| >= %g)",
        len(found),
        screened_by,
        settings.alpha,
        settings.min_log2_fold_change,
    )
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")[labels.index]
    write_tsv(found, out_candidates)
    write_tsv(wilcoxon.table4(values, labels, tests, found["mirna"].tolist()), out_table4)
