"""mirflow.analyses.prognostic: cut-offs, KM strata, Cox models and the curve tables of each
endpoint x marker, against R survival and maxstat on the demo; dead ends (no events, all
patients on one side, no landmark events) are results with a reason, not crashes (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from mirflow.analyses import prognostic
from mirflow.analyses.prognostic import Endpoint, choose_cutoff, stratify
from mirflow.plots import prognostic as prognostic_plots
from mirflow.settings import SurvivalSettings
from mirflow.stats import survival

MARKERS = {"mir1246": "hsa-miR-1246", "mir1290": "hsa-miR-1290", "mir320c": "hsa-miR-320c"}
SURVIVAL = SurvivalSettings(
    ci_transform="log-log",
    cutoff="landmark_roc",
    population="cases",
    endpoints={},
    adjust_for=(),
    n_permutations=200,
)


def _fixture(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / name, sep="\t", na_values=["NA"])


@pytest.fixture(scope="module")
def demo_survival() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / "demo_survival.csv").set_index("sample")


@pytest.mark.parametrize("endpoint", ["pfs", "os"])
@pytest.mark.parametrize("marker", ["mir1246", "mir1290", "mir320c"])
def test_demo_median_split_matches_r(endpoint, marker):
    """The demo's patients split at the marker's median: KM, log-rank, Cox, maxstat vs R."""
    data = pd.read_csv(FIXTURES / "r" / "demo_survival.csv")
    prefix = f"demo_surv_{endpoint}_{marker}"
    ep = Endpoint(endpoint, data[f"{endpoint}_months"], data[f"{endpoint}_event"].astype(int), 6.0)
    values = data[marker]
    scan = survival.maxstat_scan(ep.time, ep.event, values)
    lau94 = survival.lausen94_p(scan.statistic.max(), scan.n, scan.sizes)
    chosen = choose_cutoff(ep, values, "median", scan)
    rows = pd.DataFrame(stratify(ep, values, chosen["cutoff"], "log-log", lau94, np.nan)).set_index("stratum")
    km = _fixture(f"{prefix}_km.tsv").query("conf_type == 'log-log'").set_index("group")
    for stratum, group in (("low", "0"), ("high", "1")):
        for column in ("n", "events", "median", "median_ci_low", "median_ci_high"):
            ours, theirs = rows.at[stratum, column], km.at[group, column]
            assert (np.isnan(ours) and np.isnan(theirs)) or ours == pytest.approx(theirs, abs=1e-6), column
    assert rows.at["low", "logrank_p"] == pytest.approx(
        _fixture(f"{prefix}_logrank.tsv")["p"].iloc[0], abs=1e-6
    )
    cox = _fixture(f"{prefix}_cox.tsv").iloc[0]
    assert rows.at["high", "hazard_ratio"] == pytest.approx(cox["hr"], abs=1e-6)
    maxstat = _fixture(f"{prefix}_maxstat.tsv").iloc[0]
    assert lau94 == pytest.approx(maxstat["p_lau94"], abs=1e-4)
    assert scan.left_max[np.argmax(scan.statistic)] == pytest.approx(maxstat["estimate"])


def test_unknown_survival_cutoff_is_an_error_not_a_fallback():
    """choose_cutoff used to fall back to the landmark-ROC cut-off for any unknown name."""
    with pytest.raises(ValueError, match=r"unknown survival\.cutoff 'quartile'"):
        choose_cutoff(None, None, "quartile", None)  # type: ignore[arg-type]


# ---- curve tables ---------------------------------------------------------------------------


def _area(curve: pd.DataFrame) -> float:
    """Trapezoidal area under a curve table's points (x = 1 - specificity)."""
    points = curve.assign(x=1 - curve["specificity"]).sort_values(["x", "sensitivity"])
    x, y = points["x"].to_numpy(), points["sensitivity"].to_numpy()
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


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


# ---- dead ends: results with a reason ----------------------------------------------------


def _endpoint(time, event, landmark: float = 6.0) -> prognostic.Endpoint:
    index = [f"P{i:02d}" for i in range(len(time))]
    return prognostic.Endpoint(
        "OS", pd.Series(time, index=index, dtype=float), pd.Series(event, index=index, dtype=int), landmark
    )


def test_cox_with_zero_events_does_not_raise():
    endpoint = _endpoint([3.0, 5.0, 8.0, 12.0, 20.0], [0, 0, 0, 0, 0])
    marker = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=endpoint.time.index)
    clinical = pd.DataFrame({"ecog": [0, 1, 0, 1, 0]}, index=endpoint.time.index)
    rows = prognostic.cox_rows(endpoint, "miR-a", marker, clinical)
    assert [r["model"] for r in rows] == ["univariable", "adjusted"]
    for row in rows:
        assert np.isnan(row["hazard_ratio"]) and np.isnan(row["p_value"])
        assert row["reason"] == "no events among the 5 patients"
        assert row["events"] == 0


def test_all_patients_on_one_side_of_the_cutoff():
    """(The KM figure and the overview of this split: tests/unit/plots/test_prognostic.py and
    tests/unit/steps/test_overview.py.)"""
    endpoint = _endpoint([3.0, 5.0, 8.0, 12.0, 20.0], [1, 0, 1, 1, 0])
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=endpoint.time.index)
    rows = prognostic.stratify(endpoint, values, 0.5, "log-log", np.nan, np.nan)
    assert [(r["stratum"], r["n"]) for r in rows] == [("low", 0), ("high", 5)]
    assert all(
        r["reason"] == "all 5 patients in the high (>= the cut-off) stratum: no comparison" for r in rows
    )
    assert np.isnan(rows[0]["logrank_p"]) and np.isnan(rows[0]["hazard_ratio"])


def test_no_landmark_events_gives_no_cutoff_and_a_reason():
    # every event after the landmark: the landmark ROC has no cases
    endpoint = _endpoint([7.0, 9.0, 12.0, 15.0, 20.0, 24.0], [1, 1, 0, 1, 0, 1])
    values = pd.Series([5.0, 1.0, 4.0, 2.0, 6.0, 3.0], index=endpoint.time.index)
    split = prognostic.split_marker(endpoint, "miR-a", values, SURVIVAL, np.random.default_rng(1))
    reason = (
        "no cut-off: the landmark ROC needs patients with an event by 6 (0) and patients followed "
        "beyond it (6)"
    )
    assert split.cutoff["reason"] == reason
    assert "cutoff" not in split.cutoff
    assert len(split.km) == 1 and split.km[0]["reason"] == reason
    assert split.km[0]["n"] == 6 and split.km[0]["events"] == 4
    assert np.isfinite(split.maxstat_p)  # the search over cut-offs was still possible
