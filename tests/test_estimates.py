"""How an estimate with its CI reads in the validation figure's legend and the overview."""

from __future__ import annotations

import math

import pandas as pd

from mirflow.estimates import with_ci


def test_an_estimate_reads_with_its_interval():
    row = pd.Series({"auc": 0.8349, "auc_ci_low": 0.7051, "auc_ci_high": 0.9649})
    assert with_ci(row, "auc", "AUC") == "AUC 0.83 (0.71 to 0.96)"


def test_a_missing_bound_drops_the_interval_and_a_missing_estimate_reads_na():
    one_bound = {"slope": 0.65, "slope_ci_low": math.nan, "slope_ci_high": 1.1}
    assert with_ci(one_bound, "slope", "slope") == "slope 0.65"
    assert with_ci({"slope": 0.65}, "slope", "slope") == "slope 0.65"
    assert with_ci(pd.Series({"auc": None, "auc_ci_low": 0.1, "auc_ci_high": 0.9}), "auc", "AUC") == "AUC NA"
