"""Differential expression stage (SPEC stage 4): which fit screens, the candidate table and
the seed's Table 4."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.groups import CASE, CONTROL
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


def _summary(values: np.ndarray) -> str:
    return f"{np.median(values):.1f} ({values.min():.1f}-{values.max():.1f})"


def table4(
    values: pd.DataFrame, labels: pd.Series, wilcoxon: pd.DataFrame, mirnas: list[str]
) -> pd.DataFrame:
    """The seed's Table 4: median (min-max) per group and overall, Wilcoxon p and BH p,
    one row per miRNA, sorted by name as the seed sorts them."""
    tests = wilcoxon.set_index("mirna")
    rows = []
    for mirna in sorted(mirnas):
        row = values.loc[mirna]
        rows.append(
            {
                "mirna": mirna,
                "control": _summary(row[labels[row.index] == CONTROL].to_numpy(dtype=float)),
                "case": _summary(row[labels[row.index] == CASE].to_numpy(dtype=float)),
                "overall": _summary(row.to_numpy(dtype=float)),
                "p_value": tests.at[mirna, "p_value"],
                "p_adjusted": tests.at[mirna, "p_adjusted"],
            }
        )
    return pd.DataFrame(rows, columns=["mirna", "control", "case", "overall", "p_value", "p_adjusted"])
