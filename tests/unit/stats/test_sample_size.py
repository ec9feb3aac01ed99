"""mirflow.stats.sample_size against its references.

* Riley et al. (2021) criteria: pmvalsampsize 0.2.1 (PyPI), 16 designs, the calls below
  (tests/fixtures/r/sample_size/pmvalsampsize.tsv, written by pmvalsampsize_reference.py).
* AUC power: pROC 1.18.0 power.roc.test; Buderer: epiR 2.0.57 epi.ssdxsesp; Schoenfeld: epiR
  epi.sscomps and the formula in R; Hanley & McNeil: uniroot in R (sample_size_reference.R).

Neither R nor pmvalsampsize is needed: the reference numbers are stored.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import os
import subprocess
import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest

from mirflow.stats import sample_size as ss

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "r" / "sample_size"


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, newline="") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


# --------------------------------------------------------------------------- Riley / pmvalsampsize

# design -> (the pmvalsampsize call, our call's arguments, pmvalsampsize's n per criterion:
# O/E, calibration slope, C-statistic[, net benefit]). Every call is
# pmvalsampsize(type="b", noprint=True, ...) with pmvalsampsize 0.2.1, numpy 2.4.6; its
# defaults: oeciwidth=0.2, csciwidth=0.2, cstatciwidth=0.1, nbciwidth=0.2, simobs=1e6, seed=123456.
PMVAL = {
    "normal_018": (
        "prevalence=0.018, cstatistic=0.8, lpnormal=(-5, 2.5), oeciwidth=1",
        dict(prevalence=0.018, cstatistic=0.8, lp=ss.NormalLP(-5, 2.5), oe_ci_width=1),
        (905, 4544, 4252),
    ),
    "normal_10": (
        "prevalence=0.1, cstatistic=0.7, lpnormal=(-2.5, 0.8)",
        dict(prevalence=0.1, cstatistic=0.7, lp=ss.NormalLP(-2.5, 0.8)),
        (3461, 8428, 1154),
    ),
    "normal_30": (
        "prevalence=0.3, cstatistic=0.75, lpnormal=(-1.0, 1.0), oeciwidth=0.3, csciwidth=0.3,"
        " cstatciwidth=0.08",
        dict(
            prevalence=0.3,
            cstatistic=0.75,
            lp=ss.NormalLP(-1.0, 1.0),
            oe_ci_width=0.3,
            slope_ci_width=0.3,
            cstatistic_ci_width=0.08,
        ),
        (401, 1339, 675),
    ),
    "normal_50": (
        "prevalence=0.5, cstatistic=0.85, lpnormal=(0.0, 2.0), oeciwidth=0.1, csciwidth=0.15,"
        " cstatciwidth=0.05",
        dict(
            prevalence=0.5,
            cstatistic=0.85,
            lp=ss.NormalLP(0.0, 2.0),
            oe_ci_width=0.1,
            slope_ci_width=0.15,
            cstatistic_ci_width=0.05,
        ),
        (1538, 2821, 926),
    ),
    "normal_20": (
        "prevalence=0.2, cstatistic=0.65, lpnormal=(-1.5, 0.6), oeciwidth=0.4, csciwidth=0.4,"
        " cstatciwidth=0.15",
        dict(
            prevalence=0.2,
            cstatistic=0.65,
            lp=ss.NormalLP(-1.5, 0.6),
            oe_ci_width=0.4,
            slope_ci_width=0.4,
            cstatistic_ci_width=0.15,
        ),
        (390, 1984, 319),
    ),
    "normal_05_oe12": (
        "prevalence=0.05, cstatistic=0.9, lpnormal=(-4.0, 2.2), oe=1.2, oeciwidth=0.5",
        dict(prevalence=0.05, cstatistic=0.9, lp=ss.NormalLP(-4.0, 2.2), oe=1.2, oe_ci_width=0.5),
        (1704, 3542, 824),
    ),
    "normal_40_oe09": (
        "prevalence=0.4, cstatistic=0.78, lpnormal=(-0.5, 1.3), oe=0.9, csciwidth=0.25, cstatciwidth=0.06",
        dict(
            prevalence=0.4,
            cstatistic=0.78,
            lp=ss.NormalLP(-0.5, 1.3),
            oe=0.9,
            slope_ci_width=0.25,
            cstatistic_ci_width=0.06,
        ),
        (469, 1342, 946),
    ),
    "normal_riley324": (
        "prevalence=0.2, cstatistic=0.72, lpnormal=(-1.75, 1.47)",
        dict(prevalence=0.2, cstatistic=0.72, lp=ss.NormalLP(-1.75, 1.47)),
        (1538, 2405, 619),
    ),
    "normal_seed_simobs": (
        "prevalence=0.15, cstatistic=0.8, lpnormal=(-2.2, 1.4), seed=2024, simobs=200000",
        dict(prevalence=0.15, cstatistic=0.8, lp=ss.NormalLP(-2.2, 1.4), seed=2024, n_sim=200_000),
        (2179, 2939, 591),
    ),
    "beta_018": (
        "prevalence=0.018, cstatistic=0.8, lpbeta=(0.5, 0.5), oeciwidth=1",
        dict(prevalence=0.018, cstatistic=0.8, lp=ss.BetaRisk(0.5, 0.5), oe_ci_width=1),
        (905, 1644, 4252),
    ),
    "beta_43": (
        "prevalence=0.43, cstatistic=0.8, lpbeta=(1.33, 1.75)",
        dict(prevalence=0.43, cstatistic=0.8, lp=ss.BetaRisk(1.33, 1.75)),
        (510, 2136, 308),
    ),
    # pmvalsampsize 0.2.1 raises after computing criterion 4 when sensitivity and specificity
    # are given; its n4 is read from its frame (see pmvalsampsize_reference.py)
    "nb_riley341": (
        "prevalence=0.72, cstatistic=0.8, lpnormal=(1.2, 1.5), sensitivity=0.6, specificity=0.88,"
        " threshold=0.8",
        dict(
            prevalence=0.72,
            cstatistic=0.8,
            lp=ss.NormalLP(1.2, 1.5),
            sensitivity=0.6,
            specificity=0.88,
            threshold=0.8,
        ),
        (150, 2065, 374, 546),
    ),
    "nb_riley44": (
        "prevalence=0.018, cstatistic=0.8, lpnormal=(-5, 2.5), oeciwidth=1, sensitivity=0.2,"
        " specificity=0.99, threshold=0.08",
        dict(
            prevalence=0.018,
            cstatistic=0.8,
            lp=ss.NormalLP(-5, 2.5),
            oe_ci_width=1,
            sensitivity=0.2,
            specificity=0.99,
            threshold=0.08,
        ),
        (905, 4544, 4252, 3554),
    ),
    "nb_15": (
        "prevalence=0.15, cstatistic=0.8, lpnormal=(-2.2, 1.4), sensitivity=0.85, specificity=0.7,"
        " threshold=0.1, nbciwidth=0.3",
        dict(
            prevalence=0.15,
            cstatistic=0.8,
            lp=ss.NormalLP(-2.2, 1.4),
            sensitivity=0.85,
            specificity=0.7,
            threshold=0.1,
            net_benefit_ci_width=0.3,
        ),
        (2179, 2950, 591, 208),
    ),
}


@pytest.mark.parametrize("design", sorted(PMVAL))
def test_riley_criteria_equal_pmvalsampsize(design):
    _call, kwargs, expected = PMVAL[design]
    plan = ss.riley_validation(**kwargs)
    assert tuple(c.n for c in plan.criteria) == expected
    assert plan.n == max(expected)
    assert plan.binding == plan.criteria[expected.index(max(expected))].criterion


def test_the_stated_calls_are_the_stored_reference():
    """The table above is the TSV that pmvalsampsize_reference.py wrote (same calls, same n)."""
    rows = {row["design"]: row for row in read_tsv("pmvalsampsize.tsv")}
    for design, (call, _kwargs, expected) in PMVAL.items():
        row = rows[design]
        assert row["call"] == f"pmvalsampsize(type='b', noprint=True, {call})"
        stored = tuple(int(row[k]) for k in ("n_oe", "n_slope", "n_cstat", "n_nb") if row[k] != "NA")
        assert stored == expected
        assert int(row["n_final"]) == max(expected)


def test_grid_se_is_pmvalsampsizes():
    row = {r["design"]: r for r in read_tsv("pmvalsampsize.tsv")}
    oe = ss.riley_oe(0.018, ci_width=1)
    assert oe.assumptions["se_log_oe"] == float(row["normal_018"]["se_oe"])
    nb = ss.riley_net_benefit(0.15, 0.85, 0.7, 0.1, ci_width=0.3)
    assert nb.assumptions["se_snb"] == float(row["nb_15"]["se_nb"]) == 0.077


# pmvalsampsize's lpcstat: its search of the non-event mean (steps of 0.1 from the start value)
# ended on -4.7 and -1.3 (stored in the TSV); the calibrated mean is exact.
def test_binormal_lp_with_pmvalsampsizes_mean_gives_its_n():
    """pmvalsampsize(type='b', noprint=True, prevalence=0.018, cstatistic=0.8, lpcstat=-4.7,
    oeciwidth=1) accepted its start value (-4.7) at the first draw; with that mean our
    simulation is its simulation."""
    exact = ss.binormal_lp(0.8, 0.018)
    theirs = ss.BinormalLP(0.018, 0.8, -4.7, exact.variance)
    assert ss.riley_calibration_slope(theirs).n == 17080


@pytest.mark.parametrize(
    ("design", "prevalence", "cstatistic", "ci_width", "stored_n"),
    [("cstat_018", 0.018, 0.8, 1, 17080), ("cstat_30", 0.3, 0.75, 0.2, 2852)],
)
def test_binormal_lp_close_to_pmvalsampsizes_search(design, prevalence, cstatistic, ci_width, stored_n):
    row = {r["design"]: r for r in read_tsv("pmvalsampsize.tsv")}[design]
    assert int(row["n_slope"]) == stored_n
    lp = ss.binormal_lp(cstatistic, prevalence)
    assert abs(lp.mean_non_events - float(row["lpcstat_mean_non_events"])) < 0.05  # its 0.1 grid
    plan = ss.riley_validation(prevalence, cstatistic, oe_ci_width=ci_width)
    assert plan["riley_calibration_slope"].n == pytest.approx(stored_n, rel=0.01)
    assert plan["riley_oe"].n == int(row["n_oe"])
    assert plan["riley_cstatistic"].n == int(row["n_cstat"])


@pytest.mark.parametrize(("cstatistic", "prevalence"), [(0.8, 0.018), (0.75, 0.3), (0.85, 0.2), (0.65, 0.6)])
def test_binormal_lp_is_calibrated_with_the_stated_c(cstatistic, prevalence):
    lp = ss.binormal_lp(cstatistic, prevalence)
    z = np.linspace(-12, 12, 4801)
    dens = np.exp(-0.5 * z * z) * (z[1] - z[0]) / math.sqrt(2 * math.pi)
    mix = (1 - prevalence) * (dens @ (1 / (1 + np.exp(-(lp.mean_non_events + lp.sd * z))))) + prevalence * (
        dens @ (1 / (1 + np.exp(-(lp.mean_events + lp.sd * z))))
    )
    assert mix == pytest.approx(prevalence, abs=1e-12)  # E[expit(LP)] = prevalence
    c = NormalDist().cdf((lp.mean_events - lp.mean_non_events) / (lp.sd * math.sqrt(2)))
    assert c == pytest.approx(cstatistic, abs=1e-12)


@pytest.mark.parametrize(
    "lp", [ss.NormalLP(-5, 2.5), ss.NormalLP(0.0, 2.0), ss.BetaRisk(1.33, 1.75), ss.binormal_lp(0.75, 0.3)]
)
def test_quadrature_is_the_simulations_limit(lp):
    sim = ss.riley_calibration_slope(lp)
    exact = ss.riley_calibration_slope(lp, method="quadrature")
    assert exact.n == pytest.approx(sim.n, rel=0.01)
    for key in ("I00", "I01", "I11"):
        assert exact.assumptions[key] == pytest.approx(sim.assumptions[key], rel=0.01, abs=1e-4)


def test_empirical_lp_is_the_simulation_on_the_same_values():
    """Values at hand (e.g. the locked panel's LP) are averaged as pmvalsampsize averages its draws."""
    values = np.random.RandomState(5).normal(-1.0, 1.2, 10_000)
    simulated = ss.riley_calibration_slope(ss.NormalLP(-1.0, 1.2), n_sim=10_000, seed=5)
    empirical = ss.EmpiricalLP(tuple(values))
    assert ss.riley_calibration_slope(empirical).n == simulated.n
    assert ss.riley_calibration_slope(empirical, method="quadrature").n == simulated.n
    assert ss.riley_calibration_slope(empirical).assumptions["lp_n"] == 10_000
    with pytest.raises(ValueError):
        ss.EmpiricalLP((0.0, math.nan))


def test_beta_closed_form_equals_numeric_integration():
    lp = ss.BetaRisk(2.0, 5.0)
    p = np.linspace(0, 1, 400_001)[1:-1]
    dens = p * (1 - p) ** 4 * 30  # Beta(2, 5) density, 1 / B(2, 5) = 30
    x, w = np.log(p / (1 - p)), p * (1 - p)
    h = p[1] - p[0]
    numeric = [h * np.sum(dens * w), h * np.sum(dens * x * w), h * np.sum(dens * x * x * w)]
    exact = ss.riley_calibration_slope(lp, method="quadrature")
    for key, value in zip(("I00", "I01", "I11"), numeric, strict=True):
        assert exact.assumptions[key] == pytest.approx(value, rel=1e-6)


def test_normal_lp_degenerate_limit():
    """A near-constant LP at 0: I00 = 1/4, I01 = 0, so n = 1 / (se^2 I11) with I11 = sd^2 / 4."""
    res = ss.riley_calibration_slope(ss.NormalLP(0.0, 0.01), method="quadrature")
    se = 0.2 / (2 * 1.96)
    assert res.assumptions["I00"] == pytest.approx(0.25, rel=1e-4)
    assert res.n == pytest.approx(1 / (se**2 * 0.25 * 0.01**2), rel=1e-3)


def test_exact_se_reaches_the_width_and_needs_a_little_more():
    grid = ss.riley_oe(0.1, ci_width=0.2)
    exact = ss.riley_oe(0.1, ci_width=0.2, exact_se=True)
    assert exact.assumptions["ci_width"] == pytest.approx(0.2, abs=1e-12)
    assert grid.assumptions["ci_width"] >= 0.2  # the grid's SE is a little wider
    assert (grid.n, exact.n) == (3461, 3469)
    nb = ss.riley_net_benefit(0.15, 0.85, 0.7, 0.1, ci_width=0.3, exact_se=True)
    assert nb.assumptions["se_snb"] == pytest.approx(0.3 / 3.92)
    assert nb.n == 210  # pmvalsampsize's rounded SE 0.077 gives 208


@pytest.mark.parametrize(
    ("prevalence", "cstatistic", "ci_width"),
    [(0.1, 0.7, 0.1), (0.018, 0.8, 0.1), (0.5, 0.85, 0.05), (0.3, 0.6, 0.2), (0.05, 0.95, 0.08)],
)
def test_cstatistic_n_is_pmvalsampsizes_scan(prevalence, cstatistic, ci_width):
    """pmvalsampsize's criterion 3: the first n of 1, 2, ... with 2 * 1.96 * SE(n) <= width."""
    res = ss.riley_cstatistic(prevalence, cstatistic, ci_width=ci_width)
    scan = next(
        n for n in range(1, 10**6) if 2 * 1.96 * ss._newcombe_se(n, cstatistic, prevalence) <= ci_width
    )
    assert res.n == scan
    assert res.assumptions["se_cstatistic"] * 3.92 <= ci_width


def test_standardised_net_benefit_value():
    # (0.6 * 0.72 - 0.12 * 0.28 * 4) / 0.72 = (0.432 - 0.1344) / 0.72
    assert ss.standardised_net_benefit(0.72, 0.6, 0.88, 0.8) == pytest.approx(0.41333333333333333)
    res = ss.riley_net_benefit(0.72, 0.6, 0.88, 0.8)
    assert res.assumptions["standardised_net_benefit"] == pytest.approx(0.41333333333333333)


def test_net_benefit_needs_all_three():
    with pytest.raises(ValueError, match="sensitivity, specificity and threshold"):
        ss.riley_validation(0.2, 0.8, ss.NormalLP(-2, 1), sensitivity=0.8)


def test_simulation_leaves_numpys_global_generator_alone():
    """pmvalsampsize seeds numpy's global RandomState; the draws here use a private one."""
    np.random.seed(7)
    before = np.random.random()
    np.random.seed(7)
    ss.riley_calibration_slope(ss.NormalLP(-1, 1), n_sim=1000)
    assert np.random.random() == before


# --------------------------------------------------------------------------- one diagnostic marker


@pytest.mark.parametrize(
    "row", read_tsv("power_roc_test.tsv"), ids=lambda r: f"auc{r['auc'][:4]}-k{r['kappa'][:4]}"
)
def test_auc_power_equals_proc(row):
    """power.roc.test(auc=, sig.level=, power=, kappa=, alternative=) in pROC 1.18.0."""
    res = ss.auc_power(
        float(row["auc"]),
        alpha=float(row["sig.level"]),
        power=float(row["power"]),
        kappa=float(row["kappa"]),
        alternative=row["alternative"],
    )
    assert res.assumptions["cases_unrounded"] == pytest.approx(float(row["ncases"]), rel=1e-12)
    assert (res.events, res.non_events) == (int(row["cases"]), int(row["controls"]))
    assert res.n == res.events + res.non_events


def test_auc_power_stated_designs():
    """Two of the stored pROC designs written out."""
    # power.roc.test(auc = 0.8, sig.level = 0.05, power = 0.8, kappa = 1): ncases = ncontrols = 12.74
    res = ss.auc_power(0.8)
    assert (res.events, res.non_events, res.n) == (13, 13, 26)
    # power.roc.test(auc = 0.75, sig.level = 0.05, power = 0.8, kappa = 3, alternative = "one.sided")
    res = ss.auc_power(0.75, kappa=3, alternative="one.sided")
    assert (res.events, res.non_events) == (11, 31)


def test_auc_power_null_other_than_half():
    at_half = ss.auc_power(0.8, auc_null=0.5)
    assert ss.obuchowski_variance(0.5, 2.0) == pytest.approx(0.0792 * 1.5, rel=1e-14)
    assert at_half.assumptions["variance_null"] == 0.0792 * 2
    harder = ss.auc_power(0.8, auc_null=0.7)
    assert harder.events > at_half.events
    v0, v1 = ss.obuchowski_variance(0.7, 1.0), ss.obuchowski_variance(0.8, 1.0)
    z_a, z_b = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.8)
    assert harder.assumptions["cases_unrounded"] == pytest.approx(
        (z_a * math.sqrt(v0) + z_b * math.sqrt(v1)) ** 2 / 0.1**2
    )


@pytest.mark.parametrize("row", read_tsv("buderer.tsv"), ids=lambda r: r["design"])
def test_sens_spec_precision_equals_epir(row):
    """epi.ssdxsesp(test, type = "se" / "sp", Py, epsilon, error = "absolute", conf.level)."""
    plan = ss.sens_spec_precision(
        float(row["sensitivity"]),
        float(row["specificity"]),
        float(row["prevalence"]),
        half_width=float(row["half_width"]),
        specificity_half_width=float(row["spec_half_width"]),
        level=float(row["level"]),
    )
    assert plan["buderer_sensitivity"].n == int(row["n_sensitivity"])
    assert plan["buderer_specificity"].n == int(row["n_specificity"])
    assert plan.n == int(row["n"])
    assert plan["buderer_sensitivity"].events == math.ceil(float(row["cases_exact"]))
    assert plan["buderer_specificity"].non_events == math.ceil(float(row["controls_exact"]))


def test_buderer_worked_examples():
    # Hajian-Tilaki (2014) p. 195, the epiR example: Se 0.80, prevalence 0.10, +-0.07 -> 1255
    assert ss.sens_spec_precision(0.80, 0.90, 0.10, half_width=0.07)["buderer_sensitivity"].n == 1255
    # Buderer's example: Se 0.90, +-0.10, prevalence 0.20 -> 34.57 cases, 35 when rounded;
    # n = 34.57 / 0.2 = 172.9 -> 173 (rounding the cases first gives 35 / 0.2 = 175)
    sens = ss.sens_spec_precision(0.90, 0.90, 0.20, half_width=0.10)["buderer_sensitivity"]
    assert (sens.events, sens.n) == (35, 173)


@pytest.mark.parametrize(
    "row", read_tsv("hanley_mcneil.tsv"), ids=lambda r: f"auc{r['auc'][:4]}-w{r['width'][:4]}"
)
def test_auc_precision_equals_r_uniroot(row):
    res = ss.auc_precision(
        float(row["auc"]), float(row["width"]), kappa=float(row["kappa"]), level=float(row["level"])
    )
    assert res.assumptions["cases_unrounded"] == pytest.approx(float(row["cases_exact"]), rel=1e-9)
    assert (res.events, res.non_events) == (int(row["cases"]), int(row["controls"]))
    assert res.assumptions["ci_width"] == pytest.approx(float(row["ci_width_at_n"]), rel=1e-12)
    assert res.assumptions["ci_width"] <= float(row["width"])


def test_hanley_mcneil_se_formula():
    # A = 0.8, 50 cases, 50 controls: Q1 = 0.8/1.2, Q2 = 1.28/1.8
    q1, q2 = 0.8 / 1.2, 1.28 / 1.8
    expected = math.sqrt((0.16 + 49 * (q1 - 0.64) + 49 * (q2 - 0.64)) / 2500)
    assert ss.hanley_mcneil_se(0.8, 50, 50) == pytest.approx(expected, rel=1e-15)


def test_kappa_from_prevalence():
    assert ss.kappa_from_prevalence(0.25) == pytest.approx(3.0)


# --------------------------------------------------------------------------- prognostic split


@pytest.mark.parametrize("row", read_tsv("schoenfeld.tsv"), ids=lambda r: r["design"])
def test_schoenfeld_equals_epir_and_the_formula_in_r(row):
    res = ss.schoenfeld_events(
        float(row["hazard_ratio"]),
        float(row["split_proportion"]),
        alpha=float(row["alpha"]),
        power=float(row["power"]),
        sides=int(row["sides"]),
        event_probability=float(row["event_probability"]),
    )
    assert res.events == int(row["epir_events"]) == int(row["events"])
    assert res.assumptions["events_unrounded"] == pytest.approx(float(row["events_exact"]), rel=1e-12)
    assert res.n == int(row["n"])


def test_schoenfeld_worked_examples():
    # Therneau & Grambsch (2000) p. 63 (epiR's example): 5-year survival 0.30 -> 0.45, 90% power -> 250
    hr = math.log(0.45) / math.log(0.30)
    assert ss.schoenfeld_events(hr, 0.5, power=0.9).events == 250
    # HR 1.5, 1:1, 80% power, two-sided 5%: 4 (1.96 + 0.84)^2 / log(1.5)^2 = 191 events
    res = ss.schoenfeld_events(1.5, 0.5, event_probability=0.6)
    assert (res.events, res.n) == (191, 319)
    # a hazard ratio and its inverse need the same events; so do p and 1 - p
    assert ss.schoenfeld_events(0.5, 0.3).events == ss.schoenfeld_events(2.0, 0.7).events


# --------------------------------------------------------------------------- results and inputs


def test_results_are_frozen_and_hashable():
    res = ss.schoenfeld_events(2.0, 0.5, event_probability=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.n = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        res.assumptions["power"] = 0.9  # type: ignore[index]
    assert hash(res) == hash(ss.schoenfeld_events(2.0, 0.5, event_probability=0.5))
    plan = ss.riley_validation(0.2, 0.75, ss.NormalLP(-1.6, 0.9), method="quadrature")
    assert plan["riley_oe"].expected_events == pytest.approx(plan["riley_oe"].n * 0.2)
    with pytest.raises(KeyError):
        plan["nope"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: ss.riley_oe(0.0),
        lambda: ss.riley_oe(0.2, ci_width=0),
        lambda: ss.riley_cstatistic(0.2, 1.0),
        lambda: ss.riley_calibration_slope(ss.NormalLP(0, 1), method="mc"),  # type: ignore[arg-type]
        lambda: ss.NormalLP(0, 0),
        lambda: ss.BetaRisk(0, 1),
        lambda: ss.binormal_lp(0.4, 0.2),
        lambda: ss.sens_spec_precision(0.9, 0.9, 1.0),
        lambda: ss.auc_power(0.6, auc_null=0.7),
        lambda: ss.auc_power(0.8, alternative="less"),  # type: ignore[arg-type]
        lambda: ss.auc_precision(0.8, -0.1),
        lambda: ss.schoenfeld_events(1.0, 0.5),
        lambda: ss.schoenfeld_events(2.0, 0.5, event_probability=0.0),
        lambda: ss.schoenfeld_events(2.0, 0.5, sides=3),  # type: ignore[arg-type]
        lambda: ss.combine("empty", []),
    ],
)
def test_bad_inputs_raise(call):
    with pytest.raises(ValueError):
        call()


def test_import_needs_neither_numpy_nor_scipy():
    """Every workflow job pays for what it imports: the closed forms use the standard library."""
    code = (
        "import sys; import mirflow.stats.sample_size as s; s.auc_power(0.8); s.schoenfeld_events(2, 0.5);"
        "print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root / "workflow" / "scripts")},
    )
    assert out.stdout.strip() == "[]"
