"""Two-group tests with R's defaults, so the p-values match what reviewers compute."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def mann_whitney_p(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided Wilcoxon-Mann-Whitney p as R's ``wilcox.test`` gives it.

    R uses the exact distribution when both groups have < 50 values and there are no
    ties, otherwise the normal approximation with tie and continuity correction.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if len(x) == 0 or len(y) == 0:
        return float("nan")
    pooled = np.concatenate([x, y])
    exact = len(x) < 50 and len(y) < 50 and len(np.unique(pooled)) == len(pooled)
    method = "exact" if exact else "asymptotic"
    return float(stats.mannwhitneyu(x, y, alternative="two-sided", method=method, use_continuity=True).pvalue)


def contingency_test(table: pd.DataFrame) -> tuple[float, str]:
    """p-value and test name for a levels x groups table of counts.

    Pearson's chi-square without continuity correction (Stata's and the seed's
    choice); Fisher's exact test for a 2x2 table with any expected count < 5. Larger
    tables with small expected counts keep the chi-square and say so.
    """
    observed = table.to_numpy(dtype=float)
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    if observed.shape[0] < 2 or observed.shape[1] < 2:
        return float("nan"), "-"
    result = stats.chi2_contingency(observed, correction=False)
    if (result.expected_freq < 5).any():
        if observed.shape == (2, 2):
            return float(stats.fisher_exact(observed).pvalue), "Fisher's exact"
        return float(result.pvalue), "chi-square (expected count < 5)"
    return float(result.pvalue), "chi-square"
