"""Firth's penalised logistic regression (firthmodels), set up in one place for the
adjusted logistic models (:mod:`mirflow.stats.logistic`), the multi-marker panel
(:mod:`mirflow.stats.panel`) and its bootstrap optimism (:mod:`mirflow.stats.optimism`),
so that the three fit the same model the same way.

Firth's penalty keeps the estimate finite when a marker separates the groups; the numpy
backend and 200 iterations are what every caller uses (firthmodels' default tolerances
unless a caller asks for tighter ones).
"""

from __future__ import annotations

import warnings

import numpy as np
from firthmodels import FirthLogisticRegression

MAX_ITER = 200
# What a failing fit may raise (rank-deficient design, too many parameters, overflow, ...).
FIT_FAILURES = (np.linalg.LinAlgError, ValueError, RuntimeError, FloatingPointError, ZeroDivisionError)


def model(gtol: float | None = None, xtol: float | None = None) -> FirthLogisticRegression:
    """An unfitted Firth model with the workflow's settings (tolerances as given, else
    firthmodels' defaults)."""
    tolerances = {name: value for name, value in (("gtol", gtol), ("xtol", xtol)) if value is not None}
    return FirthLogisticRegression(max_iter=MAX_ITER, backend="numpy", **tolerances)


def fit(x: np.ndarray, y: np.ndarray) -> tuple[FirthLogisticRegression, list[str]]:
    """The fitted model of ``y`` (0/1) on ``x`` (samples x predictors; the intercept is the
    model's) and the distinct messages of the warnings the fit gave. A numerical failure
    (:data:`FIT_FAILURES`) propagates; whether it converged is the caller's to check
    (``model.converged_``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = model().fit(x, y)
    return fitted, list(dict.fromkeys(str(w.message).rstrip(".") for w in caught))
