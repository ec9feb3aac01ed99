"""mirflow.stats.wilcoxon: the Wilcoxon-Mann-Whitney and Shapiro-Wilk tables against R."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import FIXTURES

from mirflow.stats import normalise
from mirflow.stats.wilcoxon import wilcoxon_table


def test_wilcoxon_and_shapiro_match_r(demo_cohort):
    counts, labels, _ = demo_cohort
    factors, _ = normalise.size_factors(counts, "deseq2", counts.sum())
    values = normalise.normalise(counts, factors)
    ours = wilcoxon_table(values, labels).set_index("mirna")
    reference = pd.read_csv(FIXTURES / "r" / "wilcoxon_demo.tsv", sep="\t", na_values=["NA"]).set_index(
        "mirna"
    )
    ours = ours.loc[reference.index]
    # Same exact/normal formulas: 1e-12. Shapiro-Wilk: scipy and R use different
    # polynomial approximations of the W distribution, ~5e-9 apart here.
    for column, tolerance in (
        ("p_value", 1e-12),
        ("p_adjusted", 1e-12),
        ("shapiro_p_control", 1e-7),
        ("shapiro_p_case", 1e-7),
    ):
        np.testing.assert_allclose(ours[column], reference[column], rtol=0, atol=tolerance, err_msg=column)
