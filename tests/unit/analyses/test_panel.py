"""mirflow.analyses.panel: the panel's design (covariates coded only for samples that have
them), its fit or the reason it is not fitted (a dead end is a result, not a crash: issue
10), and the model table of the terms that the lock records."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses import panel as panel_analysis
from mirflow.analyses.panel import model_table, panel_design
from mirflow.groups import CASE, CONTROL
from mirflow.settings import PanelSettings
from mirflow.stats import firth
from mirflow.stats.panel import PanelResult

SPEC_PANEL = ["markers", "auc_cv", "auc_cv_sd", "n_repeats", "n_folds"]
PANEL = PanelSettings(n_folds=5, n_repeats=3, include_covariates=False, n_bootstrap=20)


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


# ---- fitted, or not and why ----------------------------------------------------------------


def _panel_data(n_case: int = 10, n_control: int = 12, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    index = [f"S{i:02d}" for i in range(n_case + n_control)]
    y = pd.Series([1] * n_case + [0] * n_control, index=index)
    x = pd.DataFrame(
        {"miR-a": rng.normal(size=len(y)) + 2 * y.to_numpy(), "miR-b": rng.normal(size=len(y))}, index=index
    )
    return x, y


def test_panel_fits_when_the_data_support_it():
    x, y = _panel_data()
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert reason == "" and result is not None
    row = panel_analysis.panel_row(list(x.columns), [], PANEL, result, reason)
    assert row.columns.tolist()[: len(SPEC_PANEL)] == SPEC_PANEL
    assert row.columns[-1] == "reason" and row["reason"].iloc[0] == ""
    assert 0.5 < row["auc_cv"].iloc[0] <= 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # 8 predictors for 10 cases: 1.2 per predictor
        ("many", "8 predictors for 10 samples in the smaller group (1.2 per predictor, fewer than 2)"),
        ("constant", "miR-c constant over the 22 samples"),
        ("one case", "the smaller group has 1 sample(s) with complete data"),
        # nonzero in one case only: constant in the training samples of the fold that tests it
        ("one nonzero", "miR-c constant in the training samples of repeat 1, fold"),
    ],
)
def test_panel_not_fitted_says_why(change, expected):
    x, y = _panel_data()
    rng = np.random.default_rng(5)
    if change == "many":
        x = pd.concat([x, pd.DataFrame(rng.normal(size=(len(x), 6)), index=x.index).add_prefix("m")], axis=1)
    elif change == "constant":
        x = x.assign(**{"miR-c": 3.0})
    elif change == "one case":
        x, y = x.iloc[9:], y.iloc[9:]
    else:
        x = x.assign(**{"miR-c": np.r_[5.0, np.zeros(len(x) - 1)]})
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert result is None
    assert reason.startswith(expected), reason


def test_panel_with_identical_controls_is_fitted():
    """Every control with the same values: separated, which Firth's fit handles."""
    x, y = _panel_data()
    x.loc[y == 0, :] = 1.0
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert reason == "" and result is not None
    assert np.isfinite(result.auc_per_repeat).all()


class _NeverConverges:
    """A Firth model whose Newton iterations stop before convergence."""

    def __init__(self) -> None:
        from firthmodels import FirthLogisticRegression

        self.model = FirthLogisticRegression(max_iter=1, backend="numpy")

    def fit(self, x, y):
        return self.model.fit(x, y)


class _Raises:
    def fit(self, x, y):
        raise np.linalg.LinAlgError("Weighted design matrix is rank deficient.")


def test_panel_fit_that_does_not_converge_or_fails_is_a_reason(monkeypatch):
    x, y = _panel_data()
    monkeypatch.setattr(firth, "model", lambda **tolerances: _NeverConverges())
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert result is None
    assert reason.startswith("Firth fit did not converge in repeat 1, fold 1"), reason
    monkeypatch.setattr(firth, "model", lambda **tolerances: _Raises())
    result, reason = panel_analysis.fit_panel(x, y, PANEL, 7)
    assert result is None
    assert reason == (
        "Firth fit failed in repeat 1, fold 1 (LinAlgError: Weighted design matrix is rank deficient.)"
    )


# ---- the model table ------------------------------------------------------------------------


def test_model_table_of_the_panel_names_each_term():
    """Covariate terms of the panel say how discovery coded them (a categorical covariate's
    0/1 indicators, a numeric code used as a number, a scaled continuous covariate)."""
    covariates = pd.DataFrame({"age": [0.1, -0.2], "sex": ["F", "M"], "ecog": [0, 1]}, index=["a", "b"])
    coefficients = pd.Series([1.5, 0.2, -0.3, 0.4], index=["miR-1", "age", "sex_M", "ecog"])
    result = PanelResult(np.array([0.8]), pd.DataFrame(), 0.9, 5, 1, -2.0, coefficients)
    table = model_table(result, ["miR-1"], covariates)
    assert table["term"].tolist() == ["(Intercept)", "miR-1", "age", "sex_M", "ecog"]
    assert table["kind"].tolist() == ["intercept", "marker", "covariate", "level", "covariate"]
    assert table.loc[3, ["covariate", "level"]].tolist() == ["sex", "M"]
    assert model_table(None, ["miR-1"], covariates).empty
