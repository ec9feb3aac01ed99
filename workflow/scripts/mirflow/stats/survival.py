"""Survival statistics on statsmodels, with R survival's and maxstat's conventions.

Log-rank and Cox come from statsmodels (agreeing with R when Efron ties are chosen, as
R's default); the Kaplan-Meier median and its confidence interval are computed as R
survival's survfit and summary do it (Greenwood band, NA where R has NA); the maximally
selected log-rank statistic and its Lausen-Schumacher (1994) p-value are ported from R's
maxstat, for which no Python package exists.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import survdiff

from mirflow.registry import Registry

# R's survival compares survival probabilities (and their confidence bands) to 0.5 with
# this tolerance: sqrt(.Machine$double.eps), as all.equal (survmean's ``minmin``).
_TOLERANCE = float(np.sqrt(np.finfo(float).eps))
Z95 = special.ndtri(0.975)  # scipy.stats.norm.ppf, without importing scipy.stats


@dataclass(frozen=True)
class _KMCurve:
    """A Kaplan-Meier curve at every distinct time (events and censorings), as R's survfit."""

    times: np.ndarray
    survival: np.ndarray
    std_log: np.ndarray  # Greenwood standard error of log S(t); inf once S(t) = 0


def _km_curve(time: np.ndarray, event: np.ndarray) -> _KMCurve:
    """S(t) and the Greenwood se of log S(t) as survival's survfitkm.c computes them: a
    subject censored at t is at risk at t; S *= (n - d) / n and var += d / (n (n - d)) at
    each time with d > 0 events among n at risk (var = inf once everyone left has died)."""
    times, inverse = np.unique(time, return_inverse=True)
    deaths = np.bincount(inverse, weights=event, minlength=len(times))
    leaving = np.bincount(inverse, minlength=len(times))
    at_risk = len(time) - np.r_[0, np.cumsum(leaving)[:-1]]
    has_event = deaths > 0
    factor = np.where(has_event, (at_risk - deaths) / at_risk, 1.0)
    with np.errstate(divide="ignore"):
        increment = np.where(has_event, deaths / (at_risk * (at_risk - deaths)), 0.0)
    return _KMCurve(times, np.cumprod(factor), np.sqrt(np.cumsum(increment)))


CONFIDENCE_BANDS: Registry[Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]] = Registry(
    "survival.ci_transform"
)


@CONFIDENCE_BANDS.register("plain", "S -/+ z se S, clipped to [0, 1] (R's conf.type plain)")
def _plain_band(p: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        half = Z95 * se * p  # NaN at S = 0; np.maximum/minimum keep it, as R's pmax/pmin
        return np.maximum(p - half, 0.0), np.minimum(p + half, 1.0)


@CONFIDENCE_BANDS.register("log", "exp(log S -/+ z se), upper clipped at 1 (R's conf.type log)")
def _log_band(p: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        log_p = np.log(np.where(p == 0, np.nan, p))
        return np.exp(log_p - Z95 * se), np.minimum(np.exp(log_p + Z95 * se), 1.0)


@CONFIDENCE_BANDS.register("log-log", "exp(-exp(log(-log S) -/+ z se / log S)) (R survival's default)")
def _log_log_band(p: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        xx = np.where((p == 0) | (p == 1), np.nan, p)
        shift = Z95 * se / np.log(xx)
        log_minus_log = np.log(-np.log(xx))
        return np.exp(-np.exp(log_minus_log - shift)), np.exp(-np.exp(log_minus_log + shift))


def _confidence_band(curve: _KMCurve, conf_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise 95% band (lower, upper) of S(t) as R's ``survfit_confint`` (survival 3.5)
    with the Greenwood se of log S (:data:`CONFIDENCE_BANDS`). NaN where R has NA: where
    S = 0 for every type (se = inf), and where S = 1 for log-log. Only log and plain clip
    the upper limit at 1."""
    return CONFIDENCE_BANDS[conf_type].function(curve.survival, curve.std_log)


def _first_at_half(y: np.ndarray, x: np.ndarray) -> float:
    """R survival's ``minmin`` (survmean, behind print.survfit and summary(fit)$table): the
    first x whose y is <= 0.5 (within the tolerance), NaN values of y skipped; if that y is
    0.5 and y drops further later, the midpoint of that x and the x of the next drop. NaN
    when y never gets to 0.5."""
    keep = ~np.isnan(y) & (y < 0.5 + _TOLERANCE)
    if not keep.any():
        return float("nan")
    x, y = x[keep], y[keep]
    lower = np.flatnonzero(y < y[0])
    if abs(y[0] - 0.5) < _TOLERANCE and lower.size:
        return float((x[0] + x[lower[0]]) / 2)
    return float(x[0])


def km_curve(time: np.ndarray, event: np.ndarray, at: np.ndarray | None = None) -> pd.DataFrame:
    """The Kaplan-Meier curve as a table, as R's ``summary(survfit(...), times, extend =
    TRUE)`` lists it: one row per distinct observed time (event or censoring) and per
    time in ``at``, sorted, with columns time, survival (S(t), events at t included),
    n_at_risk (patients with time >= t), events and censored (numbers at exactly t).

    Before the first observed time S is 1; after the last it stays at its last value
    (with nobody at risk). Without patients, survival is NaN at the times in ``at``.
    """
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=float)
    extra = np.asarray([] if at is None else at, dtype=float)
    times = np.union1d(time, extra)
    sorted_time = np.sort(time)
    n_at_risk = len(time) - np.searchsorted(sorted_time, times, side="left")
    events = np.bincount(np.searchsorted(times, time), weights=event, minlength=len(times))
    leaving = np.bincount(np.searchsorted(times, time), minlength=len(times))
    if len(time):
        curve = _km_curve(time, event)
        step = np.searchsorted(curve.times, times, side="right") - 1
        survival = np.where(step >= 0, curve.survival[np.maximum(step, 0)], 1.0)
    else:
        survival = np.full(len(times), np.nan)
    return pd.DataFrame(
        {
            "time": times,
            "survival": survival,
            "n_at_risk": n_at_risk.astype(int),
            "events": events.astype(int),
            "censored": (leaving - events).astype(int),
        }
    )


def km_median(time: np.ndarray, event: np.ndarray) -> float:
    """Kaplan-Meier median survival time as R's ``survfit`` reports it: the first time with
    S(t) <= 0.5, or, when the curve sits exactly at 0.5 (e.g. 9 events among 18 patients),
    the midpoint between that time and the next event time. NaN when never reached."""
    curve = _km_curve(np.asarray(time, dtype=float), np.asarray(event, dtype=float))
    return _first_at_half(curve.survival, curve.times)


@dataclass(frozen=True)
class KMSummary:
    """One Kaplan-Meier curve: size, events, median and its 95% CI (NaN = not reached)."""

    n: int
    events: int
    median: float
    ci_low: float
    ci_high: float


def km_summary(time: np.ndarray, event: np.ndarray, ci_transform: str) -> KMSummary:
    """n, events, median and 95% CI of the median as R's ``summary(survfit(...,
    conf.type = ci_transform))$table`` (ci_transform: log-log, log or plain).

    The CI is Brookmeyer-Crowley's as survival computes it, from the pointwise 95% band of
    S(t) (Greenwood variance, ``ci_transform`` scale): the lower limit is where the lower
    band first gets to 0.5, the upper limit where the upper band does, with the median's
    midpoint rule; a band that never gets there (e.g. few events, or the band undefined
    after S(t) has dropped to 0) gives NaN, as R's NA.
    """
    CONFIDENCE_BANDS[ci_transform]  # an unknown transform is an error before any work
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=int)
    if len(time) == 0:
        return KMSummary(0, 0, np.nan, np.nan, np.nan)
    curve = _km_curve(time, event.astype(float))
    lower, upper = _confidence_band(curve, ci_transform)
    return KMSummary(
        len(time),
        int(event.sum()),
        _first_at_half(curve.survival, curve.times),
        _first_at_half(lower, curve.times),
        _first_at_half(upper, curve.times),
    )


def logrank_p(time: np.ndarray, event: np.ndarray, groups: np.ndarray) -> float:
    """Log-rank test p (R's ``survdiff``); NaN with fewer than two non-empty groups. When
    no patient of a group is at risk at any event time the test's variance is 0: R then
    reports chi-square 0 on 0 degrees of freedom, p = 1, and so does this."""
    if len(np.unique(groups)) < 2:
        return float("nan")
    try:
        return float(
            survdiff(np.asarray(time, dtype=float), np.asarray(event, dtype=int), np.asarray(groups))[1]
        )
    except np.linalg.LinAlgError:
        return 1.0


@dataclass(frozen=True)
class CoxTerm:
    """Hazard ratio of one Cox model term with its Wald 95% CI and p."""

    term: str
    hazard_ratio: float
    ci_low: float
    ci_high: float
    p_value: float


def cox(time: np.ndarray, event: np.ndarray, covariates: pd.DataFrame) -> list[CoxTerm]:
    """Cox proportional hazards with Efron ties (R's ``coxph`` default); Wald CIs and p."""
    model = PHReg(
        np.asarray(time, dtype=float),
        covariates.to_numpy(dtype=float),
        status=np.asarray(event, dtype=int),
        ties="efron",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit()
    terms = []
    # a fit that ran away (separation) overflows exp to inf: the caller reports it as not converged
    with np.errstate(over="ignore"):
        for name, beta, se, p in zip(covariates.columns, fit.params, fit.bse, fit.pvalues, strict=True):
            terms.append(
                CoxTerm(
                    str(name),
                    float(np.exp(beta)),
                    float(np.exp(beta - Z95 * se)),
                    float(np.exp(beta + Z95 * se)),
                    float(p),
                )
            )
    return terms


def landmark_status(time: pd.Series, event: pd.Series, landmark: float) -> pd.Series:
    """1 = event by the landmark, 0 = followed beyond it, NaN = censored before it
    without an event (not evaluable)."""
    status = pd.Series(np.nan, index=time.index)
    status[(event == 1) & (time <= landmark)] = 1.0
    status[time > landmark] = 0.0
    return status


def logrank_scores(time: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Log-rank scores as exactRankTests' ``cscores(type = "LogRank")`` (used by maxstat):
    event minus the cumulative hazard, tied times sharing the latest rank."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=float)
    n = len(time)
    order = np.argsort(time, kind="stable")
    rank = np.searchsorted(np.sort(time), time, side="right")
    cumulative = np.cumsum((event / (n - rank + 1))[order])
    return event - cumulative[rank - 1]


@dataclass(frozen=True)
class MaxstatScan:
    """The standardised log-rank statistic at every admissible cut-point (maxstat)."""

    left_max: np.ndarray  # cut-point as maxstat reports it: the left group is x <= value
    cutoff: np.ndarray  # the same split in this workflow's terms: high = x >= value
    statistic: np.ndarray
    sizes: np.ndarray  # size of the left group at each cut-point
    n: int
    scores_sorted: np.ndarray


def maxstat_scan(
    time: np.ndarray, event: np.ndarray, x: np.ndarray, minprop: float = 0.1, maxprop: float = 0.9
) -> MaxstatScan:
    """R maxstat's ``cmaxstat`` with log-rank scores: splits between distinct values of
    ``x`` leaving at least ``minprop`` and at most ``maxprop`` of the samples below."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    order = np.argsort(x, kind="stable")
    y = logrank_scores(time, event)[order]
    xs = x[order]
    first_of_value = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    m = first_of_value  # number of samples strictly below each distinct value
    m = m[(m >= max(1, int(np.floor(n * minprop)))) & (m <= int(np.floor(n * maxprop)))]
    total = y.sum()
    expected = m / n * total
    variance = m * (n - m) / (n**2 * (n - 1)) * (n * np.sum(y**2) - total**2)
    statistic = np.abs((np.cumsum(y)[m - 1] - expected) / np.sqrt(variance))
    return MaxstatScan(xs[m - 1], xs[m], statistic, m, n, y)


def lausen94_p(statistic: float, n: int, sizes: np.ndarray) -> float:
    """Lausen & Schumacher's (1994) improved Bonferroni bound for the maximally selected
    statistic (maxstat's ``pLausen94``)."""
    phi = 2 * special.ndtr(-statistic)
    if len(sizes) <= 1:
        return float(phi)
    m1, m2 = sizes[:-1], sizes[1:]
    t = np.sqrt(1 - m1 * (n - m2) / ((n - m1) * m2))
    d = np.sum(1 / np.pi * np.exp(-(statistic**2) / 2) * (t - (statistic**2 / 4 - 1) * t**3 / 6))
    return float(min(1.0, phi + d))


# Permutations drawn and evaluated per block: a block of this many scores stays in the
# processor's cache through the shuffle, the cumulative sums and the maximum.
_PERMUTATION_BLOCK = 2**16


def permutation_p(scan: MaxstatScan, n_permutations: int, rng: np.random.Generator) -> float:
    """Conditional Monte Carlo p of the maximum statistic: scores permuted over samples
    (maxstat's ``condMC``); includes the observed arrangement, (k + 1) / (B + 1).

    The permutations are drawn row by row from ``rng`` (``Generator.permuted`` of the
    scores repeated), so the result does not depend on how many are drawn at once; each
    block is shuffled, summed and standardised in place."""
    y = scan.scores_sorted
    total = y.sum()
    m = scan.sizes
    expected = m / scan.n * total
    sd = np.sqrt(m * (scan.n - m) / (scan.n**2 * (scan.n - 1)) * (scan.n * np.sum(y**2) - total**2))
    threshold = scan.statistic.max() - 1e-12
    rows = max(1, min(n_permutations, _PERMUTATION_BLOCK // len(y)))
    block, statistic = np.empty((rows, len(y))), np.empty((rows, len(m)))
    exceed = 0
    for start in range(0, n_permutations, rows):
        size = min(rows, n_permutations - start)
        scores, z = block[:size], statistic[:size]
        scores[:] = y
        rng.permuted(scores, axis=1, out=scores)
        np.cumsum(scores, axis=1, out=scores)
        np.take(scores, m - 1, axis=1, out=z)
        np.subtract(z, expected, out=z)
        np.divide(z, sd, out=z)
        np.abs(z, out=z)
        exceed += int((z.max(axis=1) >= threshold).sum())
    return (exceed + 1) / (n_permutations + 1)
