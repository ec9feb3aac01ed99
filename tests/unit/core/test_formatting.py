"""mirflow.formatting: how numbers, estimates with their CI and lists of names read in the
figures' legends, the overview and the checklist."""

from __future__ import annotations

import math

import pandas as pd

from mirflow.formatting import estimate, number, shown, with_ci


def test_an_estimate_reads_with_its_interval():
    row = pd.Series({"auc": 0.8349, "auc_ci_low": 0.7051, "auc_ci_high": 0.9649})
    assert with_ci(row, "auc", "AUC") == "AUC 0.83 (0.71 to 0.96)"


def test_a_missing_bound_drops_the_interval_and_a_missing_estimate_reads_na():
    one_bound = {"slope": 0.65, "slope_ci_low": math.nan, "slope_ci_high": 1.1}
    assert with_ci(one_bound, "slope", "slope") == "slope 0.65"
    assert with_ci({"slope": 0.65}, "slope", "slope") == "slope 0.65"
    assert with_ci(pd.Series({"auc": None, "auc_ci_low": 0.1, "auc_ci_high": 0.9}), "auc", "AUC") == "AUC NA"


def test_styles_of_the_overview_and_the_checklist():
    assert estimate(0.95, 0.881, 1.0, spec=".3f", ci_spec=".2f", separator="-") == "0.950 (0.88-1.00)"
    assert estimate(0.95, 0.8812, 1.0, spec=".3f", prefix="95% CI ") == "0.950 (95% CI 0.881 to 1.000)"
    assert estimate(0.5, math.nan, math.nan, spec=".3f", no_ci=" (CI NA)") == "0.500 (CI NA)"
    assert number(None) == number(math.nan) == "NA" and number(1234.5678) == "1.23e+03"
    assert number(math.nan, missing="-") == "-"


def test_long_lists_of_names_say_how_many_there_are():
    names = [f"S{i}" for i in range(25)]
    assert shown(names[:3]) == "S0, S1, S2"
    assert shown(names, limit=2) == "S0, S1, ... (25 in all)"
