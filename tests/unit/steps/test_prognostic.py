"""mirflow.steps.prognostic and steps.prognostic_figures: an endpoint without events or
times, or a marker constant among the patients, gives tables with NA and a reason, figures
that say why, and an overview that says so; the run goes on (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import figure_texts

from mirflow.analyses import prognostic
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots import prognostic as prognostic_plots
from mirflow.settings import SurvivalSettings
from mirflow.steps.overview import overview
from mirflow.steps.prognostic import run_prognostic
from mirflow.steps.prognostic_figures import run_prognostic_figures


def _cohort(case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A sheet of 12 patients and 10 donors with one endpoint (t, e) and two markers'
    normalised values; ``case`` empties the endpoint or makes miR-b constant."""
    rng = np.random.default_rng(3)
    samples = [f"P{i:02d}" for i in range(12)] + [f"H{i:02d}" for i in range(10)]
    time = np.r_[rng.uniform(1, 30, 12), [np.nan] * 10]
    event = np.r_[rng.integers(0, 2, 12), [np.nan] * 10]
    event[:3] = 1
    if case == "no events":
        event[:12] = 0
    if case == "no times":
        time[:12] = np.nan
    sheet = pd.DataFrame(
        {
            "sample": samples,
            "group": ["NEC"] * 12 + ["healthy"] * 10,
            "age": rng.normal(60, 5, 22),
            "t": time,
            "e": event,
        }
    )
    marker_b = np.full(22, 100.0) if case == "constant" else rng.lognormal(5, 1, 22)
    values = pd.DataFrame([rng.lognormal(5, 1, 22), marker_b], index=["miR-a", "miR-b"], columns=samples)
    return sheet, values


def _run_prognostic(tmp_path, case: str) -> dict[str, pd.DataFrame]:
    sheet, values = _cohort(case)
    write_tsv(sheet, tmp_path / "samples.tsv")
    write_tsv(values, tmp_path / "normalised.tsv", index_label="mirna")
    write_tsv(np.log2(values + 1), tmp_path / "transformed.tsv", index_label="mirna")
    write_tsv(pd.DataFrame({"mirna": values.index}), tmp_path / "markers.tsv")
    group = np.where(sheet["group"] == "NEC", "case", "control")
    write_tsv(
        pd.DataFrame({"sample": sheet["sample"], "age": 0.0, "group": group}), tmp_path / "covariates.tsv"
    )
    settings = SurvivalSettings.from_params(
        {
            "ci_transform": "log-log",
            "cutoff": "landmark_roc",
            "population": "cases",
            "endpoints": {"PFS": {"time": "t", "event": "e", "landmark": 6}},
            "adjust_for": [],
            "n_permutations": 200,
        }
    )
    figures = {
        "prog_km_PFS": (tmp_path / "km.png", tmp_path / "km.pdf"),
        "prog_landmark_roc_PFS": (tmp_path / "landmark.png", tmp_path / "landmark.pdf"),
    }
    outs = {name: str(tmp_path / f"{name}.tsv") for name in ("cutoffs", "km", "cox", "table5")}
    run_prognostic(
        settings,
        1,
        str(tmp_path / "samples.tsv"),
        str(tmp_path / "normalised.tsv"),
        str(tmp_path / "transformed.tsv"),
        str(tmp_path / "markers.tsv"),
        str(tmp_path / "covariates.tsv"),
        outs["cutoffs"],
        outs["km"],
        outs["cox"],
        outs["table5"],
    )
    run_prognostic_figures(
        settings,
        str(tmp_path / "samples.tsv"),
        str(tmp_path / "normalised.tsv"),
        str(tmp_path / "markers.tsv"),
        str(tmp_path / "covariates.tsv"),
        outs["cutoffs"],
        outs["km"],
        figures,
    )
    assert all(path.exists() for pair in figures.values() for path in pair)
    return {name: read_tsv(path) for name, path in outs.items()}


@pytest.mark.parametrize(
    ("case", "reason", "n", "events"),
    [
        ("no events", "no PFS events among the 12 patients", 12, 0),
        ("no times", "no patient has both a PFS time and an event", 0, 0),
    ],
)
def test_endpoint_without_events_or_times_gives_na_with_a_reason(
    tmp_path, overview_tables, case, reason, n, events
):
    tables = _run_prognostic(tmp_path, case)
    for name in ("cutoffs", "km", "cox"):
        table = tables[name]
        assert table.columns[-1] == "reason"
        assert (table["reason"] == reason).all(), (name, table)
        assert len(table) == 2  # one row per marker (the KM table without strata)
    km = tables["km"]
    assert km["stratum"].isna().all()
    assert km[["n", "events"]].to_numpy().tolist() == [[n, events]] * 2
    assert km[["median", "logrank_p", "hazard_ratio", "maxstat_p", "cutoff"]].isna().all().all()
    assert tables["cox"][["hazard_ratio", "ci_low", "ci_high", "p_value"]].isna().all().all()
    assert tables["cutoffs"]["cutoff"].isna().all()
    assert tables["table5"]["level"].tolist()[1:] == [f"not stratified: {reason}"] * 2
    counts = {"endpoint": "PFS", "landmark": 6.0, "n_events": 0, "n_event_free": 0, "n_not_evaluable": 0}
    curves = pd.DataFrame(columns=prognostic.LANDMARK_ROC_COLUMNS)
    fig = prognostic_plots.landmark_roc_figure(curves, tables["cutoffs"], counts)
    assert f"no landmark ROC {reason}" in " ".join(figure_texts(fig).split())
    text = overview(
        overview_tables.qc(),
        overview_tables.candidates(["miR-a", "miR-b"]),
        overview_tables.roc(["miR-a", "miR-b"]),
        overview_tables.panel(),
        km,
    )
    assert text.query("section == 'prognosis: PFS'")["value"].tolist() == [f"not stratified: {reason}"] * 2


def test_constant_marker_is_not_stratified_and_the_km_panel_says_so(tmp_path):
    tables = _run_prognostic(tmp_path, "constant")
    km = tables["km"]
    assert km.loc[km["mirna"] == "miR-a", "stratum"].tolist() == ["low", "high"]
    assert km.loc[km["mirna"] == "miR-a", "reason"].isna().all()  # written as an empty cell
    constant = km[km["mirna"] == "miR-b"]
    assert constant["reason"].tolist() == ["miR-b is constant among the 12 patients"]
    cox = tables["cox"].set_index("mirna")
    assert np.isfinite(cox.loc["miR-a", "hazard_ratio"])
    assert np.isnan(cox.loc["miR-b", "hazard_ratio"])
    assert cox.loc["miR-b", "reason"] == "miR-b is constant among the 12 patients"
    sheet, _ = _cohort("constant")
    endpoint = prognostic.Endpoint(
        "PFS",
        sheet.set_index("sample")["t"].iloc[:12],
        sheet.set_index("sample")["e"].iloc[:12].astype(int),
        6.0,
    )
    curves = pd.DataFrame(columns=prognostic.KM_CURVE_COLUMNS)
    fig = prognostic_plots.km_figure(endpoint, curves, constant, {"population": "cases"})
    assert "not stratified:\nmiR-b is constant among the 12 patients" in figure_texts(fig)
