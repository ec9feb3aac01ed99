"""Survival statistics against R survival and maxstat, on the lung data and the demo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from mirflow.analyses.prognostic import Endpoint, choose_cutoff, stratify
from mirflow.stats import survival

TRANSFORMS = {"log": "log", "log-log": "log-log", "plain": "plain"}


def _fixture(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / name, sep="\t", na_values=["NA"])


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    """survival's lung data (NCCTG advanced lung cancer, 228 patients; days)."""
    return pd.read_csv(FIXTURES / "r" / "lung.csv")


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
