"""mirflow.plots.prognostic: the KM figure shows the numbers at risk of the curve table and
says why a split has no comparison; p-values below double precision are not shown as 0."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, figure_texts

from mirflow.analyses import prognostic
from mirflow.plots import prognostic as prognostic_plots


@pytest.fixture(scope="module")
def demo_survival() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / "demo_survival.csv").set_index("sample")


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


def test_km_figure_of_patients_all_on_one_side_says_why():
    index = [f"P{i:02d}" for i in range(5)]
    endpoint = prognostic.Endpoint(
        "OS",
        pd.Series([3.0, 5.0, 8.0, 12.0, 20.0], index=index),
        pd.Series([1, 0, 1, 1, 0], index=index),
        6.0,
    )
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=index)
    rows = prognostic.stratify(endpoint, values, 0.5, "log-log", np.nan, np.nan)
    km = pd.DataFrame([{"mirna": "miR-a"} | r for r in rows], columns=prognostic.KM_COLUMNS)
    ticks = prognostic_plots.km_ticks(endpoint.time.max())
    curves = prognostic.km_curve_table(endpoint, {"miR-a": values}, km, at=ticks)
    fig = prognostic_plots.km_figure(endpoint, curves, km, {"population": "cases"})
    text = figure_texts(fig)
    plt.close(fig)
    assert "log-rank p = NA" in text and "HR high vs low NA" in text
    assert "all 5 patients in the high (>= the cut-off) stratum" in text.replace("\n", " ")


def test_km_ticks_without_follow_up():
    assert prognostic_plots.km_ticks(float("nan")).tolist() == [0.0]
    assert prognostic_plots.km_ticks(0.0).tolist() == [0.0]


def test_a_p_value_below_double_precision_is_not_shown_as_zero():
    assert prognostic_plots.p_text(0.0) == "< 1e-300"
    assert prognostic_plots.p_text(0.0123) == "= 0.012" and prognostic_plots.p_text(3.14e-5) == "= 3.1e-05"
    assert prognostic_plots.p_text(float("nan")) == "= NA"
