"""mirflow.stats.survival: Kaplan-Meier summaries and curves, log-rank, Cox, maximally
selected log-rank statistics and their p-values, against R survival and maxstat (on survival's
lung data, heavily censored sets, the demo and, where ../shared is present, the real COVID-19
ICU cohort).

References: tests/fixtures/r/km_censored.R (subsets of survival's lung and veteran data, cut
follow-up, strata, synthetic edge cases; data in km_censored_data.csv) and, for the real COVID-19
ICU cohort of ../shared/data/real/covid-icu-mirna (not copied here), km_censored_real.tsv.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, ROOT, real_file
from statsmodels.duration.survfunc import SurvfuncRight

from mirflow.io.sheet import read_sample_sheet
from mirflow.stats import survival
from mirflow.stats.survival import km_median, km_summary

TRANSFORMS = {"log": "log", "log-log": "log-log", "plain": "plain"}


def _fixture(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / name, sep="\t", na_values=["NA"])


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    """survival's lung data (NCCTG advanced lung cancer, 228 patients; days)."""
    return pd.read_csv(FIXTURES / "r" / "lung.csv")


# ---- Kaplan-Meier medians and their CIs ------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> dict[str, float]:
    table = pd.read_csv(FIXTURES / "r" / "km_median.tsv", sep="\t")
    return dict(zip(table["case"], table["median"], strict=True))


def test_km_median_matches_r_survfit(reference):
    cases = read_sample_sheet(ROOT / "config/samples.tsv").query("group == 'NEC'")
    # Medians are observed times (or midpoints of two): exact up to float rounding.
    assert km_median(cases["pfs_months"], cases["pfs_event"]) == pytest.approx(
        reference["demo_pfs"], abs=1e-9
    )
    assert km_median(cases["os_months"], cases["os_event"]) == pytest.approx(reference["demo_os"], abs=1e-9)
    exact = km_median(np.array([1, 2, 3, 4, 6, 7, 8, 9]), np.array([1, 1, 1, 1, 1, 0, 1, 0]))
    assert exact == reference["exact_half"] == 5.0
    assert np.isnan(km_median(np.array([1, 2, 3, 4]), np.array([1, 0, 0, 0])))
    assert np.isnan(reference["not_reached"])


@pytest.mark.parametrize("transform", list(TRANSFORMS))
def test_km_medians_and_cis_match_survfit(lung, transform):
    reference = _fixture("lung_km.tsv").query("conf_type == @transform").set_index("group")
    for group, rows in (("1", lung[lung["sex"] == 1]), ("2", lung[lung["sex"] == 2]), ("all", lung)):
        km = survival.km_summary(rows["time"], rows["event"], transform)
        expected = reference.loc[group]
        assert (km.n, km.events) == (expected["n"], expected["events"])
        # medians and CI bounds are observed times (or midpoints): equal up to rounding
        for ours, theirs in (
            (km.median, "median"),
            (km.ci_low, "median_ci_low"),
            (km.ci_high, "median_ci_high"),
        ):
            assert ours == pytest.approx(expected[theirs], abs=1e-6), (group, theirs)


TOLERANCE = 1e-6

COLUMNS = {"median": "median", "lower": "ci_low", "upper": "ci_high"}


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / name, sep="\t", na_values=["NA"])


REFERENCE = _reference("km_censored.tsv")

DATA = {name: rows for name, rows in pd.read_csv(FIXTURES / "r" / "km_censored_data.csv").groupby("dataset")}

REAL = _reference("km_censored_real.tsv")


def _assert_matches_r(time: np.ndarray, event: np.ndarray, expected: pd.Series) -> None:
    km = km_summary(time, event, expected["conf_type"])
    assert (km.n, km.events) == (expected["n"], expected["events"])
    for theirs, ours in COLUMNS.items():
        value, reference = getattr(km, ours), expected[theirs]
        if np.isnan(reference):
            assert np.isnan(value), f"{theirs}: R has NA, we have {value}"
        else:
            assert value == pytest.approx(reference, abs=TOLERANCE), theirs


@pytest.mark.parametrize(
    "expected",
    [row for _, row in REFERENCE.iterrows()],
    ids=[f"{row.dataset}-{row.conf_type}" for row in REFERENCE.itertuples()],
)
def test_km_summary_matches_r_on_censored_data(expected):
    rows = DATA[expected["dataset"]]
    _assert_matches_r(rows["time"].to_numpy(), rows["event"].to_numpy(), expected)


def _covid_subsets() -> dict[str, pd.DataFrame]:
    """The subsets km_censored.R takes of the COVID-19 ICU cohort (same definitions)."""
    clinical = pd.read_csv(real_file("covid-icu-mirna/clinical_data.csv"))
    samples = pd.read_csv(real_file("covid-icu-mirna/miRNA_counts.csv"), nrows=0).columns[1:]
    sequenced = clinical[clinical["id"].isin(samples)]
    subsets = {"covid_all56": clinical, "covid_mirna43": sequenced}
    for column in ("sex", "hypert", "ever_prone"):
        values = sequenced[column].astype(float)
        for level in (0, 1):
            subsets[f"covid_mirna43_{column}{level}"] = sequenced[values == level]
    for column in ("age", "apache2", "bmi"):
        values = pd.to_numeric(sequenced[column], errors="coerce")
        high = values >= values.median()
        subsets[f"covid_mirna43_{column}_low"] = sequenced[values.notna() & ~high]
        subsets[f"covid_mirna43_{column}_high"] = sequenced[high]
    return subsets


@pytest.fixture(scope="module")
def covid() -> dict[str, pd.DataFrame]:
    return _covid_subsets()


@pytest.mark.parametrize(
    "expected",
    [row for _, row in REAL.iterrows()],
    ids=[f"{row.dataset}-{row.conf_type}" for row in REAL.itertuples()],
)
def test_km_summary_matches_r_on_real_icu_cohort(covid, expected):
    """Surv(follow_up.icu, icu_mort): 9 deaths among 43 patients; the upper limit of the
    median is NA in R in every subset, where the statsmodels-based CI gave 155 (the last
    follow-up time, an event)."""
    rows = covid[expected["dataset"]]
    _assert_matches_r(rows["follow_up.icu"].to_numpy(), rows["icu_mort"].to_numpy(), expected)


def test_fixture_covers_the_edge_cases():
    """Guards the reference set itself: every conf_type for every dataset, NA limits with a
    median reached, exact 0.5 plateaus, no-event and all-event curves."""
    assert set(DATA) == set(REFERENCE["dataset"])
    conf_types = REFERENCE.groupby("dataset")["conf_type"].apply(sorted)
    assert all(types == ["log", "log-log", "plain"] for types in conf_types)
    reached_upper_na = REFERENCE["median"].notna() & REFERENCE["upper"].isna()
    assert reached_upper_na.sum() >= 50 and REFERENCE["lower"].isna().sum() >= 3
    assert (REFERENCE["median"] % 1 == 0.5).any()  # midpoint rule used
    by_events = REFERENCE.set_index("dataset")
    assert by_events.loc["syn_no_events", "events"].eq(0).all()
    assert by_events.loc["syn_all_events_10", "events"].eq(10).all()


# ---- Kaplan-Meier curves -------------------------------------------------------------------


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


# ---- log-rank, Cox, maxstat --------------------------------------------------------------------


def test_logrank_and_cox_match_r(lung):
    p = survival.logrank_p(lung["time"], lung["event"], lung["sex"].to_numpy())
    assert p == pytest.approx(_fixture("lung_logrank.tsv")["p"].iloc[0], abs=1e-6)
    term = survival.cox(
        lung["time"], lung["event"], pd.DataFrame({"female": (lung["sex"] == 2).astype(float)})
    )[0]
    reference = _fixture("lung_cox.tsv").iloc[0]
    for ours, theirs in (
        (term.hazard_ratio, "hr"),
        (term.ci_low, "hr_ci_low"),
        (term.ci_high, "hr_ci_high"),
        (term.p_value, "p"),
    ):
        assert ours == pytest.approx(reference[theirs], abs=1e-6), theirs


def test_continuous_and_adjusted_cox_match_r(lung):
    alone = survival.cox(lung["time"], lung["event"], lung[["age"]])[0]
    reference = _fixture("lung_age_alone_cox_continuous.tsv").iloc[0]
    assert (alone.hazard_ratio, alone.p_value) == pytest.approx((reference["hr"], reference["p"]), abs=1e-6)
    data = lung.dropna(subset=["ph.ecog"])
    design = pd.get_dummies(
        data[["age", "sex", "ph.ecog"]].astype({"sex": str, "ph.ecog": int}).astype({"ph.ecog": str}),
        drop_first=True,
        dtype=float,
    )
    terms = {t.term: t for t in survival.cox(data["time"], data["event"], design)}
    reference = _fixture("lung_cox_continuous.tsv").set_index("term")
    for ours, theirs in (
        ("age", "age"),
        ("sex_2", "sex2"),
        ("ph.ecog_1", "ph.ecog1"),
        ("ph.ecog_3", "ph.ecog3"),
    ):
        assert terms[ours].hazard_ratio == pytest.approx(reference.at[theirs, "hr"], abs=1e-6)
        assert terms[ours].ci_high == pytest.approx(reference.at[theirs, "hr_ci_high"], abs=1e-6)
        assert terms[ours].p_value == pytest.approx(reference.at[theirs, "p"], abs=1e-6)


def test_maxstat_scan_and_lau94_match_r(lung):
    scores = survival.logrank_scores(lung["time"], lung["event"])
    np.testing.assert_allclose(scores, _fixture("lung_age_logrank_scores.tsv")["score"], atol=1e-12)
    scan = survival.maxstat_scan(lung["time"], lung["event"], lung["age"])
    reference_scan = _fixture("lung_age_maxstat_scan.tsv")
    np.testing.assert_allclose(scan.left_max, reference_scan["cut"])
    np.testing.assert_allclose(scan.statistic, reference_scan["stat"], atol=1e-10)
    reference = _fixture("lung_age_maxstat.tsv").iloc[0]
    best = scan.statistic.max()
    assert best == pytest.approx(reference["statistic"], abs=1e-10)
    assert scan.left_max[np.argmax(scan.statistic)] == reference["estimate"]
    # Lau94 is a closed formula on the same statistic: 1e-4 is the bar.
    assert survival.lausen94_p(best, scan.n, scan.sizes) == pytest.approx(reference["p_lau94"], abs=1e-4)
    # The plain log-rank p at the selected cut-off is far smaller than the corrected p.
    high = lung["age"] > reference["estimate"]
    assert survival.logrank_p(lung["time"], lung["event"], high.to_numpy()) < 0.05 < reference["p_lau94"]


def test_permutation_p_within_monte_carlo_error(lung):
    scan = survival.maxstat_scan(lung["time"], lung["event"], lung["age"])
    reference = _fixture("lung_age_maxstat.tsv").iloc[0]
    p = survival.permutation_p(scan, 4000, np.random.default_rng(20240525))
    # R's condMC p is itself a 10,000-permutation estimate: allow 4 combined Monte Carlo SDs.
    sd = np.sqrt(p * (1 - p) / 4000 + reference["p_condmc"] * (1 - reference["p_condmc"]) / reference["B"])
    assert abs(p - reference["p_condmc"]) < 4 * sd
    again = survival.permutation_p(scan, 4000, np.random.default_rng(20240525))
    assert p == again


def test_permutation_p_does_not_depend_on_the_block_size(lung, monkeypatch):
    """Permutations are drawn row by row from the seeded stream, however many at once."""
    scan = survival.maxstat_scan(lung["time"], lung["event"], lung["age"])
    p = survival.permutation_p(scan, 1001, np.random.default_rng(5))
    for block in (1, 7 * len(lung), 10**9):
        monkeypatch.setattr(survival, "_PERMUTATION_BLOCK", block)
        assert survival.permutation_p(scan, 1001, np.random.default_rng(5)) == p


def test_logrank_p_is_1_when_a_group_is_never_at_risk_at_an_event_as_r():
    """R 4.2.2, survival 3.5-3: survdiff(Surv(c(1, 2, 3, 0.5, 0.6), c(1, 1, 1, 0, 0)) ~
    c(1, 1, 1, 2, 2)) gives "Chisq= 0 on 0 degrees of freedom, p= 1": the second group
    leaves before the first event, so the test's variance is 0 (statsmodels' survdiff would
    raise on the singular matrix)."""
    import numpy as np

    from mirflow.stats.survival import logrank_p

    time, event = np.array([1, 2, 3, 0.5, 0.6]), np.array([1, 1, 1, 0, 0])
    assert logrank_p(time, event, np.array([1, 1, 1, 2, 2])) == 1.0
    # a real difference is still tested (not caught by the fallback)
    assert (
        logrank_p(np.array([1, 2, 3, 4, 5, 6]), np.array([1, 1, 1, 1, 1, 1]), np.array([1, 1, 1, 2, 2, 2]))
        < 1
    )


def test_a_cox_fit_that_runs_away_gives_infinite_ratios_without_a_warning(monkeypatch):
    """A fit whose estimate ran away (separation; as a 3-vs-3 cohort gave): exp overflows,
    the terms carry inf (the caller says 'did not converge') and the console gets no raw
    RuntimeWarning. The fit's result is forced, as no small data set makes PHReg return it
    on every CPU."""

    class RunAway:
        def __init__(self, *args, **kwargs):
            pass

        def fit(self):
            return SimpleNamespace(params=np.array([800.0]), bse=np.array([2.0]), pvalues=np.array([0.9]))

    monkeypatch.setattr(survival, "PHReg", RunAway)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        terms = survival.cox(np.arange(1.0, 7.0), np.ones(6), pd.DataFrame({"x": np.arange(6.0)}))
    assert terms[0].hazard_ratio == np.inf and terms[0].ci_high == np.inf
