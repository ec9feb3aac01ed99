"""mirflow.analyses.time_roc: the time grid, AUC(t) rows per score, Uno's C and Brier scores of
the prognostic Cox models (against riskRegression::Score and survival::concordance on real data:
tests/fixtures/r/time_roc/cox_score.tsv, made by cox_score.R), the panel's linear predictor and
the competing-risks tables (against the stats functions they call)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses import time_roc as accuracy
from mirflow.analyses.prognostic import Endpoint
from mirflow.stats import time_roc as ipcw

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "r" / "time_roc"
COVID = ROOT.parent / "shared" / "data" / "real" / "covid-icu-mirna"
# The contract's bar for IPCW AUC, Brier and Uno's C against R (the coefficients of statsmodels'
# PHReg and coxph agree to ~1e-10, the rank-based statistics exactly).
TOLERANCE = 1e-6


def _endpoint(time, event, landmark: float, name: str = "OS") -> Endpoint:
    index = [f"P{i:03d}" for i in range(len(time))]
    return Endpoint(
        name,
        pd.Series(np.asarray(time, dtype=float), index=index),
        pd.Series(np.asarray(event, dtype=int), index=index),
        float(landmark),
    )


def _small() -> tuple[Endpoint, pd.Series]:
    rng = np.random.default_rng(11)
    n = 40
    marker = rng.normal(size=n)
    time = np.round(rng.exponential(10 * np.exp(-0.8 * marker)), 1) + 0.1
    censor = np.round(rng.uniform(2, 30, n), 1)
    event = (time <= censor).astype(int)
    endpoint = _endpoint(np.minimum(time, censor), event, 6.0)
    return endpoint, pd.Series(marker, index=endpoint.time.index)


# ---- the grid ---------------------------------------------------------------------------------


def test_the_grid_is_quantiles_of_the_event_times():
    time = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50.0])
    event = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    assert accuracy.time_grid(time, event, 4).tolist() == [2.0, 4.0, 6.0, 8.0]
    # every grid time is an observed event time; ties merged; the censored time never counts
    grid = accuracy.time_grid(time, event, 30)
    assert set(grid) <= set(time[event == 1]) and len(grid) == len(set(grid)) and 50.0 not in grid
    assert accuracy.time_grid(time, np.zeros(11), 5).size == 0


def test_evaluation_times_hold_the_landmark_once():
    assert accuracy.evaluation_times(np.array([2.0, 6.0, 9.0]), 6.0) == [
        (2.0, False),
        (6.0, True),
        (9.0, False),
    ]
    assert accuracy.evaluation_times(np.array([]), 6.0) == [(6.0, True)]


# ---- AUC(t) -----------------------------------------------------------------------------------


def test_auc_rows_are_time_auc_of_the_score_higher_is_risk():
    endpoint, marker = _small()
    grid = accuracy.time_grid(endpoint.time, endpoint.event, 5)
    rows = pd.DataFrame(accuracy.auc_rows(endpoint, "miR-a", marker, grid, note="a note"))
    assert rows["landmark"].sum() == 1 and rows.loc[rows["landmark"], "time"].item() == 6.0
    assert len(rows) == len(np.union1d(grid, [6.0]))
    for row in rows.itertuples():
        expected = ipcw.time_auc(endpoint.time, endpoint.event, marker, row.time, higher_is_risk=True)
        assert row.auc == expected.auc and row.se == expected.se
        assert (row.auc_ci_low, row.auc_ci_high) == (expected.lower, expected.upper)
        assert (row.n_cases, row.n_controls) == (expected.n_cases, expected.n_controls)
        assert row.censoring_weight_min == expected.censoring_weight_min
    assert (rows["note"] == "a note").all() and (rows["n"] == 40).all()


def test_a_protective_marker_has_an_auc_below_one_half():
    endpoint, marker = _small()
    table = accuracy.auc_table(endpoint, {"risk": marker, "protective": -marker}, 5)
    risk = table[table["mirna"] == "risk"]["auc"].to_numpy()
    protective = table[table["mirna"] == "protective"]["auc"].to_numpy()
    np.testing.assert_allclose(risk + protective, 1.0, atol=1e-12)
    assert (risk > 0.5).all()


def test_a_score_without_values_or_variation_gives_reasons():
    endpoint, marker = _small()
    constant = pd.Series(1.0, index=marker.index)
    partial = marker.copy()
    partial.iloc[:5] = np.nan
    table = accuracy.auc_table(endpoint, {"flat": constant, "partial": partial}, 3)
    flat = table[table["mirna"] == "flat"]
    assert flat["auc"].isna().all() and flat["reason"].str.contains("constant").all()
    assert (table.loc[table["mirna"] == "partial", "n"] == 35).all()
    assert table.columns.tolist() == accuracy.TIME_ROC_COLUMNS


def test_no_cases_at_a_time_is_a_reason_not_an_error():
    endpoint = _endpoint([8, 9, 10, 12, 15], [1, 1, 0, 1, 0], 6.0)
    rows = accuracy.auc_rows(
        endpoint, "m", pd.Series([1.0, 2, 3, 4, 5], index=endpoint.time.index), np.array([])
    )
    assert len(rows) == 1 and np.isnan(rows[0]["auc"]) and "no cases" in rows[0]["reason"]


# ---- Uno's C and the Brier score of the Cox models, against R ----------------------------------


def _covid_log2_mir150() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not COVID.exists():
        pytest.skip(f"real data not available: {COVID} (the shared/ folder beside the project)")
    clinical = pd.read_csv(COVID / "clinical_data.csv")
    counts = pd.read_csv(COVID / "miRNA_counts.csv")
    samples = counts.columns[1:]
    clinical = clinical[clinical["id"].isin(samples)]
    row = counts[counts.iloc[:, 0].str.startswith("hsa-miR-150-5p ")].iloc[0]
    mir150 = row[samples].astype(float) / counts[samples].sum(axis=0) * 1e6
    x = np.log2(mir150[clinical["id"]].to_numpy(float) + 1)
    return clinical["follow_up.icu"].to_numpy(float), clinical["icu_mort"].to_numpy(float), x


def _data(dataset: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if dataset == "veteran":
        veteran = pd.read_csv(FIXTURE / "veteran.csv")
        return (
            veteran["time"].to_numpy(float),
            veteran["status"].to_numpy(float),
            veteran["karno"].to_numpy(float),
        )
    if dataset == "lung":
        lung = pd.read_csv(ROOT / "tests" / "fixtures" / "r" / "lung.csv")
        return lung["time"].to_numpy(float), lung["event"].to_numpy(float), lung["age"].to_numpy(float)
    return _covid_log2_mir150()


REFERENCE = pd.read_csv(FIXTURE / "cox_score.tsv", sep="\t")


def _assert_scores_as_r(scores: dict, row: pd.Series) -> None:
    """Uno's C, the Brier scores (model and Kaplan-Meier null) with their se and the IPA of a
    concordance row, against R's (cox_score.R / locked_cox.R columns)."""
    for ours, theirs in [
        ("uno_c", "uno"),
        ("uno_c_se", "uno_se"),
        ("brier", "brier"),
        ("brier_se", "brier_se"),
        ("brier_reference", "null_brier"),
        ("brier_reference_se", "null_brier_se"),
    ]:
        assert scores[ours] == pytest.approx(row[theirs], abs=TOLERANCE), ours
    assert scores["ipa"] == pytest.approx(1 - row["brier"] / row["null_brier"], abs=1e-5)


@pytest.mark.parametrize(
    "row", [row for _, row in REFERENCE.iterrows()], ids=lambda r: f"{r['dataset']}-{r['t']:g}"
)
def test_cox_scores_equal_risk_regression_score_and_concordance(row):
    """A univariable Cox model on a real data set (COVID-19 ICU: log2 miR-150-5p per million +
    1, as the workflow's modelling scale): Uno's C (n/G2, ymax = tau) and its se, the Brier
    score at t of the model's predictions and of the KM null model with their se, and AUC(t)
    of the model's risk, as R gives them."""
    time, event, x = _data(row["dataset"])
    endpoint = _endpoint(time, event, row["t"])
    design = pd.DataFrame({"x": x}, index=endpoint.time.index)
    scores, fit = accuracy.cox_scores(endpoint, "x", "univariable", design, row["tau"])
    assert scores["reason"] == "" and fit is not None
    assert np.log(scores["hazard_ratio"]) == pytest.approx(row["coefficient"], abs=1e-8)
    _assert_scores_as_r(scores, row)
    risk = pd.Series(row["coefficient"] * x, index=endpoint.time.index)
    auc = accuracy.auc_rows(endpoint, "x", risk, np.array([]))[0]
    assert auc["auc"] == pytest.approx(row["auc"], abs=TOLERANCE)
    assert auc["se"] == pytest.approx(row["auc_se"], abs=TOLERANCE)


def test_cox_scores_that_cannot_be_fitted_give_a_reason():
    endpoint, marker = _small()
    flat = pd.DataFrame({"m": 1.0}, index=marker.index)
    row, fit = accuracy.cox_scores(endpoint, "m", "univariable", flat, 10.0)
    assert np.isnan(row.get("uno_c", np.nan)) and "constant" in row["reason"] and fit is None
    assert row["brier_reference"] == ipcw.null_brier_score(endpoint.time, endpoint.event, 6.0).brier
    quiet = _endpoint(endpoint.time, np.zeros(40), 6.0)
    row, fit = accuracy.cox_scores(quiet, "m", "univariable", marker.to_frame(), np.inf)
    assert "no events" in row["reason"] and fit is None
    known, fit = accuracy.cox_scores(endpoint, "m", "univariable", marker.to_frame(), 10.0, reason="given")
    assert known["reason"] == "given" and fit is None


LOCKED = pd.read_csv(FIXTURE / "locked_cox.tsv", sep="\t")


def _split(dataset: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """locked_cox.R's discovery and validation parts of a data set (time, status, x)."""
    if dataset == "veteran":
        data = pd.read_csv(FIXTURE / "veteran.csv")
        frame = pd.DataFrame({"time": data["time"], "status": data["status"], "x": data["karno"]})
        first = data["trt"] == 1
    else:
        data = pd.read_csv(ROOT / "tests" / "fixtures" / "r" / "lung.csv")
        frame = pd.DataFrame({"time": data["time"], "status": data["event"], "x": data["age"]})
        first = data["sex"] == 1
    return frame[first].reset_index(drop=True), frame[~first].reset_index(drop=True)


@pytest.mark.parametrize(
    "row", [row for _, row in LOCKED.iterrows()], ids=lambda r: f"{r['dataset']}-{r['t']:g}"
)
def test_a_locked_cox_model_scored_on_a_new_cohort_equals_risk_regression(row):
    """Fitted on one part of a real data set, kept as the lock keeps it (coefficient, centre,
    baseline hazard up to the landmark) and scored on the other part: Uno's C of b x and the
    Brier score at t of its predictions (with the new cohort's KM null model) as R's Score of
    the coxph fit on the new data, its S(t | x) as predictRisk."""
    discovery, validation = _split(row["dataset"])
    fitted = _endpoint(discovery["time"], discovery["status"], row["t"])
    design = pd.DataFrame({"x": discovery["x"].to_numpy(float)}, index=fitted.time.index)
    _, fit = accuracy.cox_scores(fitted, "x", "univariable", design, row["tau"])
    locked = pd.DataFrame(accuracy.baseline_rows("OS", "x", fit, row["t"]))
    assert locked["time"].max() <= row["t"] and locked["time"].iloc[0] == 0.0
    new = _endpoint(validation["time"], validation["status"], row["t"])
    values = pd.Series(validation["x"].to_numpy(float), index=new.time.index)
    args = (
        locked["coefficient"].iloc[0],
        locked["centre"].iloc[0],
        locked["time"],
        locked["cumulative_hazard"],
    )
    scores = accuracy.locked_cox_scores(new, "x", values, *args, row["tau"])
    assert len(validation) == row["n_validation"] and scores["reason"] == ""
    assert scores["model"] == "locked_cox"
    assert np.log(scores["hazard_ratio"]) == pytest.approx(row["coefficient"], abs=1e-8)
    _assert_scores_as_r(scores, row)
    # S(t | x) of the first new patient from the locked numbers alone, as predictRisk
    step = np.searchsorted(locked["time"], row["t"], side="right") - 1
    linear = args[0] * values.iloc[0] - args[1]
    survival = np.exp(-locked["cumulative_hazard"].iloc[step] * np.exp(linear))
    assert survival == pytest.approx(row["surv_first"], abs=1e-9)


def test_the_locked_baseline_stops_at_the_landmark_and_predicts_as_the_fit():
    endpoint, marker = _small()
    _, fit = accuracy.cox_scores(endpoint, "m", "univariable", marker.to_frame(), 10.0)
    rows = pd.DataFrame(accuracy.baseline_rows("OS", "m", fit, 6.0))
    assert rows["time"].iloc[0] == 0.0 and rows["cumulative_hazard"].iloc[0] == 0.0
    assert rows["time"].max() <= 6.0 and rows["time"].is_monotonic_increasing
    assert rows["time"].iloc[1:].tolist() == [t for t in fit.times if t <= 6.0]
    # the same predictions at every time up to the landmark
    for t in [0.05, 1.0, 3.3, 6.0]:
        step = np.searchsorted(rows["time"], t, side="right") - 1
        kept = np.exp(-rows["cumulative_hazard"].iloc[step] * np.exp(fit.linear_predictor))
        assert kept == pytest.approx(fit.survival(t), rel=1e-15)
    # a landmark before the first event: only H0(0) = 0
    assert accuracy.baseline_rows("OS", "m", fit, fit.times[0] / 2)[0]["cumulative_hazard"] == 0.0
    assert len(accuracy.baseline_rows("OS", "m", fit, fit.times[0] / 2)) == 1


def test_a_locked_cox_model_on_a_cohort_without_events_gives_the_reason():
    endpoint, marker = _small()
    quiet = _endpoint(endpoint.time, np.zeros(40), 6.0)
    row = accuracy.locked_cox_scores(quiet, "m", marker, 0.5, 0.0, [0.0, 2.0], [0.0, 0.1], 10.0)
    assert "no OS events" in row["reason"] and np.isnan(row.get("brier", np.nan))
    assert row["hazard_ratio"] == pytest.approx(np.exp(0.5))


def test_tau_is_the_last_grid_time():
    endpoint, _ = _small()
    assert accuracy.tau_of(endpoint, 4) == accuracy.time_grid(endpoint.time, endpoint.event, 4)[-1]
    assert accuracy.tau_of(_endpoint([1.0, 2.0], [0, 0], 1.0), 4) == np.inf


def test_adjusted_designs_keep_complete_cases_and_name_the_columns():
    _, marker = _small()
    clinical = pd.DataFrame(
        {"sex": np.where(np.arange(40) % 2, "F", "M"), "age": np.arange(40.0)}, index=marker.index
    )
    clinical.iloc[0, 1] = np.nan
    designs = accuracy.marker_designs("miR-a", marker, clinical)
    assert [(model, extra) for model, _, extra in designs] == [
        ("univariable", []),
        ("adjusted", ["sex", "age"]),
    ]
    adjusted = designs[1][1]
    assert adjusted.columns.tolist() == ["miR-a", "age", "sex_M"] and len(adjusted) == 39
    assert accuracy.marker_designs("miR-a", marker, clinical[[]])[0][1].columns.tolist() == ["miR-a"]


def test_score_concordance_is_uno_c_of_the_score_as_it_is():
    endpoint, marker = _small()
    row = accuracy.score_concordance(endpoint, "panel", marker, 12.0, "no model")
    expected = ipcw.uno_c(endpoint.time, endpoint.event, marker.to_numpy(), 12.0)
    assert row["uno_c"] == expected.concordance and row["uno_c_se"] == expected.se
    assert row["model"] == "locked_score" and row["reason"] == "no model" and "brier" not in row
    assert row["brier_reference"] == ipcw.null_brier_score(endpoint.time, endpoint.event, 6.0).brier


# ---- the panel's linear predictor ---------------------------------------------------------------


def test_panel_linear_predictor_uses_the_locked_coefficients():
    samples = ["A", "B", "C", "D"]
    transformed = pd.DataFrame(
        {"A": [1.0, 2.0], "B": [3.0, 0.5], "C": [2.0, 2.0], "D": [0.0, 1.0]}, index=["m1", "m2"]
    )
    covariates = pd.DataFrame({"age": [0.5, -0.5, np.nan, 1.0], "sex": ["M", "F", "M", "M"]}, index=samples)
    model = pd.DataFrame(
        {
            "term": ["(Intercept)", "m1", "m2", "age", "sex_M"],
            "coefficient": [-1.0, 2.0, -0.5, 0.3, 0.7],
            "kind": ["intercept", "marker", "marker", "covariate", "level"],
            "covariate": [np.nan, np.nan, np.nan, "age", "sex"],
            "level": [np.nan, np.nan, np.nan, np.nan, "M"],
        }
    )
    lp = accuracy.panel_linear_predictor(transformed, covariates, model, samples)
    assert lp.index.tolist() == ["A", "B", "D"]  # C misses age
    assert lp["A"] == pytest.approx(-1 + 2 * 1 - 0.5 * 2 + 0.3 * 0.5 + 0.7)
    assert lp["B"] == pytest.approx(-1 + 2 * 3 - 0.5 * 0.5 - 0.3 * 0.5)
    assert lp["D"] == pytest.approx(-1 + 0 - 0.5 + 0.3 + 0.7)


# ---- competing risks ----------------------------------------------------------------------------


def _competing() -> tuple[Endpoint, pd.Series, pd.Series]:
    rng = np.random.default_rng(2)
    n = 30
    time = np.round(rng.uniform(1, 20, n), 1)
    event = rng.integers(0, 2, n)
    endpoint = _endpoint(time, event, 6.0, "PFS")
    competing = pd.Series(
        np.where(event == 1, 0, rng.integers(0, 2, n)), index=endpoint.time.index, dtype=float
    )
    marker = pd.Series(rng.normal(size=n), index=endpoint.time.index)
    return endpoint, competing, marker


def test_competing_status_codes_and_unknowns(caplog):
    endpoint, competing, _ = _competing()
    status = accuracy.competing_status(endpoint, competing)
    assert ((status == 1) == (endpoint.event == 1)).all()
    assert ((status == 2) == ((endpoint.event == 0) & (competing == 1))).all()
    unknown = competing.copy()
    censored = endpoint.event.index[endpoint.event == 0][0]
    case = endpoint.event.index[endpoint.event == 1][0]
    unknown[[censored, case]] = np.nan
    status = accuracy.competing_status(endpoint, unknown)
    assert censored not in status.index and status[case] == 1
    assert "unknown competing status" in caplog.text


def test_competing_tables_are_aalen_johansen_and_gray_per_stratum():
    endpoint, competing, marker = _competing()
    status = accuracy.competing_status(endpoint, competing)
    cutoffs = pd.DataFrame(
        {
            "mirna": ["m", "none", "all"],
            "cutoff": [0.0, np.nan, -99.0],
            "reason": ["", "no landmark events", ""],
        }
    )
    values = {"m": marker, "none": marker, "all": marker}
    curves, tests = accuracy.competing_tables(endpoint, status, values, cutoffs)
    assert curves.columns.tolist() == accuracy.CUMULATIVE_INCIDENCE_COLUMNS
    assert tests.columns.tolist() == accuracy.GRAY_COLUMNS
    high = (marker >= 0).to_numpy()
    time, code = endpoint.time.to_numpy(), status.to_numpy()
    for stratum, mask in (("low", ~high), ("high", high)):
        curve = curves[(curves["mirna"] == "m") & (curves["stratum"] == stratum)]
        assert curve["time"].iloc[0] == 0.0 and curve["cif_event"].iloc[0] == 0.0
        expected = ipcw.aalen_johansen(time[mask], code[mask], curve["time"].to_numpy(), causes=[1, 2])
        np.testing.assert_array_equal(curve["cif_event"], expected["cif_1"])
        np.testing.assert_array_equal(curve["cif_competing"], expected["cif_2"])
        np.testing.assert_allclose(curve["cif_event"] + curve["cif_competing"] + curve["event_free"], 1.0)
    gray = tests.set_index("mirna")
    expected = ipcw.gray_test(time, code, high.astype(int), cause=1)
    assert gray.loc["m", "statistic"] == expected.statistic and gray.loc["m", "p_value"] == expected.p_value
    assert gray.loc["m", "events"] + gray.loc["m", "competing_events"] == int((code > 0).sum())
    assert gray.loc["none", "reason"] == "no cut-off (no landmark events)"
    assert "all 30 patients in the high" in gray.loc["all", "reason"]
    assert set(curves.loc[curves["mirna"] == "all", "stratum"]) == {"high"}
