"""mirflow.analyses.diagnostic: the ROC and panel curve tables agree with the summaries they
are drawn beside (the figures only draw them)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from sklearn.metrics import roc_auc_score

from mirflow.analyses import diagnostic
from mirflow.groups import CASE, CONTROL
from mirflow.settings import RocSettings
from mirflow.stats.panel import cross_validated_panel

MARKERS = {"mir1246": "hsa-miR-1246", "mir1290": "hsa-miR-1290", "mir320c": "hsa-miR-320c"}


def _area(curve: pd.DataFrame) -> float:
    """Trapezoidal area under a curve table's points (x = 1 - specificity)."""
    points = curve.assign(x=1 - curve["specificity"]).sort_values(["x", "sensitivity"])
    x, y = points["x"].to_numpy(), points["sensitivity"].to_numpy()
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


def _demo_values() -> tuple[pd.DataFrame, pd.Series]:
    data = pd.read_csv(FIXTURES / "r" / "demo_markers.csv").set_index("sample")
    labels = data["case"].map({1: CASE, 0: CONTROL})
    values = data[list(MARKERS)].rename(columns=MARKERS).T
    values.loc["hsa-miR-lower"] = -values.loc["hsa-miR-1246"]  # lower in cases: direction '>'
    return values, labels


def test_roc_curve_table_agrees_with_the_roc_table():
    values, labels = _demo_values()
    settings = RocSettings(ci="delong", n_bootstrap=0, cutoff="youden")
    rows = diagnostic.roc_table(values, labels, list(values.index), settings, seed=1)
    assert rows.set_index("mirna").at["hsa-miR-lower", "direction"] == ">"
    table = diagnostic.roc_curve_table(values, labels, rows)
    assert list(table.columns) == diagnostic.ROC_CURVE_COLUMNS
    for row in rows.itertuples():
        curve = table[table["mirna"] == row.mirna]
        at_cutoff = curve[curve["threshold"] == row.cutoff].iloc[0]
        assert (at_cutoff["sensitivity"], at_cutoff["specificity"]) == (row.sensitivity, row.specificity)
        ends = curve.iloc[[0, -1]]
        assert ends["threshold"].tolist() == [-np.inf, np.inf]
        assert {tuple(p) for p in ends[["sensitivity", "specificity"]].to_numpy()} == {(1.0, 0.0), (0.0, 1.0)}
        assert curve["threshold"].is_monotonic_increasing
        # the points follow the curve from one end to the other
        steps = np.sign(np.diff(curve["sensitivity"]))
        assert (steps <= 0).all() if row.direction == "<" else (steps >= 0).all()
        assert _area(curve) == pytest.approx(row.auc, abs=1e-12)


def test_panel_curve_table_per_repeat():
    data = pd.read_csv(FIXTURES / "r" / "aSAH.csv")
    result = cross_validated_panel(data[["s100b", "ndka"]], data["case"], 5, 3, seed=11)
    table = diagnostic.panel_curve_table(result.predictions)
    assert list(table.columns) == diagnostic.PANEL_CURVE_COLUMNS
    assert sorted(table["repeat"].unique()) == [1, 2, 3]
    for repeat, curve in table.groupby("repeat"):
        assert (curve["sensitivity"].iloc[0], curve["specificity"].iloc[0]) == (0.0, 1.0)
        assert (curve["sensitivity"].iloc[-1], curve["specificity"].iloc[-1]) == (1.0, 0.0)
        assert _area(curve) == pytest.approx(result.auc_per_repeat[repeat - 1], abs=1e-12)
        rows = result.predictions[result.predictions["repeat"] == repeat]
        assert _area(curve) == pytest.approx(roc_auc_score(rows["case"], rows["probability"]), abs=1e-12)
        assert (curve["n_case"] == data["case"].sum()).all()
        assert (curve["n_control"] == (data["case"] == 0).sum()).all()
    assert diagnostic.panel_curve_table(result.predictions.iloc[0:0]).empty
