"""Kaplan-Meier median and its 95% CI against R survival on heavily censored data.

References: tests/fixtures/r/km_censored.R (subsets of survival's lung and veteran data, cut
follow-up, strata, synthetic edge cases; data in km_censored_data.csv) and, for the real COVID-19
ICU cohort of ../shared/data/real/covid-icu-mirna (not copied here), km_censored_real.tsv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, real_file

from mirflow.stats.survival import km_summary

# The SPEC's tolerance for survival (survfit medians and CIs equal to R to 1e-6). Medians and
# CI limits are observed times or midpoints of two, so they agree up to float rounding; the
# real test is that a limit is NA (not reached) exactly where R's is.
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
