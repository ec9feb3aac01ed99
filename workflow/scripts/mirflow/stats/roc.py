"""ROC analysis as pROC does it: AUC, DeLong and bootstrap CIs, cut-offs, paired tests.

No maintained Python package implements DeLong's method; these numpy versions follow
DeLong et al. (1988) and Sun & Xu (2014) and match pROC to ~1e-15. Every count of values
below, at or above a value comes from a binary search in the sorted values (O(n log n)),
never from a cases x controls (or thresholds x samples) comparison matrix, so that
thousands of libraries cost seconds; the counts are exact integers, so the results are
the same numbers as the matrix's means. Cut-offs are observed values (pROC reports
midpoints between observed values; the sensitivity and specificity are the same).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from mirflow.registry import Registry

# scipy.special, not scipy.stats (a third of the import time): the same functions that
# scipy.stats.norm calls, so the same numbers.
Z95 = special.ndtri(0.975)


def direction(cases: np.ndarray, controls: np.ndarray) -> str:
    """pROC's ``direction = "auto"``: ``<`` when cases are higher (median of controls <=
    median of cases), ``>`` when cases are lower."""
    return "<" if np.median(controls) <= np.median(cases) else ">"


def _oriented(values: np.ndarray, way: str) -> np.ndarray:
    return values if way == "<" else -values


def _placement(values: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Per value, the fraction of ``others`` below it, ties counting 1/2. Twice that
    count (the number below plus the number at most) is an exact integer from a binary
    search, so the fraction is the same float as the mean of the 0 / 1/2 / 1 comparisons
    with every other value, at O(n log n) instead of a values x others matrix."""
    ordered = np.sort(others)
    twice = np.searchsorted(ordered, values, side="left") + np.searchsorted(ordered, values, side="right")
    return twice / (2 * len(others))


def placements(cases: np.ndarray, controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's structural components: per case, the fraction of controls below it
    (ties count 1/2); per control, the fraction of cases above it."""
    return _placement(cases, controls), _placement(-controls, -cases)


def auc(cases: np.ndarray, controls: np.ndarray, way: str = "<") -> float:
    """Area under the ROC curve (Mann-Whitney estimate) in the given direction."""
    return float(_placement(_oriented(cases, way), _oriented(controls, way)).mean())


def delong_variance(cases: np.ndarray, controls: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUCs and DeLong covariance matrix for several markers on the same samples.

    ``cases`` and ``controls`` are (markers x samples), already oriented.
    """
    v10 = []
    v01 = []
    for case_row, control_row in zip(cases, controls, strict=True):
        a, b = placements(case_row, control_row)
        v10.append(a)
        v01.append(b)
    v10, v01 = np.array(v10), np.array(v01)
    aucs = v10.mean(axis=1)
    s10 = np.atleast_2d(np.cov(v10, ddof=1))
    s01 = np.atleast_2d(np.cov(v01, ddof=1))
    return aucs, s10 / cases.shape[1] + s01 / controls.shape[1], v10


CI_METHODS: Registry[Callable[..., tuple[float, float]]] = Registry("roc.ci")


@CI_METHODS.register("delong", "DeLong's asymptotic variance (pROC's default)")
def delong_ci(
    cases: np.ndarray,
    controls: np.ndarray,
    way: str,
    n_bootstrap: int = 0,
    rng: np.random.Generator | None = None,
) -> tuple[float, float]:
    """95% DeLong CI of the AUC (pROC's ``ci.auc(method = "delong")``), not clipped.
    ``n_bootstrap`` and ``rng`` are unused (the registry's common signature)."""
    aucs, covariance, _ = delong_variance(_oriented(cases, way)[None, :], _oriented(controls, way)[None, :])
    half = Z95 * np.sqrt(covariance[0, 0])
    return float(aucs[0] - half), float(aucs[0] + half)


@CI_METHODS.register("bootstrap", "stratified percentile bootstrap (roc.n_bootstrap resamples, seeded)")
def bootstrap_ci(
    cases: np.ndarray, controls: np.ndarray, way: str, n: int, rng: np.random.Generator
) -> tuple[float, float]:
    """95% percentile CI from ``n`` stratified bootstrap resamples (cases and controls
    resampled separately, direction kept), as pROC's ``ci.auc(method = "bootstrap")``."""
    a, b = _oriented(cases, way), _oriented(controls, way)
    values = np.empty(n)
    for i in range(n):
        values[i] = auc(rng.choice(a, len(a)), rng.choice(b, len(b)))
    low, high = np.quantile(values, [0.025, 0.975])
    return float(low), float(high)


@dataclass(frozen=True)
class Cutoff:
    """An observed value c; positive = value >= c (direction '<') or <= c ('>')."""

    value: float
    sensitivity: float
    specificity: float


def roc_points(
    cases: np.ndarray, controls: np.ndarray, way: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every observed value as a cut-off, with sensitivity and specificity there."""
    thresholds = np.unique(np.concatenate([cases, controls]))
    side = "left" if way == "<" else "right"  # count values < each threshold, or <= it
    cases_under = np.searchsorted(np.sort(cases), thresholds, side)
    controls_under = np.searchsorted(np.sort(controls), thresholds, side)
    if way == "<":
        return thresholds, (len(cases) - cases_under) / len(cases), controls_under / len(controls)
    return thresholds, cases_under / len(cases), (len(controls) - controls_under) / len(controls)


def curve_points(
    cases: np.ndarray, controls: np.ndarray, way: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The whole empirical ROC curve: :func:`roc_points` with its two ends added, the
    thresholds -inf and +inf (ascending; in direction '<' sensitivity 1 and
    specificity 0 at -inf, sensitivity 0 and specificity 1 at +inf; the reverse in
    direction '>')."""
    thresholds, sensitivity, specificity = roc_points(cases, controls, way)
    low = 1.0 if way == "<" else 0.0  # sensitivity at -inf
    return (
        np.r_[-np.inf, thresholds, np.inf],
        np.r_[low, sensitivity, 1.0 - low],
        np.r_[1.0 - low, specificity, low],
    )


def score_curve(outcome: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC curve of a score, higher = case (``outcome`` 1/0), from (0, 0) to (1, 1):
    thresholds (descending, the first +inf), sensitivity and false positive rate (1 -
    specificity) where the curve bends (scikit-learn's ``roc_curve``, which leaves out
    points on a straight segment)."""
    from sklearn.metrics import roc_curve  # only the figures draw this curve

    false_positive, sensitivity, thresholds = roc_curve(outcome, score)
    return thresholds, sensitivity, false_positive


CUTOFF_SCORES: Registry[Callable[[np.ndarray, np.ndarray], np.ndarray]] = Registry("roc.cutoff")


@CUTOFF_SCORES.register("youden", "maximise Youden's J = sensitivity + specificity - 1")
def youden(sensitivity: np.ndarray, specificity: np.ndarray) -> np.ndarray:
    """Youden's J at each threshold (higher is better)."""
    return sensitivity + specificity - 1


@CUTOFF_SCORES.register("closest_topleft", "minimise the distance to the ROC plot's top-left corner")
def closest_topleft(sensitivity: np.ndarray, specificity: np.ndarray) -> np.ndarray:
    """Minus the squared distance to (specificity 1, sensitivity 1) (higher is better)."""
    return -((1 - sensitivity) ** 2 + (1 - specificity) ** 2)


def best_cutoff(cases: np.ndarray, controls: np.ndarray, way: str, method: str) -> Cutoff:
    """The cut-off with the best score of the named method (:data:`CUTOFF_SCORES`).
    Ties (pROC lists them all): the one with the highest specificity, i.e. the most
    conservative call."""
    thresholds, sensitivity, specificity = roc_points(cases, controls, way)
    score = CUTOFF_SCORES[method].function(sensitivity, specificity)
    best = np.flatnonzero(np.isclose(score, score.max(), rtol=0, atol=1e-12))
    pick = best[np.argmax(specificity[best])]
    return Cutoff(float(thresholds[pick]), float(sensitivity[pick]), float(specificity[pick]))


def delong_test(cases: np.ndarray, controls: np.ndarray) -> dict[str, float]:
    """Paired DeLong test of two markers (rows of ``cases``/``controls``, oriented):
    AUC difference, its 95% CI, z and two-sided p (pROC's ``roc.test``)."""
    aucs, covariance, _ = delong_variance(cases, controls)
    difference = float(aucs[0] - aucs[1])
    sd = float(np.sqrt(covariance[0, 0] + covariance[1, 1] - 2 * covariance[0, 1]))
    z = difference / sd if sd > 0 else float("nan")
    return {
        "auc1": float(aucs[0]),
        "auc2": float(aucs[1]),
        "difference": difference,
        "ci_low": difference - Z95 * sd,
        "ci_high": difference + Z95 * sd,
        "z": z,
        "p_value": float(2 * special.ndtr(-abs(z))) if np.isfinite(z) else float("nan"),
    }
