"""mirflow.stats.sample_size additions for planning from a lock: a weighted empirical linear
predictor (cases and controls mixed at another prevalence, shifted to stay calibrated), and the
exact count for a proportion anticipated at 1 (where Buderer's Wald formula gives 0)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mirflow.stats import sample_size as ss
from mirflow.stats.validation import exact_ci

RNG = np.random.default_rng(7)
CASES = tuple(RNG.normal(1.5, 1.0, 40))
CONTROLS = tuple(RNG.normal(-1.5, 1.0, 60))


def test_equal_weights_are_the_plain_average():
    plain = ss.EmpiricalLP(CASES + CONTROLS)
    weighted = ss.EmpiricalLP(CASES + CONTROLS, (1.0,) * 100)
    for method in ("simulation", "quadrature"):
        a = ss.riley_calibration_slope(plain, method=method)
        b = ss.riley_calibration_slope(weighted, method=method)
        assert b.n == a.n
        for key in ("I00", "I01", "I11"):
            assert b.assumptions[key] == pytest.approx(a.assumptions[key], rel=1e-12)


def test_at_the_fitted_prevalence_the_mixture_is_the_cohort():
    lp = ss.empirical_lp_at(CASES, CONTROLS, 0.4, 0.4)
    assert lp.values == CASES + CONTROLS
    assert lp.weights == pytest.approx((0.01,) * 100)


def test_another_prevalence_shifts_and_reweights():
    lp = ss.empirical_lp_at(CASES, CONTROLS, 0.1, 0.4)
    shift = math.log(0.1 / 0.9) - math.log(0.4 / 0.6)
    assert lp.values[0] == pytest.approx(CASES[0] + shift)
    weights = np.asarray(lp.weights)
    assert weights[:40].sum() == pytest.approx(0.1) and weights[40:].sum() == pytest.approx(0.9)
    # the mean predicted risk of the mixture is close to its prevalence (calibrated in the large)
    risk = 1 / (1 + np.exp(-np.asarray(lp.values)))
    assert float(weights @ risk) == pytest.approx(0.1, abs=0.03)
    assert ss.riley_calibration_slope(lp).assumptions["lp"] == "empirical, weighted"


@pytest.mark.parametrize("weights", [(1.0,), (-1.0, 1.0), (0.0, 0.0), (math.nan, 1.0)])
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError):
        ss.EmpiricalLP((0.0, 1.0), weights)


@pytest.mark.parametrize("half_width", [0.05, 0.1, 0.2])
def test_the_exact_count_at_1_is_the_smallest_reaching_the_half_width(half_width):
    size = ss.exact_boundary("specificity", 0.4, half_width=half_width)
    m = size.non_events
    assert exact_ci(m, m)[0] >= 1 - half_width > exact_ci(m - 1, m - 1)[0]
    assert size.n == math.ceil(size.assumptions["count_unrounded"] / 0.6)
    cases = ss.exact_boundary("sensitivity", 0.4, half_width=half_width)
    assert cases.events == m and cases.n == math.ceil(cases.assumptions["count_unrounded"] / 0.4)
