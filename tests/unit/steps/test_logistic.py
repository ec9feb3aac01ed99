"""mirflow.steps.logistic: the logistic model of a marker that does not vary is NA with the
reason, the others are fitted (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.steps.logistic import logistic_models


def _panel_data(n_case: int = 10, n_control: int = 12, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    index = [f"S{i:02d}" for i in range(n_case + n_control)]
    y = pd.Series([1] * n_case + [0] * n_control, index=index)
    x = pd.DataFrame(
        {"miR-a": rng.normal(size=len(y)) + 2 * y.to_numpy(), "miR-b": rng.normal(size=len(y))}, index=index
    )
    return x, y


def test_logistic_model_of_a_constant_marker_is_na_with_a_reason():
    x, y = _panel_data()
    labels = y.map({1: "case", 0: "control"})
    values = x.assign(**{"miR-c": 4.0}).T
    covariates = pd.DataFrame({"age": np.linspace(-1, 1, len(y))}, index=y.index)
    table = logistic_models(values, labels, covariates, ["miR-a", "miR-c"])
    assert table["mirna"].tolist() == ["miR-a", "miR-c"]
    assert np.isfinite(table.loc[0, "odds_ratio"])
    constant = table.iloc[1]
    assert constant[["odds_ratio", "ci_low", "ci_high", "p_value"]].isna().all()
    assert constant["reason"] == "no model: miR-c is constant over the 22 samples"
    assert constant["n"] == 22
