"""Time-dependent accuracy of a marker under right censoring, with R's conventions.

Inverse probability of censoring weighting (IPCW) with a Kaplan-Meier model of the censoring:
cumulative/dynamic AUC(t) and its standard error, the Youden cut-off at a landmark, Uno's C,
the time-dependent Brier score (and its Kaplan-Meier null model), and for competing risks the
Aalen-Johansen cumulative incidence and Gray's test. Each function reproduces one R reference
(riskRegression::Score, survival::concordance, survival::survfit, cmprsk::cuminc; see
tests/fixtures/r/time_roc/README.md for the measured agreement).

Conventions shared by every function:

- ``time`` is the observed time, ``event`` 1 = event, 0 = censored (competing risks: ``status``
  0 = censored, 1 = event of interest, 2... = competing events). Times are compared exactly
  (round times computed by arithmetic first: R's ``aeqSurv`` merges near-equal times).
- The censoring survival G is the reverse Kaplan-Meier estimate with *censoring after events*:
  events tied with a censoring at t leave the censoring risk set before t (prodlim's
  ``reverse = TRUE``, survival's ``concordance``). Cases (event by t) get weight 1/G(T_i-),
  controls (still event-free after t) 1/G(t).
- G can only reach 0 at the last follow-up time s, when it is a censoring; then nobody is
  followed beyond s and AUC(t), the cut-off and the Brier score for t >= s are evaluated at
  the last observed time before s (where they are the same as anywhere in [that time, s)); the
  ``reason`` field says so. Values that cannot be estimated (no case, no control) are NaN with
  the reason.
- A "risk" score is oriented so that a higher value means a higher risk (an earlier event);
  marker functions take ``higher_is_risk`` to flip a protective marker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

# Two sums of the same weights computed in another order agree to ~1e-15; Youden indices
# (and specificities) closer than this are taken as tied, as in the R reference.
_TIE_TOLERANCE = 1e-10


def _survival_data(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float time and 0/1 event arrays, checked (finite, same length, event in {0, 1})."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=float)
    if time.ndim != 1 or time.shape != event.shape:
        raise ValueError(f"time and event must be 1-d of the same length ({time.shape} vs {event.shape})")
    if not (np.isfinite(time).all() and np.isfinite(event).all()):
        raise ValueError("time and event must not contain missing or infinite values")
    if not np.isin(event, (0, 1)).all():
        raise ValueError("event must be 0 (censored) or 1 (event)")
    if not time.size:
        raise ValueError("no patients")
    return time, event


def _marker(values: np.ndarray, n: int, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.shape != (n,):
        raise ValueError(f"{name} must be 1-d with one value per patient ({values.shape} vs {n})")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must not contain missing or infinite values")
    return values


def _number(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------------------------------------
# Censoring survival


@dataclass(frozen=True)
class CensoringSurvival:
    """Reverse Kaplan-Meier G(t) of the censoring times: a right-continuous step function
    with a step at each distinct observed time (``times``, ``survival`` = G there)."""

    times: np.ndarray
    survival: np.ndarray

    def at(self, t: float | np.ndarray) -> np.ndarray:
        """G(t): probability of being still uncensored after t (1 before the first time)."""
        step = np.searchsorted(self.times, t, side="right") - 1
        return np.where(step >= 0, self.survival[np.maximum(step, 0)], 1.0)

    def before(self, t: float | np.ndarray) -> np.ndarray:
        """G(t-): the value just before t, the weight denominator of an event at t."""
        step = np.searchsorted(self.times, t, side="left") - 1
        return np.where(step >= 0, self.survival[np.maximum(step, 0)], 1.0)

    @property
    def zero_from(self) -> float:
        """The time from which G = 0 (a censoring at the last follow-up), inf if never."""
        zero = np.flatnonzero(self.survival <= 0)
        return float(self.times[zero[0]]) if zero.size else np.inf


def censoring_survival(time: np.ndarray, event: np.ndarray) -> CensoringSurvival:
    """G(t) by reverse Kaplan-Meier, censoring after events.

    At a time u with Y patients at risk (time >= u), D events and C censorings, G is
    multiplied by 1 - C / (Y - D): the events at u are no longer at risk of being censored
    there. This is what riskRegression's ``cens.model = "km"`` (prodlim, reverse = TRUE)
    and survival's ``concordance`` use; counting the tied events as still at risk (1 - C / Y,
    a plain KM on 1 - event) gives, e.g., AUC(180) 0.712457 instead of R's 0.712378 for
    veteran's karno.
    """
    time, event = _survival_data(time, event)
    times, group = np.unique(time, return_inverse=True)
    leaving = np.bincount(group, minlength=len(times))
    events = np.bincount(group, weights=event, minlength=len(times))
    censored = leaving - events
    at_risk = len(time) - np.r_[0, np.cumsum(leaving)[:-1]]
    exposed = at_risk - events
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(censored > 0, (exposed - censored) / exposed, 1.0)
    return CensoringSurvival(times, np.cumprod(factor))


def _km_survival(time: np.ndarray, event: np.ndarray, t: float) -> float:
    """Kaplan-Meier S(t) of the events (R's survfit / prodlim; right-continuous)."""
    times, group = np.unique(time, return_inverse=True)
    leaving = np.bincount(group, minlength=len(times))
    events = np.bincount(group, weights=event, minlength=len(times))
    at_risk = len(time) - np.r_[0, np.cumsum(leaving)[:-1]]
    keep = times <= t
    return float(np.prod(1.0 - events[keep] / at_risk[keep]))


def _evaluation_time(curve: CensoringSurvival, time: np.ndarray, t: float) -> tuple[float, str]:
    """The time actually evaluated for a requested t, and why it differs (G(t) = 0)."""
    if curve.at(t) > 0:
        return float(t), ""
    zero = curve.zero_from
    earlier = time[time < zero]
    if not earlier.size:
        return np.nan, f"G(t)=0 from {_number(zero)}, the first follow-up time: nothing to evaluate"
    last = float(earlier.max())
    return last, (
        f"G(t)=0 from {_number(zero)} (censoring at the last follow-up): evaluated at {_number(last)}, "
        f"the last observed time before (the same value as anywhere in [{_number(last)}, {_number(zero)}))"
    )


def _ipcw_weights(
    time: np.ndarray, event: np.ndarray, curve: CensoringSurvival, t: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Cases, controls, IPCW weights (1/G(T_i-) for cases, 1/G(t) for controls, 0 for patients
    censored by t) and the smallest G used."""
    cases = (time <= t) & (event == 1)
    controls = time > t
    g_cases = curve.before(time[cases])
    g_t = float(curve.at(t))
    weights = np.zeros(len(time))
    weights[cases] = 1.0 / g_cases
    weights[controls] = 1.0 / g_t
    used = np.r_[g_cases, [g_t] if controls.any() else []]
    return cases, controls, weights, float(used.min()) if used.size else np.nan


def _censoring_martingale(
    time: np.ndarray, event: np.ndarray, t: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pieces of the Kaplan-Meier censoring influence function as riskRegression's
    ``getInfluenceFunctionKM`` builds them (note: its censoring hazard counts tied events as
    at risk, unlike the weights themselves).

    Returns the group of each patient (index of its distinct time), ``before`` = the
    cumulated n dN_C / Y^2 over times < each group's time, and ``phi_t``, each patient's term
    at t: (1 - event) n / Y(T_k) - sum_{u <= T_k} n dN_C(u) / Y(u)^2 if T_k <= t, else
    -sum_{u <= t} n dN_C(u) / Y(u)^2.
    """
    n = len(time)
    times, group = np.unique(time, return_inverse=True)
    leaving = np.bincount(group, minlength=len(times))
    censored = np.bincount(group, weights=1.0 - event, minlength=len(times))
    at_risk = n - np.r_[0, np.cumsum(leaving)[:-1]]
    cumulated = np.cumsum(n * censored / at_risk.astype(float) ** 2)
    before = np.r_[0.0, cumulated[:-1]]
    last = np.searchsorted(times, t, side="right") - 1
    beyond = -cumulated[last] if last >= 0 else 0.0
    phi_t = np.where(time <= t, (1.0 - event) * n / at_risk[group] - cumulated[group], beyond)
    return group, before, phi_t


def _sum_over_times(
    values: np.ndarray, group: np.ndarray, before: np.ndarray, phi_t: np.ndarray
) -> np.ndarray:
    """For each patient k: sum_i values_i phi_k(T_i-), with phi_k(T_i-) = -before[T_i] for
    T_i <= T_k and phi_t[k] for T_i > T_k (the KM influence of 1/G(T_i-) for patient k)."""
    per_time = np.bincount(group, weights=values, minlength=len(before))
    later = per_time.sum() - np.cumsum(per_time)
    earlier = -np.cumsum(per_time * before)
    return earlier[group] + phi_t * later[group]


# ---------------------------------------------------------------------------------------------
# Cumulative/dynamic AUC(t)


@dataclass(frozen=True)
class TimeAUC:
    """Cumulative/dynamic AUC at one time. ``time`` is the requested t, ``evaluated_at`` the
    t used (differs when G(t) = 0; NaN when nothing is estimable), ``reason`` says why ("" if
    nothing to report)."""

    time: float
    evaluated_at: float
    auc: float
    se: float
    lower: float
    upper: float
    n_cases: int
    n_controls: int
    censoring_weight_min: float
    reason: str


def _oriented(marker: np.ndarray, higher_is_risk: bool) -> np.ndarray:
    return marker if higher_is_risk else -marker


def _weighted_below(values: np.ndarray, reference: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """For each value: the weight of reference values below it, plus half of those tied."""
    order = np.argsort(reference, kind="stable")
    ordered = reference[order]
    cumulated = np.r_[0.0, np.cumsum(weights[order])]
    low = cumulated[np.searchsorted(ordered, values, side="left")]
    high = cumulated[np.searchsorted(ordered, values, side="right")]
    return low + 0.5 * (high - low)


def _auc_and_influence(
    time: np.ndarray, event: np.ndarray, risk: np.ndarray, t: float, curve: CensoringSurvival
) -> tuple[float, np.ndarray]:
    """IPCW AUC(t) and its influence function with the Kaplan-Meier censoring term, as
    riskRegression's ``getIC0AUC`` + ``getInfluenceFunctionAUCKMCensoringTerm`` (2022.11.28)."""
    n = len(time)
    cases, controls, weights, _ = _ipcw_weights(time, event, curve, t)
    case_w, control_w = weights[cases], weights[controls]
    # per case: control weight with a lower risk (+ half the ties); per control: case weight above
    case_part = _weighted_below(risk[cases], risk[controls], control_w)
    control_part = case_w.sum() - _weighted_below(risk[controls], risk[cases], case_w)
    mu_case, mu_control = case_w.sum(), control_w.sum()
    auc = float(case_w @ case_part / (mu_case * mu_control))
    mu = mu_case * mu_control / n**2
    nu = auc * mu
    numerator, denominator = np.zeros(n), np.zeros(n)
    numerator[cases] = case_w / n * case_part
    denominator[cases] = case_w / n * mu_control
    numerator[controls] = control_w / n * control_part
    denominator[controls] = control_w / n * mu_case
    influence = (numerator * mu - denominator * nu) / mu**2
    # censoring term: how each patient moves the weights 1/G(T_i-) of cases and 1/G(t) of controls
    group, before, phi_t = _censoring_martingale(time, event, t)
    case_pairs = np.zeros(n)
    case_pairs[cases] = case_w * case_part
    case_weights = np.where(cases, weights, 0.0)
    d_numerator = _sum_over_times(case_pairs, group, before, phi_t) / n**2 + phi_t * nu
    d_denominator = _sum_over_times(case_weights, group, before, phi_t) / n**2 * mu_control + phi_t * mu
    influence += (d_numerator * mu - d_denominator * nu) / mu**2
    return auc, influence


def time_auc(
    time: np.ndarray,
    event: np.ndarray,
    marker: np.ndarray,
    t: float,
    *,
    higher_is_risk: bool = True,
    level: float = 0.95,
) -> TimeAUC:
    """Cumulative/dynamic AUC(t) with Kaplan-Meier IPCW (riskRegression::Score, metrics = "auc",
    cens.model = "km"): the weighted probability that a case (event by t) has a higher marker
    than a control (event-free after t), marker ties counting 1/2.

    ``se`` is riskRegression's default (``conservative = FALSE``): the standard deviation of the
    iid (influence function) representation over all n patients / sqrt(n), *including* the
    term for the estimation of the Kaplan-Meier censoring weights. The Wald CI is clipped to
    [0, 1]. Why IPCW: patients censored before t are neither cases nor controls, and the
    weights make the remaining ones stand for them.
    """
    time, event = _survival_data(time, event)
    risk = _oriented(_marker(marker, len(time), "marker"), higher_is_risk)
    curve = censoring_survival(time, event)
    at, reason = _evaluation_time(curve, time, t)
    if np.isnan(at):
        return TimeAUC(float(t), np.nan, np.nan, np.nan, np.nan, np.nan, 0, 0, np.nan, reason)
    cases, controls, _, g_min = _ipcw_weights(time, event, curve, at)
    n_cases, n_controls = int(cases.sum()), int(controls.sum())
    missing = _missing_groups(n_cases, n_controls, at)
    if missing:
        reason = "; ".join(filter(None, [reason, missing]))
        return TimeAUC(float(t), at, np.nan, np.nan, np.nan, np.nan, n_cases, n_controls, g_min, reason)
    auc, influence = _auc_and_influence(time, event, risk, at, curve)
    se = float(np.std(influence, ddof=1) / np.sqrt(len(time)))
    z = stats.norm.ppf(0.5 + level / 2)
    lower, upper = float(max(0.0, auc - z * se)), float(min(1.0, auc + z * se))
    return TimeAUC(float(t), at, auc, se, lower, upper, n_cases, n_controls, g_min, reason)


def _missing_groups(n_cases: int, n_controls: int, t: float) -> str:
    problems = []
    if not n_cases:
        problems.append(f"no cases: no event by t={_number(t)}")
    if not n_controls:
        problems.append(f"no controls: nobody followed beyond t={_number(t)}")
    return "; ".join(problems)


def time_auc_table(
    time: np.ndarray,
    event: np.ndarray,
    marker: np.ndarray,
    times: np.ndarray,
    *,
    higher_is_risk: bool = True,
    level: float = 0.95,
) -> pd.DataFrame:
    """:func:`time_auc` at each of ``times``, one row per time (the fields of TimeAUC)."""
    rows = [
        time_auc(time, event, marker, t, higher_is_risk=higher_is_risk, level=level)
        for t in np.atleast_1d(times)
    ]
    return pd.DataFrame([asdict(row) for row in rows])


# ---------------------------------------------------------------------------------------------
# Youden cut-off at a landmark


@dataclass(frozen=True)
class TimeCutoff:
    """The IPCW Youden cut-off at one time; positive = marker >= cutoff (or <= cutoff when
    ``higher_is_risk`` is False)."""

    time: float
    evaluated_at: float
    cutoff: float
    sensitivity: float
    specificity: float
    youden: float
    n_cases: int
    n_controls: int
    reason: str


def youden_cutoff(
    time: np.ndarray, event: np.ndarray, marker: np.ndarray, t: float, *, higher_is_risk: bool = True
) -> TimeCutoff:
    """Cut-off maximising the IPCW Youden index J = sensitivity + specificity - 1 at t.

    Sensitivity = weighted fraction of cases (event by t, weight 1/G(T_i-)) with marker >= c,
    specificity = weighted fraction of controls (event-free after t) with marker < c: the
    points of riskRegression::Score's ROC curve (plots = "ROC"). c runs over the observed
    markers of cases and controls; ties in J (within 1e-10) go to the higher specificity,
    then to the stricter cut-off. For a protective marker (``higher_is_risk=False``) read
    <= and > instead.
    """
    time, event = _survival_data(time, event)
    values = _marker(marker, len(time), "marker")
    risk = _oriented(values, higher_is_risk)
    curve = censoring_survival(time, event)
    at, reason = _evaluation_time(curve, time, t)
    if np.isnan(at):
        return TimeCutoff(float(t), np.nan, np.nan, np.nan, np.nan, np.nan, 0, 0, reason)
    cases, controls, weights, _ = _ipcw_weights(time, event, curve, at)
    n_cases, n_controls = int(cases.sum()), int(controls.sum())
    missing = _missing_groups(n_cases, n_controls, at)
    if missing:
        reason = "; ".join(filter(None, [reason, missing]))
        return TimeCutoff(float(t), at, np.nan, np.nan, np.nan, np.nan, n_cases, n_controls, reason)
    cuts = np.unique(risk[cases | controls])
    sensitivity = _weighted_at_or_above(cuts, risk[cases], weights[cases])
    specificity = 1.0 - _weighted_at_or_above(cuts, risk[controls], weights[controls])
    youden = sensitivity + specificity - 1.0
    best = youden >= youden.max() - _TIE_TOLERANCE
    best &= specificity >= specificity[best].max() - _TIE_TOLERANCE
    pick = np.flatnonzero(best)[-1]  # the highest risk cut-off among the ties
    cutoff = cuts[pick] if higher_is_risk else -cuts[pick]
    return TimeCutoff(
        float(t),
        at,
        float(cutoff),
        float(sensitivity[pick]),
        float(specificity[pick]),
        float(youden[pick]),
        n_cases,
        n_controls,
        reason,
    )


def _weighted_at_or_above(cuts: np.ndarray, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    cumulated = np.r_[0.0, np.cumsum(weights[order])]
    below = cumulated[np.searchsorted(values[order], cuts, side="left")]
    return (cumulated[-1] - below) / cumulated[-1]


# ---------------------------------------------------------------------------------------------
# Uno's C


@dataclass(frozen=True)
class UnoC:
    """Uno's concordance truncated at ``tau`` (inf = no truncation) and survival's std.err."""

    concordance: float
    se: float
    tau: float
    n_events: int
    reason: str


def uno_c(time: np.ndarray, event: np.ndarray, risk: np.ndarray, tau: float | None = None) -> UnoC:
    """Uno's C: survival::concordance(Surv(time, event) ~ risk, timewt = "n/G2", ymax = tau,
    reverse = TRUE).

    A pair is comparable when patient k has an event at T_k <= tau and patient j is still at
    risk after it (T_j > T_k, or censored at T_k); it is concordant when the event has the
    higher risk, ties in risk count 1/2, tied events are not compared. Each pair is weighted
    1/G(T_k-)^2 (censoring after events). ``se`` is survival's ``sqrt(var)``: the
    infinitesimal-jackknife (dfbeta) variance over patients, treating the weights G as known.
    Why: Harrell's C depends on the censoring distribution, Uno's does not (up to tau).
    """
    time, event = _survival_data(time, event)
    risk = _marker(risk, len(time), "risk")
    tau = np.inf if tau is None else float(tau)
    curve = censoring_survival(time, event)
    events = np.flatnonzero((event == 1) & (time <= tau))
    if not events.size:
        return UnoC(np.nan, np.nan, tau, 0, f"no events by tau={_number(tau)}")
    pair_weight = 1.0 / curve.before(time[events]) ** 2
    n = len(time)
    counts = np.zeros(3)  # event has the higher risk (concordant), the lower, tied
    influence = np.zeros((n, 3))
    for block in np.array_split(np.arange(events.size), max(1, events.size * n // 2_000_000)):
        k = events[block]
        w = pair_weight[block][:, None]
        comparable = (time[None, :] > time[k, None]) | (
            (time[None, :] == time[k, None]) & (event[None, :] == 0)
        )
        higher = comparable & (risk[k, None] > risk[None, :])
        lower = comparable & (risk[k, None] < risk[None, :])
        tied = comparable & (risk[k, None] == risk[None, :])
        for column, pairs in enumerate((higher, lower, tied)):
            weighted = w * pairs
            counts[column] += weighted.sum()
            influence[k, column] += weighted.sum(axis=1)
            influence[:, column] += weighted.sum(axis=0)
    n_pairs = counts.sum()
    if n_pairs <= 0:
        return UnoC(np.nan, np.nan, tau, int(events.size), "no comparable pairs")
    somers = (counts[0] - counts[1]) / n_pairs
    dfbeta = (influence[:, 0] - influence[:, 1]) / n_pairs - somers / n_pairs * influence.sum(axis=1)
    return UnoC(float((somers + 1) / 2), float(np.sqrt((dfbeta**2).sum() / 4)), tau, int(events.size), "")


# ---------------------------------------------------------------------------------------------
# Brier score


@dataclass(frozen=True)
class BrierScore:
    """IPCW Brier score at one time with its standard error and Wald CI (clipped to [0, 1])."""

    time: float
    evaluated_at: float
    brier: float
    se: float
    lower: float
    upper: float
    censoring_weight_min: float
    reason: str


def brier_score(
    time: np.ndarray, event: np.ndarray, predicted_survival: np.ndarray, t: float, *, level: float = 0.95
) -> BrierScore:
    """Time-dependent Brier score at t of predicted event-free probabilities S_hat(t | x_i),
    as riskRegression::Score(metrics = "brier", cens.model = "km").

    Mean over all n patients of (1 - F_i)^2 / G(T_i-) for an event by t, F_i^2 / G(t) for an
    event-free patient after t, 0 for one censored by t, with F_i = 1 - S_hat. ``se`` as
    Score's default: the iid representation including the Kaplan-Meier censoring term.
    ``predicted_survival`` must be the predictions at the evaluated time (see ``reason``).
    """
    time, event = _survival_data(time, event)
    survival = _marker(predicted_survival, len(time), "predicted_survival")
    curve = censoring_survival(time, event)
    at, reason = _evaluation_time(curve, time, t)
    if np.isnan(at):
        return BrierScore(float(t), np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, reason)
    cases, controls, weights, g_min = _ipcw_weights(time, event, curve, at)
    # (1 - F)^2 = S^2 for cases, F^2 for controls, times their weight (0 if censored by t)
    residuals = weights * np.where(cases, survival, 1.0 - survival) ** 2
    n = len(time)
    brier = float(residuals.sum() / n)
    group, before, phi_t = _censoring_martingale(time, event, at)
    case_residuals = np.where(cases, residuals, 0.0)
    control_total = residuals[controls].sum() / n
    influence = (
        residuals - residuals.mean() + _sum_over_times(case_residuals, group, before, phi_t) / n
    ) + phi_t * control_total
    se = float(np.std(influence, ddof=1) / np.sqrt(n))
    z = stats.norm.ppf(0.5 + level / 2)
    lower, upper = float(max(0.0, brier - z * se)), float(min(1.0, brier + z * se))
    return BrierScore(float(t), at, brier, se, lower, upper, g_min, reason)


def null_brier_score(time: np.ndarray, event: np.ndarray, t: float, *, level: float = 0.95) -> BrierScore:
    """The reference Brier score of the Kaplan-Meier "null model" (everybody predicted the
    marginal KM S(t) of the same data; Score's ``null.model = TRUE``): the benchmark a marker
    must beat."""
    time, event = _survival_data(time, event)
    at, _ = _evaluation_time(censoring_survival(time, event), time, t)
    survival = _km_survival(time, event, at if np.isfinite(at) else t)
    return brier_score(time, event, np.full(len(time), survival), t, level=level)


# ---------------------------------------------------------------------------------------------
# Competing risks


def aalen_johansen(
    time: np.ndarray, status: np.ndarray, times: np.ndarray, causes: Sequence[int] | None = None
) -> pd.DataFrame:
    """Aalen-Johansen state probabilities for competing risks at ``times``, as
    survival::survfit(Surv(time, factor(status)) ~ 1) gives them (``pstate``).

    ``status`` 0 = censored, 1, 2, ... = the event types. Columns: t, event_free, and cif_<k>
    for each of ``causes`` (default: the types present; pass them to get the same columns in
    every subgroup). Tied times are kept tied (no jitter): at a time u with Y at risk (time >=
    u, censored at u included) and d_k events of type k, the event-free probability P0 is
    multiplied by 1 - sum_k d_k / Y and cif_k grows by P0(u-) d_k / Y. Before the first time
    P0 = 1; after the last the values stay (survfit's ``extend = TRUE``).
    """
    time = np.asarray(time, dtype=float)
    status = np.asarray(status, dtype=float)
    if time.shape != status.shape or not (np.isfinite(time).all() and np.isfinite(status).all()):
        raise ValueError("time and status must be finite and of the same length")
    if (status < 0).any() or not np.equal(np.mod(status, 1), 0).all():
        raise ValueError("status must be 0 (censored) or a positive integer event type")
    if not time.size:
        raise ValueError("no patients")
    present = np.unique(status[status != 0]).astype(int)
    causes = present if causes is None else np.asarray(causes, dtype=int)
    if np.setdiff1d(present, causes).size:
        raise ValueError(f"event types {np.setdiff1d(present, causes).tolist()} missing from causes")
    unique, group = np.unique(time, return_inverse=True)
    leaving = np.bincount(group, minlength=len(unique))
    at_risk = len(time) - np.r_[0, np.cumsum(leaving)[:-1]]
    hazards = np.zeros((len(unique), len(causes)))
    for column, k in enumerate(causes):
        hazards[:, column] = np.bincount(group, weights=status == k, minlength=len(unique)) / at_risk
    event_free = np.cumprod(1.0 - hazards.sum(axis=1))
    previous = np.r_[1.0, event_free[:-1]]
    incidence = np.cumsum(previous[:, None] * hazards, axis=0)
    step = np.searchsorted(unique, np.atleast_1d(np.asarray(times, dtype=float)), side="right") - 1
    inside = step >= 0
    table = {"t": np.atleast_1d(np.asarray(times, dtype=float))}
    table["event_free"] = np.where(inside, event_free[np.maximum(step, 0)], 1.0)
    for column, k in enumerate(causes):
        table[f"cif_{k}"] = np.where(inside, incidence[np.maximum(step, 0), column], 0.0)
    return pd.DataFrame(table)


@dataclass(frozen=True)
class GrayTest:
    """Gray's k-sample test of the cumulative incidence of one event type."""

    cause: int
    statistic: float
    df: int
    p_value: float
    reason: str


def gray_test(
    time: np.ndarray,
    status: np.ndarray,
    group: np.ndarray,
    *,
    cause: int = 1,
    strata: np.ndarray | None = None,
    rho: float = 0.0,
) -> GrayTest:
    """Gray's test that the cumulative incidence of ``cause`` is the same in every group,
    ported from cmprsk's ``crstm`` (cmprsk::cuminc(...)$Tests, row ``cause``).

    Groups are the sorted distinct values of ``group``; the scores of all but the last and
    their covariance are summed over ``strata``; the statistic s' V^-1 s is chi-square with
    (groups - 1) df. ``rho`` is the power of the weight (1 - F(t-))^rho (0 = cmprsk's default,
    the log-rank analogue). Why not the log-rank test: with competing events, equal
    cause-specific hazards do not mean equal cumulative incidence.
    """
    time = np.asarray(time, dtype=float)
    status = np.asarray(status)
    group = np.asarray(group)
    strata = np.zeros(len(time), dtype=int) if strata is None else np.asarray(strata)
    if not (time.shape == status.shape == group.shape == strata.shape) or not np.isfinite(time).all():
        raise ValueError("time, status, group and strata must be finite and of the same length")
    levels, group_code = np.unique(group, return_inverse=True)
    n_groups = len(levels)
    if n_groups < 2:
        return GrayTest(cause, np.nan, 0, np.nan, "fewer than two groups")
    coded = np.where(status == 0, 0, np.where(status == cause, 1, 2))
    order = np.argsort(time, kind="stable")
    scores, variance = np.zeros(n_groups - 1), np.zeros((n_groups - 1, n_groups - 1))
    for stratum in np.unique(strata):
        rows = order[strata[order] == stratum]
        s, v = _gray_stratum(time[rows], coded[rows], group_code[rows], n_groups, rho)
        scores += s
        variance += v
    if np.linalg.matrix_rank(variance) < n_groups - 1:
        return GrayTest(cause, np.nan, n_groups - 1, np.nan, "singular variance (cmprsk reports -1)")
    statistic = float(scores @ np.linalg.solve(variance, scores))
    return GrayTest(cause, statistic, n_groups - 1, float(stats.chi2.sf(statistic, n_groups - 1)), "")


def _gray_stratum(
    y: np.ndarray, m: np.ndarray, ig: np.ndarray, ng: int, rho: float
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and covariance of one stratum: a line-by-line port of cmprsk's Fortran ``crst``
    (y sorted; m 0 censored / 1 cause / 2 other; ig group 0..ng-1)."""
    ng1 = ng - 1
    rs = np.bincount(ig, minlength=ng).astype(float)
    s, v = np.zeros(ng1), np.zeros((ng1, ng1))
    f1m, f1, skmm, skm = np.zeros(ng), np.zeros(ng), np.ones(ng), np.ones(ng)
    v3, v2, c = np.zeros(ng), np.zeros((ng1, ng)), np.zeros((ng, ng))
    fm = f = 0.0
    unique, starts = np.unique(y, return_index=True)
    ends = np.r_[starts[1:], len(y)]
    for block, (start, end) in enumerate(zip(starts, ends, strict=True)):
        d = np.zeros((3, ng))
        np.add.at(d, (m[start:end], ig[start:end]), 1.0)
        nd1, nd2 = d[1].sum(), d[2].sum()
        if nd1 > 0 or nd2 > 0:
            live = rs > 0
            tr = tq = 0.0
            for i in np.flatnonzero(live):
                skm[i] = skmm[i] * (rs[i] - d[1, i] - d[2, i]) / rs[i]
                f1[i] = f1m[i] + skmm[i] * d[1, i] / rs[i]
                tr += rs[i] / skmm[i]
                tq += rs[i] * (1 - f1m[i]) / skmm[i]
            f = fm + nd1 / tr
            fb = (1 - fm) ** rho
            a = np.zeros((ng, ng))
            for i in np.flatnonzero(live):
                t1 = rs[i] / skmm[i]
                a[i, i] = fb * t1 * (1 - t1 / tr)
                c[i, i] += a[i, i] * nd1 / (tr * (1 - fm))
                for j in range(i + 1, ng):
                    if rs[j] > 0:
                        a[i, j] = -fb * t1 * rs[j] / (skmm[j] * tr)
                        c[i, j] += a[i, j] * nd1 / (tr * (1 - fm))
            lower = np.tril_indices(ng, -1)
            a[lower] = a.T[lower]
            c[lower] = c.T[lower]
            for i in range(ng1):
                if rs[i] > 0:
                    s[i] += fb * (d[1, i] - nd1 * rs[i] * (1 - f1m[i]) / (skmm[i] * tq))
            if nd1 > 0:
                for k in np.flatnonzero(live):
                    t4 = 1 - (1 - f) / skm[k] if skm[k] > 0 else 1.0
                    t5 = 1 - (nd1 - 1) / (tr * skmm[k] - 1) if nd1 > 1 else 1.0
                    t3 = t5 * skmm[k] * nd1 / (tr * rs[k])
                    v3[k] += t4 * t4 * t3
                    t1 = a[:ng1, k] - t4 * c[:ng1, k]
                    v2[:, k] += t1 * t4 * t3
                    v += np.outer(t1, t1) * t3
            if nd2 > 0:
                for k in range(ng):
                    if skm[k] <= 0 or d[2, k] <= 0:
                        continue
                    t4 = (1 - f) / skm[k]
                    t5 = 1 - (d[2, k] - 1) / (rs[k] - 1) if d[2, k] > 1 else 1.0
                    t3 = t5 * (skmm[k] ** 2 * d[2, k]) / rs[k] ** 2
                    v3[k] += t4 * t4 * t3
                    t1 = t4 * c[:ng1, k]
                    v2[:, k] -= t1 * t4 * t3
                    v += np.outer(t1, t1) * t3
        if block == len(unique) - 1:
            break
        np.subtract.at(rs, ig[start:end], 1.0)
        fm = f
        f1m, skmm = f1.copy(), skm.copy()
    v += (c[:ng1] * v3) @ c[:ng1].T + c[:ng1] @ v2.T + v2 @ c[:ng1].T
    return s, v
