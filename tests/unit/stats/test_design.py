"""mirflow.stats.design: the covariates of the models, continuous ones centred and scaled."""

from __future__ import annotations

import pandas as pd
import pytest

from mirflow.stats.design import covariate_frame


def test_continuous_covariates_are_centred_and_scaled():
    sheet = pd.DataFrame(
        {"age": [60.0, 35.0, 70.0, 50.0], "sex": ["M", "F", "F", "M"]},
        index=pd.Index(list("ABCD"), name="sample"),
    )
    frame, scaling = covariate_frame(sheet, ["age", "sex"])
    assert frame["age"].mean() == pytest.approx(0) and frame["age"].std() == pytest.approx(1)
    assert scaling.set_index("covariate").at["age", "mean"] == pytest.approx(53.75)
    assert frame["sex"].tolist() == ["M", "F", "F", "M"]
