"""Analytic dead ends are results, not crashes (issue 10).

When the data leave nothing to analyse (no candidates, a panel the data cannot support,
an endpoint without events or patients, a constant marker), the stage writes its tables
with NA values and a ``reason``, the overview says why, the figures show a message and
the run succeeds. A filter that keeps no miRNA is a setting to fix: one input error. An
empty library is excluded by QC before any size factor is computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, demo_config, run_workflow

from mirflow.analyses import panel as panel_analysis
from mirflow.analyses import prognostic
from mirflow.errors import InputError
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots import diagnostic as diagnostic_plots
from mirflow.plots import prognostic as prognostic_plots
from mirflow.settings import (
    ContrastSettings,
    DESettings,
    FilterSettings,
    PanelSettings,
    QCSettings,
    SurvivalSettings,
)
from mirflow.stats import normalise, qc
from mirflow.stats import panel as panel_stats
from mirflow.steps import normalise as normalise_step
from mirflow.steps.logistic import logistic_models
from mirflow.steps.overview import overview
from mirflow.steps.panel import run_panel
from mirflow.steps.prognostic import run_prognostic, run_prognostic_figures
from mirflow.steps.qc import run_qc, run_qc_figures

SPEC_PANEL = ["markers", "auc_cv", "auc_cv_sd", "n_repeats", "n_folds"]
PANEL = PanelSettings(n_folds=5, n_repeats=3, include_covariates=False, n_bootstrap=20)


def _texts(fig) -> str:
    """Every text drawn on a figure (axes texts and titles), for checking messages."""
    parts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        parts += [t.get_text() for t in ax.texts] + [ax.get_title()]
    return "\n".join(parts)


# ---------------------------------------------------------------- the panel


def _panel_data(n_case: int = 10, n_control: int = 12, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    index = [f"S{i:02d}" for i in range(n_case + n_control)]
    y = pd.Series([1] * n_case + [0] * n_control, index=index)
    x = pd.DataFrame(
        {"miR-a": rng.normal(size=len(y)) + 2 * y.to_numpy(), "miR-b": rng.normal(size=len(y))}, index=index
    )
    return x, y


def test_panel_fits_when_the_data_support_it():
    x, y = _panel_data()
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert reason == "" and result is not None
    row = panel_analysis.panel_row(list(x.columns), [], PANEL, result, reason)
    assert row.columns.tolist()[: len(SPEC_PANEL)] == SPEC_PANEL
    assert row.columns[-1] == "reason" and row["reason"].iloc[0] == ""
    assert 0.5 < row["auc_cv"].iloc[0] <= 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # 8 predictors for 10 cases: 1.2 per predictor
        ("many", "8 predictors for 10 samples in the smaller group (1.2 per predictor, fewer than 2)"),
        ("constant", "miR-c constant over the 22 samples"),
        ("one case", "the smaller group has 1 sample(s) with complete data"),
        # nonzero in one case only: constant in the training samples of the fold that tests it
        ("one nonzero", "miR-c constant in the training samples of repeat 1, fold"),
    ],
)
def test_panel_not_fitted_says_why(change, expected):
    x, y = _panel_data()
    rng = np.random.default_rng(5)
    if change == "many":
        x = pd.concat([x, pd.DataFrame(rng.normal(size=(len(x), 6)), index=x.index).add_prefix("m")], axis=1)
    elif change == "constant":
        x = x.assign(**{"miR-c": 3.0})
    elif change == "one case":
        x, y = x.iloc[9:], y.iloc[9:]
    else:
        x = x.assign(**{"miR-c": np.r_[5.0, np.zeros(len(x) - 1)]})
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert result is None
    assert reason.startswith(expected), reason


def test_panel_with_identical_controls_is_fitted():
    """Every control with the same values: separated, which Firth's fit handles."""
    x, y = _panel_data()
    x.loc[y == 0, :] = 1.0
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert reason == "" and result is not None
    assert np.isfinite(result.auc_per_repeat).all()


class _NeverConverges:
    """A Firth model whose Newton iterations stop before convergence."""

    def __init__(self) -> None:
        from firthmodels import FirthLogisticRegression

        self.model = FirthLogisticRegression(max_iter=1, backend="numpy")

    def fit(self, x, y):
        return self.model.fit(x, y)


class _Raises:
    def fit(self, x, y):
        raise np.linalg.LinAlgError("Weighted design matrix is rank deficient.")


def test_panel_fit_that_does_not_converge_or_fails_is_a_reason(monkeypatch):
    x, y = _panel_data()
    monkeypatch.setattr(panel_stats, "_model", _NeverConverges)
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert result is None
    assert reason.startswith("Firth fit did not converge in repeat 1, fold 1"), reason
    monkeypatch.setattr(panel_stats, "_model", _Raises)
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert result is None
    assert reason == (
        "Firth fit failed in repeat 1, fold 1 (LinAlgError: Weighted design matrix is rank deficient.)"
    )


def _panel_files(tmp_path, markers: list[str], values: pd.DataFrame, labels: pd.Series) -> dict[str, str]:
    paths = {k: str(tmp_path / f"{k}.tsv") for k in ("transformed", "markers", "covariates")}
    write_tsv(values, paths["transformed"], index_label="mirna")
    write_tsv(pd.DataFrame({"mirna": markers}), paths["markers"])
    design = pd.DataFrame({"sample": labels.index, "age": np.linspace(-1, 1, len(labels)), "group": labels})
    write_tsv(design, paths["covariates"])
    return paths


def test_panel_step_writes_one_row_with_the_reason_and_the_figure_shows_it(tmp_path):
    x, y = _panel_data()
    x = x.assign(**{"miR-c": 1.0})
    labels = y.map({1: "case", 0: "control"})
    paths = _panel_files(tmp_path, list(x.columns), x.T, labels)
    out, predictions = tmp_path / "panel.tsv", tmp_path / "predictions.tsv"
    run_panel(
        PANEL, 7, paths["transformed"], paths["markers"], paths["covariates"], str(out), str(predictions)
    )
    table = read_tsv(out)
    assert table.columns.tolist()[: len(SPEC_PANEL)] == SPEC_PANEL
    assert table.columns[-1] == "reason"
    assert len(table) == 1
    row = table.iloc[0]
    assert row[["auc_cv", "auc_cv_sd", "auc_apparent"]].isna().all()
    assert row["markers"] == "miR-a;miR-b;miR-c"
    assert row["reason"] == "miR-c constant over the 22 samples"
    assert read_tsv(predictions).empty
    curves = panel_analysis_curves(read_tsv(predictions))
    fig = diagnostic_plots.panel_roc(curves, row, {"case": "NEC", "control": "healthy"})
    assert "panel not fitted:\nmiR-c constant over the 22 samples" in _texts(fig)


def panel_analysis_curves(predictions: pd.DataFrame) -> pd.DataFrame:
    from mirflow.analyses.diagnostic import panel_curve_table

    return panel_curve_table(predictions)


def test_panel_step_without_markers(tmp_path):
    x, y = _panel_data()
    paths = _panel_files(tmp_path, [], x.T, y.map({1: "case", 0: "control"}))
    out, predictions = tmp_path / "panel.tsv", tmp_path / "predictions.tsv"
    run_panel(
        PANEL, 7, paths["transformed"], paths["markers"], paths["covariates"], str(out), str(predictions)
    )
    assert read_tsv(out).iloc[0]["reason"] == "no markers"


def test_logistic_model_of_a_constant_marker_is_na_with_a_reason():
    x, y = _panel_data()
    labels = y.map({1: "case", 0: "control"})
    values = x.assign(**{"miR-c": 4.0}).T
    covariates = pd.DataFrame({"age": np.linspace(-1, 1, len(y))}, index=y.index)
    table = logistic_models(values, labels, covariates, ["miR-a", "miR-c"])
    assert table["mirna"].tolist() == ["miR-a", "miR-c"]
    assert np.isfinite(table.loc[0, "odds_ratio"])
    constant = table.iloc[1]
    assert constant[["odds_ratio", "ci_low", "ci_high", "p_value"]].isna().all()
    assert constant["reason"] == "no model: miR-c is constant over the 22 samples"
    assert constant["n"] == 22


# ---------------------------------------------------------------- prognosis

SURVIVAL = SurvivalSettings(
    ci_transform="log-log",
    cutoff="landmark_roc",
    population="cases",
    endpoints={},
    adjust_for=(),
    n_permutations=200,
)


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
def test_endpoint_without_events_or_times_gives_na_with_a_reason(tmp_path, case, reason, n, events):
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
    assert f"no landmark ROC {reason}" in " ".join(_texts(fig).split())
    text = overview(_qc(), _candidates(["miR-a", "miR-b"]), _roc(["miR-a", "miR-b"]), _panel(), km)
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
    assert "not stratified:\nmiR-b is constant among the 12 patients" in _texts(fig)


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
    endpoint = _endpoint([3.0, 5.0, 8.0, 12.0, 20.0], [1, 0, 1, 1, 0])
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=endpoint.time.index)
    rows = prognostic.stratify(endpoint, values, 0.5, "log-log", np.nan, np.nan)
    assert [(r["stratum"], r["n"]) for r in rows] == [("low", 0), ("high", 5)]
    assert all(
        r["reason"] == "all 5 patients in the high (>= the cut-off) stratum: no comparison" for r in rows
    )
    assert np.isnan(rows[0]["logrank_p"]) and np.isnan(rows[0]["hazard_ratio"])
    km = pd.DataFrame([{"mirna": "miR-a"} | r for r in rows], columns=prognostic.KM_COLUMNS)
    ticks = prognostic_plots.km_ticks(endpoint.time.max())
    curves = prognostic.km_curve_table(endpoint, {"miR-a": values}, km, at=ticks)
    fig = prognostic_plots.km_figure(endpoint, curves, km, {"population": "cases"})
    text = _texts(fig)
    assert "log-rank p = NA" in text and "HR high vs low NA" in text
    assert "all 5 patients in the high (>= the cut-off) stratum" in text.replace("\n", " ")
    summary = overview(_qc(), _candidates(["miR-a"]), _roc(["miR-a"]), _panel(), km)
    assert summary.iloc[-1]["value"] == (
        "< 0.5: median NR (n=0) vs >=: 12.0 (n=5); log-rank p NA, corrected for the cut-off search p NA; "
        "all 5 patients in the high (>= the cut-off) stratum: no comparison"
    )


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


def test_km_ticks_without_follow_up():
    assert prognostic_plots.km_ticks(float("nan")).tolist() == [0.0]
    assert prognostic_plots.km_ticks(0.0).tolist() == [0.0]


# ---------------------------------------------------------------- overview


def _qc() -> pd.DataFrame:
    return pd.DataFrame(
        {"sample": ["A", "B"], "excluded": [False, False], "reason": ["", ""], "group": ["NEC", "healthy"]}
    )


def _candidates(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"mirna": names})


def _roc(names: list[str]) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame(
        {
            "mirna": names,
            "auc": [0.9] * n,
            "auc_ci_low": [0.8] * n,
            "auc_ci_high": [1.0] * n,
            "cutoff": [10.0] * n,
            "sensitivity": [0.9] * n,
            "specificity": [0.8] * n,
        }
    )


def _panel(reason: str | None = None) -> pd.DataFrame:
    fitted = reason is None
    return pd.DataFrame(
        {
            "markers": ["miR-a"],
            "auc_cv": [0.9 if fitted else np.nan],
            "auc_cv_sd": [0.01 if fitted else np.nan],
            "auc_apparent": [0.95 if fitted else np.nan],
            "reason": [np.nan if fitted else reason],
        }
    )


def test_overview_without_candidates_says_why():
    km = pd.DataFrame(columns=prognostic.KM_COLUMNS)
    empty = _candidates([])
    table = overview(_qc(), empty, _roc([]), _panel("no markers"), km).set_index("item")["value"]
    assert table["candidates"] == (
        "0: no candidates at padj < alpha and |log2FC| >= min_log2_fold_change "
        "(de.alpha, de.min_log2_fold_change) (so no markers, no ROC, no panel, no prognosis)"
    )
    assert table["markers"] == "none: no candidates"
    assert table["panel"] == "panel not fitted: no markers"
    de = DESettings(alpha=1e-300, min_log2_fold_change=1, screen="unadjusted")
    table = overview(_qc(), empty, _roc([]), _panel("no markers"), None, de=de).set_index("item")["value"]
    assert table["candidates"] == (
        "0: no candidates at padj < alpha = 1e-300 and |log2FC| >= 1 (unadjusted fit; de.alpha, "
        "de.min_log2_fold_change) (so no markers, no ROC, no panel)"
    )


def test_overview_candidates_without_markers_and_panel_not_fitted():
    table = overview(_qc(), _candidates(["miR-a"]), _roc([]), _panel("no markers"), None)
    values = table.set_index("item")["value"]
    assert (
        values["markers"]
        == "none: no candidate has covariate-adjusted logistic p < 0.05 (so no ROC, no panel)"
    )
    table = overview(
        _qc(), _candidates(["miR-a"]), _roc(["miR-a"]), _panel("miR-a constant over the 38 samples"), None
    )
    assert table.set_index("item")["value"]["panel"] == "panel not fitted: miR-a constant over the 38 samples"


def test_overview_of_a_constant_roc_marker():
    roc = _roc(["miR-a"]).assign(auc=0.5, auc_ci_low=np.nan, auc_ci_high=np.nan, cutoff=np.nan)
    table = overview(_qc(), _candidates([]), roc, _panel("x"), None).set_index("item")["value"]
    assert table["miR-a"] == "AUC 0.500 (CI NA); no cut-off (the marker does not vary)"
    assert table["candidates"].endswith("(de.alpha, de.min_log2_fold_change)")  # configured markers go on


# ---------------------------------------------------------------- filter and empty libraries


def _counts_files(tmp_path, counts: pd.DataFrame, excluded: dict[str, str] | None = None) -> dict[str, str]:
    groups = ["NEC" if s.startswith("P") else "healthy" for s in counts.columns]
    paths = {k: str(tmp_path / f"{k}.tsv") for k in ("samples", "counts", "qc")}
    write_tsv(pd.DataFrame({"sample": counts.columns, "group": groups}), paths["samples"])
    write_tsv(counts, paths["counts"], index_label="mirna")
    excluded = excluded or {}
    write_tsv(
        pd.DataFrame(
            {
                "sample": counts.columns,
                "excluded": [s in excluded for s in counts.columns],
                "reason": [excluded.get(s, "") for s in counts.columns],
            }
        ),
        paths["qc"],
    )
    return paths


def _counts(n_mirna: int = 30, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    samples = [f"P{i}" for i in range(6)] + [f"H{i}" for i in range(6)]
    return pd.DataFrame(
        rng.poisson(rng.uniform(5, 3000, size=(n_mirna, 1)), size=(n_mirna, len(samples))),
        index=[f"miR-{i}" for i in range(n_mirna)],
        columns=samples,
    )


CONTRAST = ContrastSettings("group", "NEC", "healthy")


def _normalise(tmp_path, paths: dict[str, str], settings: FilterSettings) -> None:
    outs = [
        str(tmp_path / f"{k}.tsv") for k in ("raw", "normalised", "size_factors", "filtered", "transformed")
    ]
    normalise_step.run_normalise(
        settings, "deseq2", "counts", "auto", CONTRAST, paths["samples"], paths["counts"], paths["qc"], *outs
    )


def test_filter_that_keeps_no_mirna_is_one_input_error(tmp_path):
    counts = _counts()
    paths = _counts_files(tmp_path, counts)
    with pytest.raises(InputError) as error:
        _normalise(tmp_path, paths, FilterSettings(min_count=1_000_000, min_fraction=0.5))
    message = str(error.value)
    largest = counts.to_numpy().max()
    reachable = np.sort(counts.to_numpy(), axis=1)[:, -3].max()
    assert message == (
        "config (filter): no miRNA has >= 1000000 counts in >= 3 samples (filter.min_count, "
        f"filter.min_fraction: 0.5 of the smaller group); the largest count is {largest}, and the best of "
        "the 30 miRNAs has >= 1000000 counts in 0 sample(s). Fix: lower filter.min_count (a miRNA passes up "
        f"to min_count {reachable}) or filter.min_fraction"
    )
    assert not (tmp_path / "normalised.tsv").exists()


def test_empty_library_is_excluded_before_size_factors(tmp_path, monkeypatch):
    counts = _counts().assign(H5=0)
    metrics = qc.qc_metrics(counts, "miR-0", "miR-1")
    labels = pd.Series(["case"] * 6 + ["control"] * 6, index=counts.columns)
    for threshold in (0, 50_000):
        table = qc.exclusion_reasons(metrics, labels, threshold, 7, {}).set_index("sample")
        assert table.loc["H5", "excluded"]
        assert table.loc["H5", "reason"] == "library size 0"
    # through the qc and normalise steps: the size factors never see the empty library
    paths = _counts_files(tmp_path, counts)
    settings = QCSettings(0, 7, "miR-0", "miR-1", {})
    figures = [(str(tmp_path / f"{n}.png"), str(tmp_path / f"{n}.pdf")) for n in ("qc", "pca")]
    run_qc(settings, CONTRAST, True, paths["samples"], paths["counts"], paths["qc"])
    run_qc_figures(
        settings,
        CONTRAST,
        True,
        paths["samples"],
        paths["counts"],
        paths["qc"],
        str(tmp_path / "pca.tsv"),
        *figures,
    )
    assert read_tsv(paths["qc"]).set_index("sample").loc["H5", "reason"] == "library size 0"
    seen = []
    original = normalise.size_factors

    def spy(table, method, library_sizes):
        seen.append(list(table.columns))
        return original(table, method, library_sizes)

    monkeypatch.setattr(normalise, "size_factors", spy)
    _normalise(tmp_path, paths, FilterSettings(min_count=10, min_fraction=0.5))
    assert seen and "H5" not in seen[0]
    factors = read_tsv(tmp_path / "size_factors.tsv")
    assert "H5" not in factors["sample"].tolist()
    assert np.isfinite(factors["size_factor"]).all()


def test_size_factors_refuse_an_empty_library():
    counts = _counts().assign(H5=0)
    with pytest.raises(ValueError, match="empty libraries \\(H5\\)"):
        normalise.size_factors(counts, "deseq2", counts.sum(axis=0))


# ---------------------------------------------------------------- end to end


def _overview(workdir) -> pd.Series:
    return read_tsv(workdir / "results/overview.tsv").set_index("item")["value"]


def test_workflow_without_candidates_succeeds_and_says_why(tmp_path):
    config = demo_config(tmp_path, de={"alpha": 1e-300, "min_log2_fold_change": 1, "screen": "unadjusted"})
    result = run_workflow(tmp_path, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    results = tmp_path / "results"
    for name in ("de/candidates.tsv", "de/table4.tsv", "diagnostic/logistic.tsv", "diagnostic/markers.tsv"):
        table = read_tsv(results / name)
        assert table.empty and "mirna" in table.columns, name
    for name in ("diagnostic/roc.tsv", "prognostic/km.tsv", "prognostic/cox.tsv", "prognostic/cutoffs.tsv"):
        table = read_tsv(results / name)
        assert table.empty and "mirna" in table.columns, name
    panel = read_tsv(results / "diagnostic/panel.tsv")
    assert len(panel) == 1 and panel["auc_cv"].isna().all() and panel["reason"].tolist() == ["no markers"]
    overview_values = _overview(tmp_path)
    assert overview_values["candidates"].startswith("0: no candidates at padj < alpha")
    assert overview_values["candidates"].endswith("(so no markers, no ROC, no panel, no prognosis)")
    assert overview_values["panel"] == "panel not fitted: no markers"
    assert (results / "figures/diag_panel_roc.png").exists()


def test_workflow_with_too_many_markers_and_an_endpoint_without_events(tmp_path):
    """Ten configured markers for 18 cases (1.8 per predictor) and an endpoint whose
    event column is 0 for every patient: panel and prognosis say why, exit 0."""
    sheet = read_sample_sheet(ROOT / "config/samples.tsv").reset_index()
    sheet["no_event"] = np.where(sheet["os_event"].notna(), 0, np.nan)
    write_tsv(sheet, tmp_path / "samples.tsv")
    markers = [
        "hsa-miR-1290",
        "hsa-miR-320c",
        "hsa-miR-1246",
        "hsa-miR-375-3p",
        "hsa-miR-1224-5p",
        "hsa-miR-320b",
        "hsa-miR-4488",
        "hsa-miR-483-5p",
        "hsa-miR-200b-3p",
        "hsa-miR-210-3p",
    ]
    survival = yaml.safe_load((ROOT / "config/config.yaml").read_text())["survival"]
    survival["endpoints"] = {
        "PFS": survival["endpoints"]["PFS"],
        "NOEV": {"time": "os_months", "event": "no_event", "landmark": 6},
    }
    survival["n_permutations"] = 200
    config = demo_config(tmp_path, markers=markers, survival=survival)
    config.write_text(
        config.read_text().replace(str(ROOT / "config/samples.tsv"), str(tmp_path / "samples.tsv"))
    )
    result = run_workflow(tmp_path, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    results = tmp_path / "results"
    panel = read_tsv(results / "diagnostic/panel.tsv")
    assert panel.columns.tolist()[: len(SPEC_PANEL)] == SPEC_PANEL and panel.columns[-1] == "reason"
    reason = "10 predictors for 18 samples in the smaller group (1.8 per predictor, fewer than 2)"
    assert panel["reason"].tolist() == [reason]
    assert panel[["auc_cv", "auc_cv_sd", "auc_apparent"]].isna().all().all()
    values = _overview(tmp_path)
    assert values["panel"] == f"panel not fitted: {reason}"
    km = read_tsv(results / "prognostic/km.tsv")
    noev = km[km["endpoint"] == "NOEV"]
    assert len(noev) == len(markers) and noev["stratum"].isna().all()
    assert (noev["reason"] == "no NOEV events among the 18 patients").all()
    assert km.loc[km["endpoint"] == "PFS", "stratum"].notna().all()
    cox = read_tsv(results / "prognostic/cox.tsv")
    assert cox.loc[cox["endpoint"] == "NOEV", "hazard_ratio"].isna().all()
    overview_table = read_tsv(results / "overview.tsv")
    noev_rows = overview_table[overview_table["section"] == "prognosis: NOEV"]
    assert (noev_rows["value"] == "not stratified: no NOEV events among the 18 patients").all()
    assert len(noev_rows) == len(markers)


def test_workflow_filter_keeping_nothing_stops_with_one_message(tmp_path):
    config = demo_config(tmp_path, filter={"min_count": 1_000_000, "min_fraction": 0.5})
    result = run_workflow(tmp_path, configfile=config)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "input error" in line]
    assert len(errors) == 1, result.stderr[-3000:]
    assert (
        "no miRNA has >= 1000000 counts in >= 9 samples (filter.min_count, filter.min_fraction" in errors[0]
    )
    assert "the largest count is" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "results/counts/normalised.tsv").exists()


def test_an_endpoint_named_like_a_number_reads_back_as_its_name(tmp_path):
    """The figures' step matches endpoints on the tables it reads: "2" must stay "2"."""
    write_tsv(pd.DataFrame({"endpoint": ["2", "True"], "mirna": ["miR-a", "miR-a"]}), tmp_path / "km.tsv")
    assert read_tsv(tmp_path / "km.tsv")["endpoint"].tolist() == ["2", "True"]
