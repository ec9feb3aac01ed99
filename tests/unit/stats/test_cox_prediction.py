"""mirflow.stats.cox_prediction: a Cox model's predicted event-free probabilities against R.

References: ``tests/fixtures/r/time_roc/brier_predictions.csv`` (riskRegression::predictRisk of
coxph fits with Efron ties on survival's veteran and lung, written by export_data.R) and
``cox_score.tsv`` (cox_score.R: a univariable coxph, predictRisk of the first patient). The
coefficients come from statsmodels' PHReg, which converges to about 1e-10 of coxph's; the
predictions agree to 3e-10 (4e-12 on veteran).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirflow.stats.cox_prediction import efron_cumulative_hazard, fit_cox

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "r" / "time_roc"
TOLERANCE = 1e-8


def _veteran() -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    veteran = pd.read_csv(FIXTURE / "veteran.csv")
    design = pd.get_dummies(veteran[["karno", "age", "celltype"]], drop_first=True, dtype=float)
    return veteran["time"].to_numpy(float), veteran["status"].to_numpy(int), design


def _lung() -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    lung = pd.read_csv(ROOT / "tests" / "fixtures" / "r" / "lung.csv").dropna(subset=["ph.ecog"])
    return lung["time"].to_numpy(float), lung["event"].to_numpy(int), lung[["age", "sex", "ph.ecog"]]


@pytest.mark.parametrize("dataset", ["veteran", "lung"])
def test_predicted_survival_equals_predict_risk(dataset):
    time, event, design = {"veteran": _veteran, "lung": _lung}[dataset]()
    fit = fit_cox(time, event, design.to_numpy(dtype=float))
    reference = pd.read_csv(FIXTURE / "brier_predictions.csv")
    reference = reference[reference["dataset"] == dataset]
    for t, rows in reference.groupby("t"):
        expected = rows.sort_values("row")["surv"].to_numpy()
        np.testing.assert_allclose(fit.survival(t), expected, rtol=0, atol=TOLERANCE)
        # new rows with the same covariates predict the same
        np.testing.assert_allclose(fit.survival(t, design.to_numpy(dtype=float)), expected, atol=TOLERANCE)


def test_univariable_fits_equal_coxph():
    reference = pd.read_csv(FIXTURE / "cox_score.tsv", sep="\t")
    veteran = pd.read_csv(FIXTURE / "veteran.csv")
    for row in reference[reference["dataset"] == "veteran"].itertuples():
        fit = fit_cox(veteran["time"], veteran["status"], veteran[["karno"]].to_numpy(float))
        assert fit.coefficients[0] == pytest.approx(row.coefficient, abs=1e-8)
        assert fit.survival(row.t)[0] == pytest.approx(row.surv_first, abs=TOLERANCE)


def test_efron_is_breslow_without_tied_events():
    """Without ties the Efron increment 1 / S0(u) is Breslow's D / S0(u)."""
    rng = np.random.default_rng(5)
    time = rng.permutation(np.arange(1.0, 31.0))
    event = rng.integers(0, 2, 30)
    linear = rng.normal(size=30)
    times, cumulative = efron_cumulative_hazard(time, event, linear)
    risk = np.exp(linear)
    breslow = np.cumsum([1.0 / risk[time >= u].sum() for u in np.sort(time[event == 1])])
    np.testing.assert_array_equal(times, np.sort(time[event == 1]))
    np.testing.assert_allclose(cumulative, breslow, rtol=1e-14)


def test_tied_events_use_the_efron_correction():
    """Two events tied at 1 among three patients with linear predictor 0: the Efron
    increment is 1/3 + 1/(3 - 1/2 * 2) = 1/3 + 1/2, Breslow's would be 2/3."""
    times, cumulative = efron_cumulative_hazard(np.array([1.0, 1.0, 2.0]), np.array([1, 1, 0]), np.zeros(3))
    assert times.tolist() == [1.0]
    assert cumulative[0] == pytest.approx(1 / 3 + 1 / 2, rel=1e-15)


def test_survival_is_one_before_the_first_event_and_centring_changes_nothing():
    time, event, design = _veteran()
    fit = fit_cox(time, event, design.to_numpy(dtype=float))
    assert (fit.survival(0.5) == 1.0).all()
    shifted = fit_cox(time, event, design.to_numpy(dtype=float) + 100.0)
    np.testing.assert_allclose(shifted.survival(180.0), fit.survival(180.0), atol=1e-8)
