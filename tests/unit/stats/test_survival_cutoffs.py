"""mirflow.stats.survival_cutoffs: how a prognostic split chooses its cut-off
(``survival.cutoff``), from the inputs every method may use (the registry equals the
schema's enum: tests/architecture/test_registries.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mirflow.stats.survival_cutoffs import CUTOFFS, SplitInputs

SPLIT = SplitInputs(
    values=np.array([1.0, 4.0, 2.0, 8.0, 3.0]),
    time=np.array([5.0, 2.0, 9.0, 1.0, 7.0]),
    event=np.array([1, 1, 0, 1, 0]),
    landmark=6.0,
    landmark_cutoff=4.0,
    maxstat_cutoff=2.0,
)


def test_each_method_takes_its_cutoff():
    assert CUTOFFS["landmark_roc"].function(SPLIT) == 4.0
    assert CUTOFFS["median"].function(SPLIT) == 3.0
    assert CUTOFFS["maxstat"].function(SPLIT) == 2.0
    assert all(method.description for method in CUTOFFS.values())


def test_no_landmark_cutoff_is_nan_not_a_fallback():
    split = SplitInputs(SPLIT.values, SPLIT.time, SPLIT.event, 6.0, np.nan, np.nan)
    assert np.isnan(CUTOFFS["landmark_roc"].function(split))
    with pytest.raises(ValueError, match=r"unknown survival\.cutoff 'quartile'"):
        CUTOFFS["quartile"]


def test_ipcw_youden_is_the_ipcw_youden_cutoff_at_the_landmark():
    """ipcw_youden: time_roc.youden_cutoff at the landmark, higher value = event, as the
    landmark ROC; an observed value."""
    from mirflow.stats.time_roc import youden_cutoff

    expected = youden_cutoff(SPLIT.time, SPLIT.event, SPLIT.values, SPLIT.landmark, higher_is_risk=True)
    assert CUTOFFS["ipcw_youden"].function(SPLIT) == expected.cutoff
    assert expected.cutoff in SPLIT.values


def test_ipcw_youden_without_cases_is_nan():
    split = SplitInputs(SPLIT.values, SPLIT.time + 10, SPLIT.event, 6.0, np.nan, np.nan)
    assert np.isnan(CUTOFFS["ipcw_youden"].function(split))


def test_ipcw_youden_without_censoring_before_the_landmark_is_the_landmark_rocs():
    """Nobody censored before the landmark: every weight is 1 and the IPCW ROC is the
    landmark ROC, so both methods give the same Youden cut-off."""
    from mirflow.stats.roc import best_cutoff

    values = np.array([1.0, 4.0, 2.0, 8.0, 3.0, 5.0, 6.0, 0.5])
    time = np.array([8.0, 2.0, 9.0, 1.0, 7.0, 3.0, 10.0, 12.0])
    event = np.array([1, 1, 0, 1, 0, 1, 1, 0])
    split = SplitInputs(values, time, event, 6.0, np.nan, np.nan)
    early, late = values[(time <= 6) & (event == 1)], values[time > 6]
    assert CUTOFFS["ipcw_youden"].function(split) == best_cutoff(early, late, "<", "youden").value
