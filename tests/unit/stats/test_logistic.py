"""mirflow.stats.logistic: the adjusted logistic model of a marker, by maximum likelihood or,
under separation, by Firth's penalised likelihood, against R (glm, brglm2); Firth fits that
must not depend on the CPU or on the covariates' scale (issue 9).

References: tests/fixtures/r/firth_designs.R (brglm2 estimates, profile penalised-likelihood
CIs and penalised LR p-values computed in R) on separated and nearly separated designs, each
with age in years ("raw") and centred and scaled ("scaled"); README_diagnostic.md describes them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from firthmodels import FirthLogisticRegression
from sklearn.exceptions import ConvergenceWarning

from mirflow.stats import firth, logistic


@pytest.fixture(scope="module")
def asah() -> pd.DataFrame:
    """pROC's aSAH data (113 patients with subarachnoid haemorrhage; outcome Poor = case)."""
    return pd.read_csv(FIXTURES / "r" / "aSAH.csv")


def _fixture(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / name, sep="\t", na_values=["NA"])


def _term(name: str, marker: str) -> pd.Series:
    return _fixture(name).query("marker == @marker and term == @marker").iloc[0]


@pytest.mark.parametrize("marker", ["s100b", "ndka"])
def test_logistic_mle_matches_r_glm(asah, marker):
    model = logistic.fit_marker(asah["case"], asah[marker], asah[["age"]])
    reference = _term("asah_glm.tsv", marker)
    assert model.method == "mle" and model.n == len(asah)
    # Both converge the same likelihood to ~1e-12; the issue's bar is 1e-6.
    for ours, theirs in (
        (model.estimate, "estimate"),
        (model.se, "se"),
        (model.p_value, "p_value"),
        (model.ci_low, "ci_low"),
        (model.ci_high, "ci_high"),
    ):
        assert ours == pytest.approx(reference[theirs], abs=1e-6), theirs


@pytest.mark.parametrize("marker", ["s100b", "ndka"])
def test_firth_matches_r(asah, marker):
    x = logistic.design(asah[marker], asah[["age"]])
    model = logistic.fit_firth(asah["case"].to_numpy(dtype=float), x, "test")
    reference = _term("asah_firth.tsv", marker)
    # R: brglm2 (AS_mean) estimates, profile penalised-likelihood CI and penalised LR p
    # computed in R; agreement to the issue's 1e-4.
    for ours, theirs in (
        (model.estimate, "estimate"),
        (model.se, "se"),
        (model.p_value, "p_value"),
        (model.ci_low, "ci_low"),
        (model.ci_high, "ci_high"),
    ):
        assert ours == pytest.approx(reference[theirs], abs=1e-4), theirs


def test_separation_is_detected_and_refitted_with_firth():
    data = pd.read_csv(FIXTURES / "r" / "asah_separated.csv")
    model = logistic.fit_marker(data["case"], data["sep"], data[["age"]])
    assert model.method == "firth" and model.reason.startswith("separation")
    reference = _term("asah_separated_firth.tsv", "sep")
    for ours, theirs in (
        (model.estimate, "estimate"),
        (model.p_value, "p_value"),
        (model.ci_low, "ci_low"),
        (model.ci_high, "ci_high"),
    ):
        assert ours == pytest.approx(reference[theirs], abs=1e-4, rel=1e-6), theirs
    assert _fixture("asah_separated_separation.tsv")["separation"].iloc[0]


@pytest.mark.parametrize("marker", ["mir1246_log2", "mir1290_log2", "mir320c_log2", "mir375_log2"])
def test_demo_logistic_models_match_r(marker):
    """The demo's age-adjusted models (log2 normalised counts, age centred and scaled)."""
    data = pd.read_csv(FIXTURES / "r" / "demo_markers.csv")
    model = logistic.fit_marker(data["case"], data[marker], data[["age"]])
    reference = _term("demo_glm.tsv", marker)
    assert model.method == "mle"
    assert (model.estimate, model.p_value) == pytest.approx(
        (reference["estimate"], reference["p_value"]), abs=1e-6
    )
    firth = logistic.fit_firth(
        data["case"].to_numpy(dtype=float), logistic.design(data[marker], data[["age"]]), ""
    )
    reference = _term("demo_firth.tsv", marker)
    for key in ("estimate", "p_value", "ci_low", "ci_high"):
        assert getattr(firth, key) == pytest.approx(reference[key], abs=1e-4), key
    # the seed's finding: the three markers stay independent of age, miR-375 does not
    assert (model.p_value < 0.05) == (marker != "mir375_log2")


# ---- Firth fits that do not depend on the CPU or the covariates' scale (issue 9) ---------------


DESIGNS = ["complete", "quasi", "age_gap", "age_gap_sex", "near", "rare"]

CODINGS = ["raw", "scaled"]

KEYS = ["estimate", "se", "ci_low", "ci_high", "p_value"]

TOLERANCE = 1e-4

P_RELATIVE = 1e-4


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / "firth_designs.csv")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r" / "firth_designs_reference.tsv", sep="\t", na_values=["NA"])


def _case(data: pd.DataFrame, design: str, coding: str) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Outcome, marker and covariates (age in years or scaled, plus sex where the design has it)."""
    frame = data[data["design"] == design].reset_index(drop=True)
    covariates = ["age" if coding == "raw" else "age_scaled"]
    if frame["sex"].notna().all():
        covariates.append("sex")
    return frame["case"], frame["marker"], frame[covariates]


def _marker_row(reference: pd.DataFrame, design: str, coding: str) -> pd.Series:
    rows = reference.query("design == @design and coding == @coding and term == 'marker'")
    assert len(rows) == 1
    return rows.iloc[0]


def _assert_matches(model: logistic.MarkerModel, expected: pd.Series, tolerance: float = TOLERANCE) -> None:
    for key in KEYS:
        assert getattr(model, key) == pytest.approx(expected[key], abs=tolerance), key
    assert model.p_value == pytest.approx(expected["p_value"], rel=P_RELATIVE)


def _firth(
    y: pd.Series, marker: pd.Series, covariates: pd.DataFrame, reason: str = ""
) -> logistic.MarkerModel:
    return logistic.fit_firth(y.to_numpy(dtype=float), logistic.design(marker, covariates), reason)


class _NeverConverges(FirthLogisticRegression):
    """firthmodels as on the CPUs of issue 9: the fit stops with "Step-halving failed"
    (converged_ False, so that its LRT refuses to run), here on every design."""

    def fit(self, X, y, *args, **kwargs):
        super().fit(X, y, *args, **kwargs)
        if self.fails(np.asarray(X, dtype=float)):
            warnings.warn("Step-halving failed to converge.", ConvergenceWarning, stacklevel=2)
            self.converged_ = False
        return self

    @staticmethod
    def fails(x: np.ndarray) -> bool:
        return True


class _FailsUnscaled(_NeverConverges):
    """As above, but only on columns that are not centred (the internally scaled refit works)."""

    @staticmethod
    def fails(x: np.ndarray) -> bool:
        return not np.allclose(x.mean(axis=0), 0, atol=1e-9)


@pytest.mark.parametrize("coding", CODINGS)
@pytest.mark.parametrize("design", DESIGNS)
def test_firth_matches_r_on_separated_designs(data, reference, design, coding):
    y, marker, covariates = _case(data, design, coding)
    expected = _marker_row(reference, design, coding)
    model = _firth(y, marker, covariates)
    assert model.method == "firth" and model.n == len(y)
    _assert_matches(model, expected)


@pytest.mark.parametrize("coding", CODINGS)
@pytest.mark.parametrize("design", DESIGNS)
def test_fit_marker_chooses_firth_exactly_when_separated(data, reference, design, coding):
    y, marker, covariates = _case(data, design, coding)
    expected = _marker_row(reference, design, coding)
    model = logistic.fit_marker(y, marker, covariates)
    if expected["separation"]:
        assert model.method == "firth" and model.reason.startswith("separation (infinite ML estimates: ")
        _assert_matches(model, expected)
    else:
        # near-separation: ML is finite (huge for "near": 12.05, SE 11.0) and equals glm's;
        # both maximise the same likelihood to ~1e-12, the SPEC's bar for ML is 1e-6
        assert model.method == "mle" and model.reason == ""
        for key in ("estimate", "se", "p_value"):
            assert getattr(model, key) == pytest.approx(expected[f"glm_{key}"], abs=1e-6), key


@pytest.mark.parametrize("design", DESIGNS)
def test_raw_and_scaled_age_agree_for_the_marker(data, design):
    """Firth's estimate is equivariant under affine reparametrisation of the covariates: the
    marker's term must not change when age is centred and scaled. firthmodels stops at a
    gradient of 1e-6, which leaves estimates and SEs up to ~1e-6 apart (measured <= 5e-7,
    whichever fit path each coding takes); its profile CIs and LR p-values are solved to 1e-8
    in l* and agree far closer (measured <= 1e-10)."""
    raw, scaled = (logistic.fit_marker(*_case(data, design, coding)) for coding in CODINGS)
    assert raw.method == scaled.method
    for key in ("estimate", "se"):
        assert getattr(raw, key) == pytest.approx(getattr(scaled, key), abs=1e-5), key
    for key in ("ci_low", "ci_high", "p_value"):
        assert getattr(raw, key) == pytest.approx(getattr(scaled, key), abs=1e-6), key
    assert raw.p_value == pytest.approx(scaled.p_value, rel=1e-6)


def test_forced_failure_is_refitted_with_scaled_covariates(monkeypatch):
    """Issue 9's data: firthmodels fails on age in years; the refit on internally scaled
    columns is back-transformed and matches R, and the reason says what happened."""
    monkeypatch.setattr(firth, "FirthLogisticRegression", _FailsUnscaled)
    data = pd.read_csv(FIXTURES / "r" / "asah_separated.csv")
    model = logistic.fit_marker(data["case"], data["sep"], data[["age"]])
    assert model.method == "firth"
    assert model.reason == (
        "separation (infinite ML estimates: marker, age, intercept); refitted with internally scaled "
        "covariates after firthmodels failed on the raw ones (Step-halving failed to converge)"
    )
    expected = (
        pd.read_csv(FIXTURES / "r" / "asah_separated_firth.tsv", sep="\t").query("term == 'sep'").iloc[0]
    )
    _assert_matches(model, expected)


@pytest.mark.parametrize("coding", CODINGS)
@pytest.mark.parametrize("design", DESIGNS)
def test_forced_failure_everywhere_uses_the_own_maximiser(data, reference, monkeypatch, design, coding):
    """firthmodels failing on raw and scaled columns: the own penalised Newton maximiser, its
    profile CI and LRT match R (measured: ~1e-11) to the same 1e-4."""
    monkeypatch.setattr(firth, "FirthLogisticRegression", _NeverConverges)
    y, marker, covariates = _case(data, design, coding)
    model = _firth(y, marker, covariates, "test")
    assert model.reason == (
        "test; refitted by the own penalised Newton maximiser after firthmodels failed on the raw "
        "covariates (Step-halving failed to converge) and on internally scaled ones (Step-halving "
        "failed to converge)"
    )
    _assert_matches(model, _marker_row(reference, design, coding))


class _CollapsedProfileCI(FirthLogisticRegression):
    """firthmodels as on a degenerate design seen in the hostile sweep: the profile CI's two
    bounds returned at one point beside the estimate (both on the profile, so the profile
    checks alone pass), here on every fit."""

    def conf_int(self, *args, **kwargs):
        ci = np.array(super().conf_int(*args, **kwargs), dtype=float)
        ci[0, :] = ci[0, 1]
        return ci


def test_a_profile_ci_not_holding_its_estimate_is_refitted(data, reference, monkeypatch):
    monkeypatch.setattr(firth, "FirthLogisticRegression", _CollapsedProfileCI)
    y, marker, covariates = _case(data, DESIGNS[0], CODINGS[0])
    model = _firth(y, marker, covariates, "test")
    assert "does not hold the estimate" in model.reason
    assert model.reason.startswith("test; refitted by the own penalised Newton maximiser")
    assert model.ci_low < model.estimate < model.ci_high
    _assert_matches(model, _marker_row(reference, DESIGNS[0], CODINGS[0]))


def test_all_fits_failing_gives_nan_with_a_reason(monkeypatch):
    monkeypatch.setattr(firth, "FirthLogisticRegression", _NeverConverges)
    monkeypatch.setattr(logistic, "NEWTON_MAX_ITER", 0)
    data = pd.read_csv(FIXTURES / "r" / "asah_separated.csv")
    model = logistic.fit_marker(data["case"], data["sep"], data[["age"]])
    assert model.method == "firth" and model.n == len(data)
    assert np.isnan([model.estimate, model.se, model.ci_low, model.ci_high, model.p_value]).all()
    assert model.reason.startswith(
        "separation (infinite ML estimates: marker, age, intercept); Firth fit failed: "
    )
    assert "own penalised Newton maximiser too (the maximisation did not converge" in model.reason
    assert model.reason.endswith("; no estimate")


@pytest.mark.parametrize("tolerance", [None, 1e-12])
def test_issue_9_p_value_is_finite_and_matches_r(monkeypatch, tolerance):
    """The originally failing model with the real firthmodels: with the default tolerance (on
    CPUs where it stalls, the fallback) and with a gradient tolerance of 1e-12, below the
    rounding noise of the penalised likelihood, so that firthmodels' step halving fails for
    real and the fallbacks must recover R's values (which fallback depends on the CPU)."""
    if tolerance is not None:
        monkeypatch.setattr(logistic, "FIT_TOLERANCE", tolerance)
    data = pd.read_csv(FIXTURES / "r" / "asah_separated.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # firthmodels' convergence warnings must not escape
        model = logistic.fit_marker(data["case"], data["sep"], data[["age"]])
    assert model.method == "firth" and np.isfinite(model.p_value)
    expected = (
        pd.read_csv(FIXTURES / "r" / "asah_separated_firth.tsv", sep="\t").query("term == 'sep'").iloc[0]
    )
    _assert_matches(model, expected)


def test_fallback_reason_reaches_the_logistic_table(monkeypatch):
    monkeypatch.setattr(firth, "FirthLogisticRegression", _NeverConverges)
    data = pd.read_csv(FIXTURES / "r" / "asah_separated.csv")
    data.index = [f"S{i}" for i in range(len(data))]
    labels = data["case"].map({1: "case", 0: "control"})
    table = logistic.logistic_table(
        data[["sep"]].T.rename(index={"sep": "hsa-miR-1"}), labels, data[["age"]], ["hsa-miR-1"]
    )
    row = table.iloc[0]
    assert list(table.columns) == logistic.COLUMNS
    assert row["method"] == "firth" and np.isfinite(row["p_value"])
    assert "refitted by the own penalised Newton maximiser" in row["reason"]
