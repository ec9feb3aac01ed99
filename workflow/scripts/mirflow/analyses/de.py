"""Differential expression stage (SPEC stage 4): which fit screens, the candidate table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.settings import DESettings


def screening_fits(
    wilcoxon: pd.DataFrame, deseq2: tuple[pd.DataFrame, pd.DataFrame] | None, screen: str
) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
    """(screening fit, the other fit or None, its name) for ``de.screen``.

    ``deseq2`` is (adjusted, unadjusted), or None for ``kind: expression``, where the
    Wilcoxon test screens on the log2 ratio of group medians.
    """
    if deseq2 is None:
        return wilcoxon.assign(log2_fold_change=wilcoxon["log2_median_ratio"]), None, "wilcoxon"
    adjusted, unadjusted = deseq2
    if screen == "adjusted":
        return adjusted, unadjusted, "adjusted"
    return unadjusted, adjusted, "unadjusted"


def candidates(
    screen: pd.DataFrame, other: pd.DataFrame | None, settings: DESettings, screened_by: str
) -> pd.DataFrame:
    """miRNAs with padj < alpha and |log2FC| >= min_log2_fold_change in the screening fit.

    ``screened_by`` is ``unadjusted``, ``adjusted`` (DESeq2 fits) or ``wilcoxon``
    (``kind: expression``: fold change of group medians). Columns: the unadjusted
    (or Wilcoxon) fold change and padj, then the adjusted fit's (``adjusted_*``), NA
    where that fit does not exist; sorted by padj.
    """
    hit = screen[
        (screen["p_adjusted"] < settings.alpha)
        & (screen["log2_fold_change"].abs() >= settings.min_log2_fold_change)
    ]
    hit = hit.sort_values(["p_adjusted", "mirna"], kind="stable")
    unadjusted, adjusted = (other, screen) if screened_by == "adjusted" else (screen, other)
    pick = hit["mirna"]
    out = pd.DataFrame({"mirna": pick.to_numpy()})
    for prefix, fit in (("", unadjusted), ("adjusted_", adjusted)):
        indexed = fit.set_index("mirna") if fit is not None else None
        for column in ("log2_fold_change", "p_adjusted"):
            out[prefix + column] = indexed.loc[pick, column].to_numpy() if indexed is not None else np.nan
    out["screened_by"] = screened_by
    return out
