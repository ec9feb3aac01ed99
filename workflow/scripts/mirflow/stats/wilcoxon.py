"""The seed's per-miRNA tests: Shapiro-Wilk per group, Wilcoxon-Mann-Whitney, BH."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from mirflow.groups import CASE, CONTROL
from mirflow.stats.group_tests import mann_whitney_p

COLUMNS = [
    "mirna",
    "control_median",
    "control_min",
    "control_max",
    "case_median",
    "case_min",
    "case_max",
    "shapiro_p",
    "p_value",
    "p_adjusted",
]


def shapiro_p(values: np.ndarray) -> float:
    """Shapiro-Wilk p; NaN where R's ``shapiro.test`` refuses (n < 3 or all equal)."""
    values = values[~np.isnan(values)]
    if len(values) < 3 or np.ptp(values) == 0:
        return float("nan")
    return float(stats.shapiro(values).pvalue)


def bh(p_values: pd.Series) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values (R's ``p.adjust(method = "BH")``); NaN stays NaN."""
    adjusted = pd.Series(np.nan, index=p_values.index)
    present = p_values.notna()
    if present.any():
        adjusted[present] = multipletests(p_values[present], method="fdr_bh")[1]
    return adjusted


def wilcoxon_table(values: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Per miRNA: group medians and ranges, Shapiro-Wilk, Wilcoxon-Mann-Whitney, BH.

    ``shapiro_p`` is the smaller of the two groups' p-values (normality is rejected
    when either group rejects it); the per-group values are in ``shapiro_p_control``
    and ``shapiro_p_case``. ``log2_median_ratio`` = log2(case median / control median),
    NaN when a median is 0: the fold change of ``kind: expression`` candidates.
    """
    groups = {g: values.loc[:, labels[values.columns] == g].to_numpy(dtype=float) for g in (CONTROL, CASE)}
    rows = {"mirna": values.index.astype(str)}
    for group, matrix in groups.items():
        rows[f"{group}_median"] = np.median(matrix, axis=1)
        rows[f"{group}_min"] = matrix.min(axis=1)
        rows[f"{group}_max"] = matrix.max(axis=1)
    table = pd.DataFrame(rows)
    for group, matrix in groups.items():
        table[f"shapiro_p_{group}"] = [shapiro_p(row) for row in matrix]
    table["shapiro_p"] = table[["shapiro_p_control", "shapiro_p_case"]].min(axis=1, skipna=False)
    table["p_value"] = [mann_whitney_p(c, k) for c, k in zip(groups[CASE], groups[CONTROL], strict=True)]
    table["p_adjusted"] = bh(table["p_value"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log2(table["case_median"] / table["control_median"])
    table["log2_median_ratio"] = ratio.where(np.isfinite(ratio))
    return table[[*COLUMNS, "shapiro_p_control", "shapiro_p_case", "log2_median_ratio"]]
