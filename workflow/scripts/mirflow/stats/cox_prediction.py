"""Predicted event-free probabilities of a Cox model, as R's riskRegression gives them.

The Brier score of a Cox model needs each patient's predicted S(t | x), not only the hazard
ratio. The model is fitted as :func:`mirflow.stats.survival.cox` fits it (statsmodels PHReg,
Efron ties, R's ``coxph`` default); the baseline cumulative hazard is the Efron-corrected
Breslow estimator that ``riskRegression::predictCox`` (behind ``predictRisk`` and ``Score``) and
``survival::survfit.coxph`` use for an Efron fit: at an event time u with D tied events,

    dH0(u) = sum_{k=0}^{D-1} 1 / (S0(u) - k/D * Sd(u)),

S0 the sum of exp(x'b) over the patients at risk at u and Sd over the D who have the event
there; S(t | x) = exp(-H0(t) exp(x'b)). The plain Breslow increment D / S0(u) differs as soon
as event times are tied (veteran's Cox model: 4e-3). Agreement with predictRisk is in
``tests/fixtures/r/time_roc/README.md``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from statsmodels.duration.hazard_regression import PHReg


@dataclass(frozen=True)
class CoxPrediction:
    """A fitted Cox model as a predictor: its coefficients, each patient's linear predictor
    x'b (centred on the patients' mean, as R's ``coxph``) and the baseline cumulative hazard
    H0 at the distinct event times (for a centred linear predictor of 0)."""

    coefficients: np.ndarray
    centre: float
    linear_predictor: np.ndarray
    times: np.ndarray
    cumulative_hazard: np.ndarray

    def cumulative_hazard_at(self, t: float) -> float:
        """H0(t), right-continuous, 0 before the first event time."""
        step = np.searchsorted(self.times, t, side="right") - 1
        return float(self.cumulative_hazard[step]) if step >= 0 else 0.0

    def survival(self, t: float, covariates: np.ndarray | None = None) -> np.ndarray:
        """Predicted S(t | x): of the fitted patients, or of new rows of ``covariates``."""
        linear = (
            self.linear_predictor
            if covariates is None
            else np.asarray(covariates, dtype=float).reshape(-1, len(self.coefficients)) @ self.coefficients
            - self.centre
        )
        return np.exp(-self.cumulative_hazard_at(t) * np.exp(linear))


def efron_cumulative_hazard(
    time: np.ndarray, event: np.ndarray, linear_predictor: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct event times and the Efron-corrected baseline cumulative hazard there
    (module docstring), for the given linear predictor."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=float)
    risk = np.exp(np.asarray(linear_predictor, dtype=float))
    times, group = np.unique(time, return_inverse=True)
    total = np.bincount(group, weights=risk, minlength=len(times))
    at_risk = total[::-1].cumsum()[::-1]  # sum of exp(x'b) over time >= u
    dying = np.bincount(group, weights=risk * event, minlength=len(times))
    deaths = np.bincount(group, weights=event, minlength=len(times)).astype(int)
    increments = np.zeros(len(times))
    for j in np.flatnonzero(deaths):
        k = np.arange(deaths[j])
        increments[j] = np.sum(1.0 / (at_risk[j] - k / deaths[j] * dying[j]))
    keep = deaths > 0
    return times[keep], np.cumsum(increments)[keep]


def fit_cox(time: np.ndarray, event: np.ndarray, covariates: np.ndarray) -> CoxPrediction:
    """A Cox model (Efron ties; statsmodels PHReg, as :func:`mirflow.stats.survival.cox`)
    with its Efron baseline hazard: predicted S(t | x) as ``riskRegression::predictRisk``.
    ``covariates``: one row per patient, one column per term (no intercept)."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=int)
    x = np.asarray(covariates, dtype=float).reshape(len(time), -1)
    model = PHReg(time, x, status=event, ties="efron")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit()
    coefficients = np.asarray(fit.params, dtype=float)
    linear = x @ coefficients
    centre = float(linear.mean())
    times, cumulative = efron_cumulative_hazard(time, event, linear - centre)
    return CoxPrediction(coefficients, centre, linear - centre, times, cumulative)
