"""Kaplan-Meier summaries on statsmodels, with R survival's conventions."""

from __future__ import annotations

import numpy as np
from statsmodels.duration.survfunc import SurvfuncRight

# R's survival compares survival probabilities to 0.5 with this tolerance.
_TOLERANCE = 1e-12


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
