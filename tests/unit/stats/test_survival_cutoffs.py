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
