"""mirflow.stats.deseq2_design: DESeq2's design frame and formula; a design that is not full
rank names the confounded columns."""

from __future__ import annotations

import numpy as np
import pytest

from mirflow.errors import InputError
from mirflow.stats import deseq2_design


def test_confounded_design_names_the_columns(demo_cohort):
    _, labels, covariates = demo_cohort
    batch = covariates.assign(batch=np.where(labels == "case", "run1", "run2"))
    frame, formula, names = deseq2_design.design_frame(labels, batch)
    with pytest.raises(InputError, match=r"not full rank: .*batch.*case vs control"):
        deseq2_design.check_full_rank(frame, formula, names, "samples.tsv")
    frame, formula, names = deseq2_design.design_frame(labels, covariates)
    deseq2_design.check_full_rank(frame, formula, names, "samples.tsv")


def test_missing_covariate_drops_the_sample(demo_cohort):
    _, labels, covariates = demo_cohort
    covariates = covariates.copy()
    covariates.iloc[0, 0] = np.nan
    frame, formula, names = deseq2_design.design_frame(labels, covariates)
    assert len(frame) == len(labels) - 1 and formula == "~cov1 + contrast" and names == {"cov1": "age"}
