"""What a validation cohort must provide for the locked model: covariates coded as locked
(an empty one refused) and their scale against the lock (another unit said)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses import validation_cohort
from mirflow.analyses.lock import LockedCovariate, PanelTerm
from mirflow.errors import InputError


def _with_age(locked_model):
    """The fixture's model with a continuous covariate 'age' (mean 50, SD 10) in its panel."""
    model = locked_model()
    panel = dataclasses.replace(
        model.panel,
        covariates=("age",),
        terms=(*model.panel.terms, PanelTerm("age", 0.1, "continuous", "age")),
    )
    return dataclasses.replace(
        model, covariates=(LockedCovariate("age", "continuous", 50.0, 10.0),), panel=panel
    )


def test_a_panel_covariate_empty_for_every_sample_is_refused(locked_model):
    sheet = pd.DataFrame({"age": [np.nan, np.nan]}, index=["S1", "S2"])
    with pytest.raises(InputError, match="'age', a covariate of the locked panel, is empty for every sample"):
        validation_cohort.code_covariates(sheet, _with_age(locked_model), "val.tsv")
    sheet.loc["S1", "age"] = 60.0
    coded = validation_cohort.code_covariates(sheet, _with_age(locked_model), "val.tsv")
    assert coded.loc["S1", "age"] == pytest.approx(1.0) and np.isnan(coded.loc["S2", "age"])


def test_ages_in_months_are_noted_as_another_unit(locked_model):
    model = _with_age(locked_model)
    years = pd.DataFrame({"age": [40.0, 45.0, 50.0, 55.0, 60.0]}, index=[f"S{i}" for i in range(5)])
    same = validation_cohort.covariate_shift(years, years.index, model)
    assert same.loc[0, "note"] == "" and same.loc[0, "n_beyond_5_sd"] == 0
    months = years * 12
    shifted = validation_cohort.covariate_shift(months, months.index, model).iloc[0]
    assert shifted["median"] == 600.0 and shifted["n_beyond_5_sd"] == 5
    assert "another unit or scale than in discovery" in shifted["note"] and "ratio 12" in shifted["note"]
    # one value far out (a typo) is counted, without a unit note
    typo = years.copy()
    typo.loc["S0", "age"] = 450.0
    row = validation_cohort.covariate_shift(typo, typo.index, model).iloc[0]
    assert row["n_beyond_5_sd"] == 1 and "unit" not in row["note"]
