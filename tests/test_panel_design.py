"""The panel's design: covariates coded only for samples that have them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.analyses.panel import panel_design
from mirflow.groups import CASE, CONTROL


def _cohort() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    samples = [f"s{i}" for i in range(6)]
    values = pd.DataFrame({s: [float(i), float(10 - i)] for i, s in enumerate(samples)}, index=["m1", "m2"])
    covariates = pd.DataFrame(
        {"site": ["lung", "gep", np.nan, "gep", "lung", "gep"], "age": [0.1, -0.2, 0.3, np.nan, 0.5, -0.6]},
        index=samples,
    )
    labels = pd.Series([CASE, CONTROL] * 3, index=samples)
    return values, covariates, labels


def test_a_sample_missing_a_categorical_covariate_is_left_out_not_coded_as_reference():
    values, covariates, labels = _cohort()
    x, y = panel_design(values, covariates, labels, ["m1", "m2"], include_covariates=True)
    # s2 lacks site (categorical), s3 lacks age (continuous): both out, none coded 0.
    assert list(x.index) == ["s0", "s1", "s4", "s5"]
    assert list(x.columns) == ["m1", "m2", "age", "site_lung"]
    assert x["site_lung"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert y.tolist() == [1, 0, 1, 0]


def test_without_covariates_every_labelled_sample_is_kept():
    values, covariates, labels = _cohort()
    x, y = panel_design(values, covariates, labels, ["m2"], include_covariates=False)
    assert list(x.index) == list(labels.index)
    assert list(x.columns) == ["m2"]
    assert y.sum() == 3
