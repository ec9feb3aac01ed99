"""Time-dependent accuracy under censoring (mirflow.stats.time_roc) against R.

References in tests/fixtures/r/time_roc/ (README.md there: how they were made, R and package
versions): riskRegression::Score (AUC(t), its se, ROC points, Brier), survival::concordance
(Uno's C), prodlim's reverse Kaplan-Meier (G), survival::survfit (Aalen-Johansen), and
cmprsk::cuminc (Gray's test), on survival's veteran, lung and mgus2, two synthetic tied data
sets, and the real COVID-19 ICU cohort of ../shared/data/real/covid-icu-mirna (read in place,
not copied; its tests skip without it). No R is needed: the values are stored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirflow.stats.time_roc import (
    aalen_johansen,
    brier_score,
    censoring_survival,
    gray_test,
    null_brier_score,
    time_auc,
    time_auc_table,
    uno_c,
    youden_cutoff,
)

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "r" / "time_roc"
COVID = ROOT.parent / "shared" / "data" / "real" / "covid-icu-mirna"

# Tolerances. The Python code sums the same IPCW terms as R in another order, so the measured
# differences are float round-off (max 1e-15 for AUC, se, G, Brier, AJ; 5e-14 for Gray's
# statistic, a quadratic form of order 10). 1e-10 (absolute, on probabilities, AUC, C, Brier and
# standard errors) leaves room for other BLAS/platforms and is far below any digit we report;
# the brief's bars (1e-6 for C and Brier, 1e-9 for the Aalen-Johansen estimate) are looser.
TOLERANCE = 1e-10
# Gray's statistic is ~1-12 here: a relative bar of the same size.
RELATIVE = 1e-10
# Cut-offs are observed marker values: the same value, up to the decimal print of the CSV.
CUTOFF_TOLERANCE = 1e-12


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURE / name, sep="\t" if name.endswith(".tsv") else ",")


def _survival_sets() -> dict[str, tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]]:
    """The data sets of reference.R: time, event and markers (same rows, same order)."""
    veteran = _read("veteran.csv")
    lung = pd.read_csv(ROOT / "tests" / "fixtures" / "r" / "lung.csv")
    ecog = lung.dropna(subset=["ph.ecog"])
    small = _read("small_ties.csv")

    def arrays(frame: pd.DataFrame, time: str, event: str, markers: list[str]):
        return (
            frame[time].to_numpy(float),
            frame[event].to_numpy(float),
            {m: frame[m].to_numpy(float) for m in markers},
        )

    return {
        "veteran": arrays(veteran, "time", "status", ["karno", "age"]),
        "lung": arrays(lung, "time", "event", ["age"]),
        "lung_ecog": arrays(ecog, "time", "event", ["ph.ecog"]),
        "small_ties": arrays(small, "time", "status", ["marker"]),
    }


SETS = _survival_sets()


def _covid() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The 43 patients with miRNA counts, as reference.R reads them: Surv(follow_up.icu,
    icu_mort), apache2, and miR-150-5p per million of the column total (all rows)."""
    if not COVID.exists():
        pytest.skip(f"real data not available: {COVID} (the shared/ folder beside the project)")
    clinical = pd.read_csv(COVID / "clinical_data.csv")
    counts = pd.read_csv(COVID / "miRNA_counts.csv")
    samples = counts.columns[1:]
    clinical = clinical[clinical["id"].isin(samples)]
    row = counts[counts.iloc[:, 0].str.startswith("hsa-miR-150-5p ")].iloc[0]
    mir150 = row[samples].astype(float) / counts[samples].sum(axis=0) * 1e6
    markers = {
        "apache2": clinical["apache2"].to_numpy(float),
        "mir150": mir150[clinical["id"]].to_numpy(float),
    }
    return clinical["follow_up.icu"].to_numpy(float), clinical["icu_mort"].to_numpy(float), markers


@pytest.fixture(scope="module")
def covid():
    return _covid()


def _rows(name: str, covid: bool) -> list[pd.Series]:
    table = _read(name)
    chosen = table["dataset"].eq("covid") == covid
    return [row for _, row in table[chosen].iterrows()]


def _ids(rows: list[pd.Series]) -> list[str]:
    return ["-".join(str(row[c]) for c in row.index[:4]) for row in rows]


# ---------------------------------------------------------------------------------------------
# Censoring survival G


def test_censoring_survival_removes_tied_events_before_censoring():
    # at t=1: 4 at risk, 1 event and 1 censoring -> G *= 1 - 1/(4 - 1); at t=2: 1 - 1/2
    curve = censoring_survival(np.array([1, 1, 2, 3]), np.array([1, 0, 0, 1]))
    assert curve.at(np.array([0.5, 1, 2, 3, 9])) == pytest.approx([1, 2 / 3, 1 / 3, 1 / 3, 1 / 3], abs=1e-15)
    assert curve.before(np.array([1, 2, 3])) == pytest.approx([1, 2 / 3, 1 / 3], abs=1e-15)
    assert curve.zero_from == np.inf


@pytest.mark.parametrize("dataset", sorted(SETS))
def test_censoring_survival_matches_prodlim_reverse_km(dataset):
    time, event, _ = SETS[dataset]
    curve = censoring_survival(time, event)
    grid = _read("censoring_times.tsv").query("dataset == @dataset")
    subjects = _read("censoring_subjects.tsv").query("dataset == @dataset")
    assert np.array_equal(subjects["time"].to_numpy(float), time)
    assert curve.at(grid["t"].to_numpy()) == pytest.approx(grid["G"].to_numpy(), abs=TOLERANCE)
    assert curve.before(time) == pytest.approx(subjects["G_minus"].to_numpy(), abs=TOLERANCE)


def test_censoring_survival_reaches_zero_only_at_a_last_censoring():
    lung_time, lung_event, _ = SETS["lung"]
    assert censoring_survival(lung_time, lung_event).zero_from == 1022  # last follow-up censored
    small_time, small_event, _ = SETS["small_ties"]
    assert censoring_survival(small_time, small_event).zero_from == 16  # a death and a censoring at 16
    veteran_time, veteran_event, _ = SETS["veteran"]
    assert censoring_survival(veteran_time, veteran_event).zero_from == np.inf  # last follow-up a death


# ---------------------------------------------------------------------------------------------
# Cumulative/dynamic AUC(t)


def _assert_auc_matches(result, expected: pd.Series) -> None:
    assert (result.n_cases, result.n_controls) == (expected["n_cases"], expected["n_controls"])
    for ours, theirs in [("auc", "auc"), ("se", "se"), ("lower", "lower"), ("upper", "upper")]:
        assert getattr(result, ours) == pytest.approx(expected[theirs], abs=TOLERANCE), ours


AUC_ROWS = _rows("auc.tsv", covid=False)


@pytest.mark.parametrize("expected", AUC_ROWS, ids=_ids(AUC_ROWS))
def test_time_auc_matches_risk_regression_score(expected):
    time, event, markers = SETS[expected["dataset"]]
    result = time_auc(
        time, event, markers[expected["marker"]], expected["t"], higher_is_risk=expected["higher_is_risk"]
    )
    assert result.reason == ""
    assert result.evaluated_at == expected["t"]
    _assert_auc_matches(result, expected)


def test_time_auc_veteran_karno_180_is_the_known_value():
    # riskRegression::Score(..., metrics = "auc", cens.model = "km"), karno protective; counting tied
    # events at risk for censoring would give 0.712457 (see censoring_survival)
    time, event, markers = SETS["veteran"]
    result = time_auc(time, event, markers["karno"], 180, higher_is_risk=False)
    assert result.auc == pytest.approx(0.712378101324291, abs=2e-14)


COVID_AUC_ROWS = _rows("auc.tsv", covid=True)


@pytest.mark.parametrize("expected", COVID_AUC_ROWS, ids=_ids(COVID_AUC_ROWS))
def test_time_auc_matches_score_on_the_real_icu_cohort(covid, expected):
    time, event, markers = covid
    result = time_auc(
        time, event, markers[expected["marker"]], expected["t"], higher_is_risk=expected["higher_is_risk"]
    )
    _assert_auc_matches(result, expected)


@pytest.mark.parametrize(
    ("dataset", "t", "last"), [("lung", 1022, 1010), ("lung", 5000, 1010), ("small_ties", 16, 15)]
)
def test_time_auc_truncates_where_censoring_survival_is_zero(dataset, t, last):
    time, event, markers = SETS[dataset]
    marker = next(iter(markers.values()))
    result = time_auc(time, event, marker, t)
    assert result.evaluated_at == last
    assert f"G(t)=0 from {1022 if dataset == 'lung' else 16}" in result.reason
    assert f"evaluated at {last}" in result.reason
    expected = _read("auc.tsv").query("dataset == @dataset and t == @last").iloc[0]
    _assert_auc_matches(result, expected)
    g = censoring_survival(time, event)
    assert result.censoring_weight_min == pytest.approx(float(g.at(last)), abs=TOLERANCE)


def test_time_auc_is_not_available_without_cases_or_controls():
    time, event, markers = SETS["veteran"]
    early = time_auc(time, event, markers["age"], 0.5)
    assert np.isnan(early.auc) and early.n_cases == 0 and early.reason == "no cases: no event by t=0.5"
    # veteran's last follow-up (999) is a death: G > 0 but nobody is followed beyond it
    late = time_auc(time, event, markers["age"], 999)
    assert np.isnan(late.auc) and np.isnan(late.se) and late.n_controls == 0
    assert late.reason == "no controls: nobody followed beyond t=999"


def test_time_auc_direction_flip_mirrors_the_auc():
    time, event, markers = SETS["small_ties"]  # many tied markers: ties count 1/2 both ways
    risk = time_auc(time, event, markers["marker"], 10)
    flipped = time_auc(time, event, markers["marker"], 10, higher_is_risk=False)
    negated = time_auc(time, event, -markers["marker"], 10)
    assert flipped.auc == pytest.approx(1 - risk.auc, abs=1e-14)
    assert flipped.se == pytest.approx(risk.se, abs=1e-14)
    assert (negated.auc, negated.se) == (flipped.auc, flipped.se)


def test_time_auc_table_has_one_row_per_time():
    time, event, markers = SETS["lung"]
    table = time_auc_table(time, event, markers["age"], [180, 365, 1022])
    assert list(table["time"]) == [180, 365, 1022]
    assert list(table["evaluated_at"]) == [180, 365, 1010]
    assert table["auc"].iloc[1] == time_auc(time, event, markers["age"], 365).auc


def test_time_auc_rejects_missing_values():
    time, event, markers = SETS["lung"]
    marker = markers["age"].copy()
    marker[3] = np.nan
    with pytest.raises(ValueError, match="missing"):
        time_auc(time, event, marker, 365)


# ---------------------------------------------------------------------------------------------
# Youden cut-off


def _assert_cutoff_matches(result, expected: pd.Series) -> None:
    assert result.cutoff == pytest.approx(expected["cutoff"], abs=CUTOFF_TOLERANCE)
    assert result.sensitivity == pytest.approx(expected["sensitivity"], abs=TOLERANCE)
    assert result.specificity == pytest.approx(expected["specificity"], abs=TOLERANCE)
    assert result.youden == pytest.approx(expected["J"], abs=TOLERANCE)


YOUDEN_ROWS = _rows("youden.tsv", covid=False)


@pytest.mark.parametrize("expected", YOUDEN_ROWS, ids=_ids(YOUDEN_ROWS))
def test_youden_cutoff_matches_the_score_roc_curve(expected):
    time, event, markers = SETS[expected["dataset"]]
    result = youden_cutoff(
        time, event, markers[expected["marker"]], expected["t"], higher_is_risk=expected["higher_is_risk"]
    )
    _assert_cutoff_matches(result, expected)


COVID_YOUDEN_ROWS = _rows("youden.tsv", covid=True)


@pytest.mark.parametrize("expected", COVID_YOUDEN_ROWS, ids=_ids(COVID_YOUDEN_ROWS))
def test_youden_cutoff_matches_on_the_real_icu_cohort(covid, expected):
    time, event, markers = covid
    result = youden_cutoff(
        time, event, markers[expected["marker"]], expected["t"], higher_is_risk=expected["higher_is_risk"]
    )
    _assert_cutoff_matches(result, expected)


def test_youden_cutoff_breaks_ties_towards_specificity():
    # unweighted (no censoring by t=5): cases 2, 3; controls 1, 2. Cut 2: sens 1, spec 1/2;
    # cut 3: sens 1/2, spec 1 -> both J = 1/2, the more specific cut 3 wins
    time = np.array([1, 2, 10, 10])
    event = np.array([1, 1, 0, 0])
    result = youden_cutoff(time, event, np.array([2.0, 3.0, 1.0, 2.0]), 5)
    assert (result.cutoff, result.sensitivity, result.specificity) == (3.0, 0.5, 1.0)
    assert result.youden == pytest.approx(0.5, abs=1e-15)


def test_youden_cutoff_truncates_and_reports_missing_groups():
    time, event, markers = SETS["lung"]
    truncated = youden_cutoff(time, event, markers["age"], 1022)
    assert truncated.evaluated_at == 1010 and "G(t)=0 from 1022" in truncated.reason
    _assert_cutoff_matches(truncated, _read("youden.tsv").query("dataset == 'lung' and t == 1010").iloc[0])
    early = youden_cutoff(time, event, markers["age"], 1)
    assert np.isnan(early.cutoff) and early.reason == "no cases: no event by t=1"


# ---------------------------------------------------------------------------------------------
# Uno's C


def _assert_uno_matches(time, event, markers, expected: pd.Series) -> None:
    marker = markers[expected["marker"]]
    risk = marker if expected["higher_is_risk"] else -marker
    tau = None if np.isnan(expected["tau"]) else expected["tau"]
    result = uno_c(time, event, risk, tau)
    assert result.concordance == pytest.approx(expected["concordance"], abs=TOLERANCE)
    assert result.se == pytest.approx(expected["std_err"], abs=TOLERANCE)


UNO_ROWS = _rows("uno.tsv", covid=False)


@pytest.mark.parametrize("expected", UNO_ROWS, ids=_ids(UNO_ROWS))
def test_uno_c_matches_survival_concordance(expected):
    _assert_uno_matches(*SETS[expected["dataset"]], expected)


COVID_UNO_ROWS = _rows("uno.tsv", covid=True)


@pytest.mark.parametrize("expected", COVID_UNO_ROWS, ids=_ids(COVID_UNO_ROWS))
def test_uno_c_matches_on_the_real_icu_cohort(covid, expected):
    _assert_uno_matches(*covid, expected)


def test_uno_c_without_events_before_tau_is_not_available():
    time, event, markers = SETS["veteran"]
    result = uno_c(time, event, markers["age"], tau=0.5)
    assert np.isnan(result.concordance) and result.reason == "no events by tau=0.5"


# ---------------------------------------------------------------------------------------------
# Brier score


def _brier_predictions(dataset: str, t: float, covid_data=None) -> np.ndarray:
    """The predicted S(t | x) that reference.R gave Score (Cox models exported; fixed formulas)."""
    if dataset == "covid":
        apache2 = covid_data[2]["apache2"]
        return np.exp(-(t / 60) * np.exp((apache2 - 18) / 6))
    if dataset == "small_ties":
        return 1 - SETS["small_ties"][2]["marker"] / 6
    table = _read("brier_predictions.csv").query("dataset == @dataset and t == @t")
    return table.sort_values("row")["surv"].to_numpy()


def _assert_brier_matches(time, event, expected: pd.Series, covid_data=None) -> None:
    t = expected["t"]
    if expected["model"] == "km_null":
        result = null_brier_score(time, event, t)
    else:
        result = brier_score(time, event, _brier_predictions(expected["dataset"], t, covid_data), t)
    assert result.brier == pytest.approx(expected["brier"], abs=TOLERANCE)
    assert result.se == pytest.approx(expected["se"], abs=TOLERANCE)


BRIER_ROWS = _rows("brier.tsv", covid=False)


@pytest.mark.parametrize("expected", BRIER_ROWS, ids=_ids(BRIER_ROWS))
def test_brier_score_matches_score(expected):
    name = "lung_ecog" if expected["dataset"] == "lung" else expected["dataset"]  # Cox fit on complete cases
    time, event, _ = SETS[name]
    _assert_brier_matches(time, event, expected)


COVID_BRIER_ROWS = _rows("brier.tsv", covid=True)


@pytest.mark.parametrize("expected", COVID_BRIER_ROWS, ids=_ids(COVID_BRIER_ROWS))
def test_brier_score_matches_on_the_real_icu_cohort(covid, expected):
    time, event, _ = covid
    _assert_brier_matches(time, event, expected, covid)


def test_brier_score_truncates_where_censoring_survival_is_zero():
    time, event, markers = SETS["small_ties"]
    reference = _read("brier.tsv").query("dataset == 'small_ties' and t == 15").set_index("model")
    model = brier_score(time, event, 1 - markers["marker"] / 6, 16)
    null = null_brier_score(time, event, 16)
    for result, expected in [(model, reference.loc["formula"]), (null, reference.loc["km_null"])]:
        assert result.evaluated_at == 15 and "G(t)=0 from 16" in result.reason
        assert result.brier == pytest.approx(expected["brier"], abs=TOLERANCE)
        assert result.se == pytest.approx(expected["se"], abs=TOLERANCE)


# ---------------------------------------------------------------------------------------------
# Competing risks


def _competing_sets() -> dict[str, pd.DataFrame]:
    mgus2 = _read("mgus2_cr.csv").rename(columns={"etime": "time", "event": "status", "sex": "group"})
    return {"mgus2": mgus2, "cr_ties": _read("cr_ties.csv")}


COMPETING = _competing_sets()
AJ_GROUPS = list(_read("aj.tsv").groupby(["dataset", "stratum"]))


@pytest.mark.parametrize(("key", "expected"), AJ_GROUPS, ids=[f"{d}-{s}" for (d, s), _ in AJ_GROUPS])
def test_aalen_johansen_matches_survfit_pstate(key, expected):
    dataset, stratum = key
    data = COMPETING[dataset]
    if stratum != "all":
        data = data[data["group"] == stratum]
    result = aalen_johansen(data["time"], data["status"], expected["t"], causes=[1, 2])
    assert list(result.columns) == ["t", "event_free", "cif_1", "cif_2"]
    ours = result[["event_free", "cif_1", "cif_2"]].to_numpy()
    assert ours.ravel() == pytest.approx(expected[["p0", "cif1", "cif2"]].to_numpy().ravel(), abs=TOLERANCE)
    assert ours.sum(axis=1) == pytest.approx(1.0, abs=1e-12)


def test_aalen_johansen_keeps_tied_events_of_both_types_at_one_time():
    # 4 at risk at t=1: one event of each type -> P0 = 1/2, each incidence 1/4 (no jitter)
    result = aalen_johansen(np.array([1, 1, 2, 3]), np.array([1, 2, 0, 1]), [1, 2, 3])
    expected = [0.5, 0.25, 0.25, 0.5, 0.25, 0.25, 0.0, 0.75, 0.25]
    assert result[["event_free", "cif_1", "cif_2"]].to_numpy().ravel() == pytest.approx(expected, abs=1e-15)


def test_aalen_johansen_reports_requested_causes_even_when_absent():
    result = aalen_johansen(np.array([1.0, 2.0, 3.0]), np.array([1, 0, 1]), [0.5, 2.5], causes=[1, 2])
    assert list(result.columns) == ["t", "event_free", "cif_1", "cif_2"]
    assert result["cif_2"].tolist() == [0.0, 0.0]
    assert result["cif_1"].tolist() == pytest.approx([0.0, 1 / 3], abs=1e-15)
    with pytest.raises(ValueError, match="missing from causes"):
        aalen_johansen(np.array([1.0, 2.0]), np.array([1, 2]), [1.0], causes=[1])


GRAY_ROWS = [row for _, row in _read("gray.tsv").iterrows()]


@pytest.mark.parametrize("expected", GRAY_ROWS, ids=_ids(GRAY_ROWS))
def test_gray_test_matches_cmprsk_cuminc(expected):
    data = COMPETING[expected["dataset"]]
    result = gray_test(
        data["time"],
        data["status"],
        data["group"],
        cause=int(expected["cause"]),
        strata=data["stratum"] if expected["strata"] else None,
        rho=float(expected["rho"]),
    )
    assert result.df == expected["df"]
    assert result.statistic == pytest.approx(expected["stat"], rel=RELATIVE)
    assert result.p_value == pytest.approx(expected["p"], abs=TOLERANCE)


def test_gray_test_needs_two_groups():
    data = COMPETING["cr_ties"]
    result = gray_test(data["time"], data["status"], np.zeros(len(data)))
    assert np.isnan(result.statistic) and result.reason == "fewer than two groups"
