"""mirflow.stats.panel: the cross-validated multi-marker panel (Firth's logistic model)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from mirflow.stats.panel import cross_validated_panel


@pytest.fixture(scope="module")
def asah() -> pd.DataFrame:
    """pROC's aSAH data (113 patients with subarachnoid haemorrhage; outcome Poor = case)."""
    return pd.read_csv(FIXTURES / "r" / "aSAH.csv")


def test_panel_cross_validation_is_seeded_and_below_apparent(asah):
    x = asah[["s100b", "ndka"]]
    y = asah["case"]
    first = cross_validated_panel(x, y, 5, 3, seed=11)
    again = cross_validated_panel(x, y, 5, 3, seed=11)
    np.testing.assert_array_equal(first.auc_per_repeat, again.auc_per_repeat)
    assert first.auc_per_repeat.mean() < first.auc_apparent
    assert first.predictions["probability"].notna().all() and len(first.predictions) == 3 * len(y)
