"""mirflow.stats.group_tests: the two-group tests of the cohort table against R and the
seed's Table 3."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

from mirflow.stats.group_tests import contingency_test, mann_whitney_p

X1 = [28.6, 30.2, 31.5, 33.0, 34.1, 34.9, 35.5, 38.2, 41.0, 53.6]

Y1 = [35.8, 52.3, 58.1, 60.5, 61.2, 66.0, 70.4, 78.4]


@pytest.fixture(scope="module")
def r_values() -> dict[str, str]:
    table = pd.read_csv(FIXTURES / "r" / "group_tests.tsv", sep="\t", dtype=str)
    return dict(zip(table["case"], table["p_value"], strict=True))


def test_mann_whitney_matches_r_wilcox_test(r_values):
    # Tolerance 1e-12: both compute the same exact / normal-approximation formulas.
    assert mann_whitney_p(X1, Y1) == pytest.approx(float(r_values["wilcox_exact"]), abs=1e-12)
    ties = mann_whitney_p([1, 2, 2, 3, 4, 4, 5], [3, 4, 5, 5, 6, 7])
    assert ties == pytest.approx(float(r_values["wilcox_ties"]), abs=1e-12)
    x3 = np.array(r_values["x3"].split(","), dtype=float)
    y3 = np.array(r_values["y3"].split(","), dtype=float)
    assert mann_whitney_p(x3, y3) == pytest.approx(float(r_values["wilcox_large"]), abs=1e-12)


def test_chi_square_reproduces_the_seeds_sex_p_value(r_values):
    # Table 3 of the seed: males 12/20 donors vs 10/18 patients, p = .782.
    p, test = contingency_test(pd.DataFrame({"control": [12, 8], "case": [10, 8]}))
    assert test == "chi-square"
    assert round(p, 3) == 0.782
    assert p == pytest.approx(float(r_values["chisq_sex"]), abs=1e-12)


def test_fisher_when_expected_counts_are_small(r_values):
    p, test = contingency_test(pd.DataFrame({"control": [1, 9], "case": [6, 4]}))
    assert test == "Fisher's exact"
    assert p == pytest.approx(float(r_values["fisher_small"]), abs=1e-12)
