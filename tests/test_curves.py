"""Curve tables (analyses) agree with the summaries they are drawn beside; plots only draw."""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, ROOT
from sklearn.metrics import roc_auc_score
from statsmodels.duration.survfunc import SurvfuncRight

from mirflow.analyses import diagnostic, prognostic
from mirflow.groups import CASE, CONTROL
from mirflow.plots import prognostic as prognostic_plots
from mirflow.settings import RocSettings
from mirflow.stats import roc, survival
from mirflow.stats.panel import cross_validated_panel

PLOTS = ROOT / "workflow" / "scripts" / "mirflow" / "plots"
FORBIDDEN = ("statsmodels", "sklearn", "scipy", "mirflow.stats", "mirflow.analyses")
MARKERS = {"mir1246": "hsa-miR-1246", "mir1290": "hsa-miR-1290", "mir320c": "hsa-miR-320c"}


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / "lung.csv")


@pytest.fixture(scope="module")
def demo_survival() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / "demo_survival.csv").set_index("sample")


def _area(curve: pd.DataFrame) -> float:
    """Trapezoidal area under a curve table's points (x = 1 - specificity)."""
    points = curve.assign(x=1 - curve["specificity"]).sort_values(["x", "sensitivity"])
    x, y = points["x"].to_numpy(), points["sensitivity"].to_numpy()
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


# --- Kaplan-Meier ---------------------------------------------------------------------


def test_km_curve_matches_statsmodels_and_counts(lung):
    time, event = lung["time"].to_numpy(float), lung["event"].to_numpy(int)
    curve = survival.km_curve(time, event, at=[0.0, 100.0, 365.0])
    steps = curve[curve["events"] > 0]
    fit = SurvfuncRight(time, event)
    np.testing.assert_array_equal(steps["time"], fit.surv_times)
    np.testing.assert_allclose(steps["survival"], fit.surv_prob, rtol=1e-12)
    assert curve["time"].is_monotonic_increasing and curve["time"].is_unique
    assert (curve["events"].sum(), curve["censored"].sum()) == (event.sum(), (event == 0).sum())
    for t in (0.0, 100.0, 365.0, float(time.max())):
        assert curve.set_index("time").at[t, "n_at_risk"] == (time >= t).sum()
    assert curve.set_index("time").at[0.0, "survival"] == 1.0


def test_km_curve_crosses_one_half_at_the_median(lung):
    time, event = lung["time"].to_numpy(float), lung["event"].to_numpy(int)
    median = survival.km_summary(time, event, "log-log").median
    curve = survival.km_curve(time, event).set_index("time")["survival"]
    assert curve[curve.index >= median].iloc[0] <= 0.5 < curve[curve.index < median].iloc[-1]


def test_km_curve_without_patients():
    curve = survival.km_curve(np.array([]), np.array([]), at=[0.0, 5.0])
    assert curve["n_at_risk"].tolist() == [0, 0] and curve["survival"].isna().all()


@pytest.mark.parametrize("name", ["pfs", "os"])
def test_km_curve_table_agrees_with_the_km_table(demo_survival, name):
    endpoint = prognostic.Endpoint(
        name, demo_survival[f"{name}_months"], demo_survival[f"{name}_event"].astype(int), 6.0
    )
    values = {MARKERS[m]: demo_survival[m].astype(float) for m in MARKERS}
    km_rows = []
    for mirna, marker in values.items():
        cutoff = float(np.median(marker))
        rows = prognostic.stratify(endpoint, marker, cutoff, "log-log", np.nan, np.nan)
        km_rows += [{"mirna": mirna} | row for row in rows]
    km = pd.DataFrame(km_rows, columns=prognostic.KM_COLUMNS)
    ticks = prognostic_plots.km_ticks(endpoint.time.max())
    table = prognostic.km_curve_table(endpoint, values, km, at=ticks)
    assert list(table.columns) == prognostic.KM_CURVE_COLUMNS
    for row in km.itertuples():
        curve = table[(table["mirna"] == row.mirna) & (table["stratum"] == row.stratum)].set_index("time")
        assert curve.at[0.0, "n_at_risk"] == row.n
        assert curve["events"].sum() == row.events
        assert curve["events"].sum() + curve["censored"].sum() == row.n
        assert set(ticks) <= set(curve.index)
        if np.isnan(row.median):
            assert (curve["survival"] > 0.5 - 1e-8).all()
        else:
            assert curve.loc[curve.index >= row.median, "survival"].iloc[0] <= 0.5 + 1e-8
            assert curve.loc[curve.index < row.median, "survival"].iloc[-1] >= 0.5 - 1e-8


def test_km_figure_numbers_at_risk_come_from_the_table(demo_survival):
    endpoint = prognostic.Endpoint(
        "OS", demo_survival["os_months"], demo_survival["os_event"].astype(int), 6.0
    )
    marker = demo_survival["mir1246"].astype(float)
    km = pd.DataFrame(
        [
            {"mirna": "hsa-miR-1246"} | row
            for row in prognostic.stratify(endpoint, marker, float(np.median(marker)), "log-log", 0.1, 0.1)
        ],
        columns=prognostic.KM_COLUMNS,
    )
    ticks = prognostic_plots.km_ticks(endpoint.time.max())
    table = prognostic.km_curve_table(endpoint, {"hsa-miR-1246": marker}, km, at=ticks)
    table.loc[table["time"].isin(ticks), "n_at_risk"] += 1000  # a figure drawn from the table shows it
    fig = prognostic_plots.km_figure(endpoint, table, km, {"population": "cases"})
    shown = sorted(int(t.get_text()) for t in fig.axes[1].texts)
    expected = sorted(table.loc[table["time"].isin(ticks), "n_at_risk"])
    plt.close(fig)
    assert shown == expected


# --- ROC --------------------------------------------------------------------------------


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


@pytest.mark.parametrize("name", ["pfs", "os"])
def test_landmark_roc_table_agrees_with_the_cutoff_table(demo_survival, name):
    endpoint = prognostic.Endpoint(
        name, demo_survival[f"{name}_months"], demo_survival[f"{name}_event"].astype(int), 12.0
    )
    values = {MARKERS[m]: demo_survival[m].astype(float) for m in MARKERS}
    table = prognostic.landmark_roc_table(endpoint, values)
    counts = prognostic.landmark_counts(endpoint)
    assert counts["n_events"] + counts["n_event_free"] + counts["n_not_evaluable"] == len(endpoint.time)
    for mirna, marker in values.items():
        scan = survival.maxstat_scan(endpoint.time, endpoint.event, marker)
        row = prognostic.choose_cutoff(endpoint, marker, "landmark_roc", scan)
        assert (row["n_landmark_events"], row["n_evaluable"]) == (
            counts["n_events"],
            counts["n_events"] + counts["n_event_free"],
        )
        curve = table[table["mirna"] == mirna]
        point = curve[curve["threshold"] == row["cutoff"]].iloc[0]
        assert (point["sensitivity"], point["specificity"]) == (row["sensitivity"], row["specificity"])
        assert _area(curve) == pytest.approx(row["landmark_auc"], abs=1e-12)


def test_curve_points_ends_follow_the_direction():
    cases, controls = np.array([3.0, 4.0, 5.0]), np.array([1.0, 2.0, 3.0])
    for way in ("<", ">"):
        thresholds, sensitivity, specificity = roc.curve_points(cases, controls, way)
        inner, inner_sens, inner_spec = roc.roc_points(cases, controls, way)
        np.testing.assert_array_equal(thresholds[1:-1], inner)
        np.testing.assert_array_equal(sensitivity[1:-1], inner_sens)
        np.testing.assert_array_equal(specificity[1:-1], inner_spec)
        # at +-inf everything or nothing is called positive, as the comparisons say
        for i, t in ((0, -np.inf), (-1, np.inf)):
            positive = (lambda v, t=t: v >= t) if way == "<" else (lambda v, t=t: v <= t)
            assert sensitivity[i] == positive(cases).mean()
            assert specificity[i] == 1 - positive(controls).mean()


# --- plots only draw --------------------------------------------------------------------


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("path", sorted(PLOTS.glob("*.py")), ids=lambda p: p.name)
def test_plots_do_not_fit(path):
    offending = [
        name for name in _imports(path) if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert not offending, f"{path.name} imports {offending}: plots draw tables, the analyses compute them"
