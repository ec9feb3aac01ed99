"""Step of rule candidates: the candidate screen and the seed's Table 4."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from mirflow.analyses import de
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import DESettings

log = logging.getLogger(__name__)


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
    write_tsv(de.table4(values, labels, tests, found["mirna"].tolist()), out_table4)
