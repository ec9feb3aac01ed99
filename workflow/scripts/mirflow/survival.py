"""Survival statistics on statsmodels, with R survival's and maxstat's conventions.

Kaplan-Meier, log-rank and Cox come from statsmodels (agreeing with R when the
transform and Efron ties are chosen as R's); the maximally selected log-rank statistic
and its Lausen-Schumacher (1994) p-value are ported from R's maxstat, for which no
Python package exists.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

# R's survival compares survival probabilities to 0.5 with this tolerance.
_TOLERANCE = 1e-12
Z95 = stats.norm.ppf(0.975)
CI_METHODS = {"log-log": "cloglog", "log": "log", "plain": "linear"}


def km_median(time: np.ndarray, event: np.ndarray) -> float:
    """Kaplan-Meier median survival time as R's ``survfit`` reports it.

    statsmodels' quantile takes the first time with S(t) <= 0.5; R takes the midpoint
    between that time and the next event time when the curve sits exactly at 0.5
    (e.g. 9 events among 18 patients). NaN when the curve never reaches 0.5.
    """
    fit = SurvfuncRight(np.asarray(time, dtype=float), np.asarray(event, dtype=int))
    times, survival = fit.surv_times, fit.surv_prob
    below = np.flatnonzero(survival <= 0.5 + _TOLERANCE)
    if below.size == 0:
        return float("nan")
    first = below[0]
    if abs(survival[first] - 0.5) < _TOLERANCE and first + 1 < len(times):
        return float((times[first] + times[first + 1]) / 2)
    return float(times[first])


@dataclass(frozen=True)
class KMSummary:
    """One Kaplan-Meier curve: size, events, median and its 95% CI (NaN = not reached)."""

    n: int
    events: int
    median: float
    ci_low: float
    ci_high: float


def km_summary(time: np.ndarray, event: np.ndarray, ci_transform: str) -> KMSummary:
    """n, events, median (R's rule) and Brookmeyer-Crowley 95% CI of the median with
    the given transform (R's ``conf.type``: log-log, log or plain)."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=int)
    if len(time) == 0:
        return KMSummary(0, 0, np.nan, np.nan, np.nan)
    fit = SurvfuncRight(time, event)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        low, high = fit.quantile_ci(0.5, method=CI_METHODS[ci_transform])
    low, high = (float(v) if np.isfinite(v) else np.nan for v in (low, high))
    return KMSummary(len(time), int(event.sum()), km_median(time, event), low, high)


def logrank_p(time: np.ndarray, event: np.ndarray, groups: np.ndarray) -> float:
    """Log-rank test p (R's ``survdiff``); NaN with fewer than two non-empty groups."""
    if len(np.unique(groups)) < 2:
        return float("nan")
    return float(survdiff(np.asarray(time, dtype=float), np.asarray(event, dtype=int), np.asarray(groups))[1])


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
    phi = 2 * stats.norm.sf(statistic)
    if len(sizes) <= 1:
        return float(phi)
    m1, m2 = sizes[:-1], sizes[1:]
    t = np.sqrt(1 - m1 * (n - m2) / ((n - m1) * m2))
    d = np.sum(1 / np.pi * np.exp(-(statistic**2) / 2) * (t - (statistic**2 / 4 - 1) * t**3 / 6))
    return float(min(1.0, phi + d))


def permutation_p(scan: MaxstatScan, n_permutations: int, rng: np.random.Generator) -> float:
    """Conditional Monte Carlo p of the maximum statistic: scores permuted over samples
    (maxstat's ``condMC``); includes the observed arrangement, (k + 1) / (B + 1)."""
    y = scan.scores_sorted
    total = y.sum()
    m = scan.sizes
    expected = m / scan.n * total
    sd = np.sqrt(m * (scan.n - m) / (scan.n**2 * (scan.n - 1)) * (scan.n * np.sum(y**2) - total**2))
    observed = scan.statistic.max()
    exceed = 0
    for start in range(0, n_permutations, 1000):
        size = min(1000, n_permutations - start)
        permuted = rng.permuted(np.tile(y, (size, 1)), axis=1)
        maxima = np.abs((np.cumsum(permuted, axis=1)[:, m - 1] - expected) / sd).max(axis=1)
        exceed += int((maxima >= observed - 1e-12).sum())
    return (exceed + 1) / (n_permutations + 1)
