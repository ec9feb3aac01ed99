"""mirflow.stats.validation: validation statistics (issue 11) against R (binom.test, pROC, glm,
rms::val.prob, lowess) and the PyPI package dcurves; reference values in
tests/fixtures/r/validation_* (see README_diagnostic.md, "Validation")."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from scipy.special import expit

from mirflow.stats import roc, validation

R = FIXTURES / "r"


def _tsv(name: str) -> pd.DataFrame:
    return pd.read_csv(R / name, sep="\t", na_values=["NA"], keep_default_na=False)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    """60 cases and 60 controls made by validation_reference.R (set.seed(20250311))."""
    return pd.read_csv(R / "validation_data.csv")


@pytest.fixture(scope="module")
def edge() -> pd.DataFrame:
    return pd.read_csv(R / "validation_edge.csv")


def _close(actual: float, expected: float, tolerance: float) -> bool:
    """Equal within ``tolerance``, or both missing."""
    if np.isnan(expected):
        return bool(np.isnan(actual))
    return abs(actual - expected) <= tolerance


# ---- exact binomial CIs and 2x2 tables ----------------------------------------------------------


@pytest.mark.parametrize("row", list(_tsv("validation_binom.tsv").itertuples()), ids=lambda r: f"{r.x}/{r.n}")
def test_exact_ci_matches_binom_test(row):
    # Clopper-Pearson bounds are beta quantiles; scipy and R invert the same incomplete beta
    # function, so only root-finding error separates them: 1e-9 (measured 1.9e-13).
    low, high = validation.exact_ci(row.x, row.n)
    assert low == pytest.approx(row.ci_low, abs=1e-9)
    assert high == pytest.approx(row.ci_high, abs=1e-9)
    if row.x == 0:
        assert low == 0.0
    if row.x == row.n:
        assert high == 1.0


def test_exact_ci_without_trials_is_missing():
    assert np.isnan(validation.exact_ci(0, 0)).all()


def _two_by_two(data: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    sets = {
        name: (group["positive"].to_numpy() == 1, group["case"].to_numpy() == 1)
        for name, group in pd.read_csv(R / "validation_2x2.csv").groupby("dataset")
    }
    sets["marker_cut_0.5"] = (data["marker"].to_numpy() >= 0.5, data["case"].to_numpy() == 1)
    return sets


@pytest.mark.parametrize("dataset", ["zero_fn", "all_positive", "balanced", "marker_cut_0.5"])
def test_binary_metrics_match_r(data, dataset):
    positive, case = _two_by_two(data)[dataset]
    result = validation.binary_metrics(positive, case, prevalence=0.1)
    reference = _tsv("validation_binary.tsv").query("dataset == @dataset").set_index("metric")
    for count in ("tp", "fp", "tn", "fn"):
        assert result[count] == reference.loc[count, "estimate"]
    for metric in ("sensitivity", "specificity", "ppv", "npv", "ppv_at_prevalence", "npv_at_prevalence"):
        row = reference.loc[metric]
        # Estimates are one division (1e-12); CIs as test_exact_ci_matches_binom_test (1e-9),
        # the prevalence CIs being Bayes' formula at such bounds (computed the same way in R).
        assert _close(result[metric], row["estimate"], 1e-12), metric
        assert _close(result[f"{metric}_ci_low"], row["ci_low"], 1e-9), metric
        assert _close(result[f"{metric}_ci_high"], row["ci_high"], 1e-9), metric


def test_binary_metrics_zero_denominator_and_no_prevalence():
    result = validation.binary_metrics(np.ones(4, dtype=bool), np.array([True, True, False, False]))
    assert (result["tn"], result["fn"]) == (0, 0)
    assert np.isnan([result["npv"], result["npv_ci_low"], result["npv_ci_high"]]).all()
    assert result["specificity"] == 0.0 and result["sensitivity"] == 1.0
    assert "ppv_at_prevalence" not in result


def test_ppv_at_prevalence_interval_contains_the_estimate(data):
    positive, case = _two_by_two(data)["marker_cut_0.5"]
    result = validation.binary_metrics(positive, case, prevalence=0.02)
    for metric in ("ppv_at_prevalence", "npv_at_prevalence"):
        assert result[f"{metric}_ci_low"] < result[metric] < result[f"{metric}_ci_high"]


def test_binary_metrics_refuses_bad_input():
    with pytest.raises(ValueError, match="boolean"):
        validation.binary_metrics(np.array([1, 0]), np.array([True, False]))
    with pytest.raises(ValueError, match="shape"):
        validation.binary_metrics(np.array([True]), np.array([True, False]))
    with pytest.raises(ValueError, match="prevalence"):
        validation.binary_metrics(np.array([True]), np.array([True]), prevalence=1.0)


# ---- AUC in the locked direction ----------------------------------------------------------------


def _roc_groups(data: pd.DataFrame, dataset: str, marker: str) -> tuple[np.ndarray, np.ndarray]:
    frame = data if dataset == "main" else pd.read_csv(R / "validation_roc_small.csv")
    if dataset == "one_case":
        frame = frame[(frame["case"] == 0) | (frame.index == 0)]
    values = frame[marker].to_numpy(dtype=float)
    return values[frame["case"].to_numpy() == 1], values[frame["case"].to_numpy() == 0]


@pytest.mark.parametrize(
    "row",
    list(_tsv("validation_roc.tsv").itertuples()),
    ids=lambda r: f"{r.dataset}-{r.marker}-{r.direction}",
)
def test_auc_fixed_direction_matches_proc(data, row):
    cases, controls = _roc_groups(data, row.dataset, row.marker)
    assert (len(cases), len(controls)) == (row.n_case, row.n_control)
    result = validation.auc_fixed_direction(cases, controls, row.direction)
    # DeLong's variance is closed-form arithmetic on the same placements: 1e-6 is the issue's
    # bar; measured ~1e-16. pROC 1.18 clips the CI to [0, 1] itself, as we do.
    assert result["auc"] == pytest.approx(row.auc, abs=1e-6)
    assert _close(result["auc_ci_low"], row.ci_low, 1e-6)
    assert _close(result["auc_ci_high"], row.ci_high, 1e-6)
    if len(cases) > 1:
        low, high = roc.delong_ci(cases, controls, row.direction)  # the unclipped bounds
        assert (low, high) == pytest.approx((row.ci_low_unclipped, row.ci_high_unclipped), abs=1e-6)


def test_locked_direction_is_never_flipped(data):
    cases, controls = _roc_groups(data, "main", "marker")
    higher = validation.auc_fixed_direction(cases, controls, "<")
    lower = validation.auc_fixed_direction(cases, controls, ">")
    assert lower["auc"] < 0.5 < higher["auc"]
    assert lower["auc"] == pytest.approx(1 - higher["auc"], abs=1e-15)
    assert lower["auc_ci_high"] == pytest.approx(1 - higher["auc_ci_low"], abs=1e-12)


def test_auc_reference_exercises_clipping_and_reversal():
    reference = _tsv("validation_roc.tsv")
    assert (reference["ci_high_unclipped"] > 1).any() and (reference["auc"] < 0.5).any()


def test_auc_without_a_group_is_missing_and_direction_is_checked():
    assert np.isnan(list(validation.auc_fixed_direction(np.array([]), np.array([1.0]), "<").values())).all()
    with pytest.raises(ValueError, match="direction"):
        validation.auc_fixed_direction(np.array([1.0]), np.array([0.0]), "auto")


# ---- calibration ----------------------------------------------------------------------------------


def _calibration_sets(data: pd.DataFrame, edge: pd.DataFrame) -> dict[tuple[str, str], tuple]:
    sets = {("main", m): (data["case"].to_numpy(), data[m].to_numpy()) for m in ("p_model", "p_panel")}
    for name, group in edge.groupby("dataset"):
        sets[(name, "p")] = (group["y"].to_numpy(), group["p"].to_numpy())
    return sets


CALIBRATED = [("main", "p_model"), ("main", "p_panel"), ("extremes", "p")]


@pytest.mark.parametrize(("dataset", "model"), CALIBRATED)
def test_calibration_matches_glm_and_val_prob(data, edge, dataset, model):
    y, p = _calibration_sets(data, edge)[(dataset, model)]
    result = validation.calibration(y, p)
    glm = _tsv("validation_calibration.tsv").query("dataset == @dataset and model == @model")
    glm = glm.set_index(["fit", "term"])
    assert glm["converged"].all()
    assert result["n"] - result["n_excluded"] == glm["n"].iloc[0]
    names = {
        "calibration_intercept": ("citl", "(Intercept)"),
        "calibration_slope": ("recal", "lp"),
        "recalibration_intercept": ("recal", "(Intercept)"),
    }
    for name, key in names.items():
        # Both sides solve the same likelihood equations by IRLS to ~1e-12 relative
        # deviance change (R with glm.control(epsilon = 1e-14)); 1e-6 is the bar;
        # measured 1.8e-15.
        assert result[name] == pytest.approx(glm.loc[key, "estimate"], abs=1e-6), name
        assert result[f"{name}_ci_low"] == pytest.approx(glm.loc[key, "ci_low"], abs=1e-6), name
        assert result[f"{name}_ci_high"] == pytest.approx(glm.loc[key, "ci_high"], abs=1e-6), name
    assert result["calibration_intercept_reason"] == result["calibration_slope_reason"] == ""
    val_prob = _tsv("validation_val_prob.tsv").query("dataset == @dataset and model == @model")
    val_prob = val_prob.set_index("statistic")["value"]
    # rms::lrm.fit stops earlier than the fully converged glm: its estimates are up to 3.7e-7
    # from glm's (extremes), so the 1e-6.
    assert result["calibration_slope"] == pytest.approx(val_prob["Slope"], abs=1e-6)
    assert result["recalibration_intercept"] == pytest.approx(val_prob["Intercept"], abs=1e-6)
    # Brier is a mean of squares of the same doubles: equal to rounding (1e-12; measured 3e-17).
    assert result["brier"] == pytest.approx(val_prob["Brier"], abs=1e-12)


def test_calibration_excludes_probabilities_of_zero_and_one(data, edge):
    y, p = _calibration_sets(data, edge)[("extremes", "p")]
    result = validation.calibration(y, p)
    assert (result["n"], result["n_excluded"]) == (20, 2)
    assert result["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=0)


def test_calibration_under_separation_gives_nan_slope_and_finite_intercept(data, edge):
    y, p = _calibration_sets(data, edge)[("separated", "p")]
    glm = _tsv("validation_calibration.tsv").query("dataset == 'separated'").set_index(["fit", "term"])
    # R's glm "converges" (the deviance settles near 0) to a meaningless slope: fitted
    # probabilities numerically 0 or 1 and an SE of 1e7.
    assert glm.loc[("recal", "lp"), "fitted_0_or_1"] and glm.loc[("recal", "lp"), "se"] > 1e6
    result = validation.calibration(y, p)
    assert np.isnan([result["calibration_slope"], result["recalibration_intercept"]]).all()
    assert np.isnan([result["calibration_slope_ci_low"], result["calibration_slope_ci_high"]]).all()
    assert "separated" in result["calibration_slope_reason"]
    # The offset-only model has a finite MLE whenever both classes are present (1e-6 as above).
    assert result["calibration_intercept_reason"] == ""
    assert result["calibration_intercept"] == pytest.approx(
        glm.loc[("citl", "(Intercept)"), "estimate"], abs=1e-6
    )


def test_failed_logistic_fits_are_reported_not_raised(edge, monkeypatch):
    """The fit itself (behind the separation check) turns statsmodels' warnings and a
    non-converged IRLS into nan with a reason."""
    separated = edge.query("dataset == 'separated'")
    linear = np.log(separated["p"] / (1 - separated["p"])).to_numpy()
    design = np.column_stack([np.ones(len(linear)), linear])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out
        params, se, reason = validation._logistic(separated["y"].to_numpy(dtype=float), design, None)
    assert np.isnan(params).all() and np.isnan(se).all()
    assert "perfect separation" in reason

    fit = validation.GLM.fit

    def not_converged(self, *args, **kwargs):
        result = fit(self, *args, **kwargs)
        result.converged = False
        return result

    monkeypatch.setattr(validation.GLM, "fit", not_converged)
    y = np.array([1, 0, 1, 0, 1, 0], dtype=float)
    p = np.array([0.9, 0.2, 0.3, 0.6, 0.7, 0.4])
    result = validation.calibration(y, p)
    assert np.isnan([result["calibration_intercept"], result["calibration_slope"]]).all()
    assert "did not converge" in result["calibration_intercept_reason"]
    assert "did not converge" in result["calibration_slope_reason"]
    assert result["brier"] == pytest.approx(np.mean((p - y) ** 2))


def test_calibration_of_one_class_or_constant_predictions():
    one_class = validation.calibration(np.ones(5), np.linspace(0.2, 0.8, 5))
    assert np.isnan([one_class["calibration_intercept"], one_class["calibration_slope"]]).all()
    assert "one class" in one_class["calibration_intercept_reason"]
    constant = validation.calibration(np.array([1, 0, 1, 0, 0]), np.full(5, 0.3))
    assert constant["calibration_intercept"] == pytest.approx(np.log(2 / 3) - np.log(0.3 / 0.7))
    assert np.isnan(constant["calibration_slope"]) and "same" in constant["calibration_slope_reason"]


def test_calibration_recovers_a_perfectly_calibrated_model():
    rng = np.random.default_rng(11)
    p = expit(rng.normal(0, 1.5, 20000))
    result = validation.calibration((rng.random(p.size) < p).astype(float), p)
    assert result["calibration_intercept_ci_low"] < 0 < result["calibration_intercept_ci_high"]
    assert result["calibration_slope_ci_low"] < 1 < result["calibration_slope_ci_high"]


def test_calibration_refuses_bad_input():
    with pytest.raises(ValueError, match="0 \\(control\\) and 1"):
        validation.calibration(np.array([2.0, 0.0]), np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="probabilities"):
        validation.calibration(np.array([1.0, 0.0]), np.array([1.5, np.nan]))


@pytest.mark.parametrize(("dataset", "model"), [*CALIBRATED, ("separated", "p")])
def test_calibration_curve_is_rs_lowess(data, edge, dataset, model):
    y, p = _calibration_sets(data, edge)[(dataset, model)]
    reference = _tsv("validation_lowess.tsv").query("dataset == @dataset and model == @model")
    reference = reference.drop_duplicates("x")
    curve = validation.calibration_curve(y, p, n_points=None)
    assert curve["predicted"].to_numpy() == pytest.approx(reference["x"].to_numpy(), abs=0)
    # Same algorithm (Cleveland's clowess, iter = 0, delta = 1% of the range); statsmodels fits
    # one more point than R near the top of p where R interpolates: measured 1.7e-7 there
    # (p_model), < 1e-10 elsewhere; with delta = 0 both agree to 7e-15. Hence 1e-6.
    assert curve["observed"].to_numpy() == pytest.approx(reference["y"].to_numpy(), abs=1e-6)

    grid = validation.calibration_curve(y, p, n_points=50)
    assert list(grid.columns) == ["predicted", "observed"] and len(grid) == 50
    assert (grid["predicted"].iloc[0], grid["predicted"].iloc[-1]) == (p.min(), p.max())

    errors = validation.calibration_errors(y, p)
    val_prob = _tsv("validation_val_prob.tsv").query("dataset == @dataset and model == @model")
    val_prob = val_prob.set_index("statistic")["value"]
    for ours, theirs in (("eavg", "Eavg"), ("e90", "E90"), ("emax", "Emax")):
        # Built on the lowess curve above: the same 1e-6 (measured 5e-9).
        assert errors[ours] == pytest.approx(val_prob[theirs], abs=1e-6), ours


def test_calibration_curve_of_constant_predictions_is_the_mean_outcome():
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.full(4, 0.3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = validation.calibration_curve(y, p, n_points=3)
        errors = validation.calibration_errors(y, p)
    # R: lowess(rep(0.3, 4), c(1, 0, 1, 0), iter = 0)$y is 0.5 throughout.
    assert curve["observed"].tolist() == [0.5, 0.5, 0.5] and curve["predicted"].tolist() == [0.3] * 3
    assert errors == pytest.approx({"eavg": 0.2, "e90": 0.2, "emax": 0.2})


# ---- decision curves ------------------------------------------------------------------------------

THRESHOLDS = np.arange(100) / 100


def _net_benefit_by_formula(y: np.ndarray, p: np.ndarray, t: float, prevalence: float | None) -> float:
    """NB written out sample by sample (Vickers and Elkin 2006)."""
    tp = sum(1 for yi, pi in zip(y, p, strict=True) if pi >= t and yi == 1)
    fp = sum(1 for yi, pi in zip(y, p, strict=True) if pi >= t and yi == 0)
    weight = t / (1 - t)
    if prevalence is None:
        return tp / len(y) - fp / len(y) * weight
    return tp / sum(y == 1) * prevalence - fp / sum(y == 0) * (1 - prevalence) * weight


@pytest.mark.parametrize("prevalence", [None, 0.1])
def test_net_benefit_matches_its_formula(data, edge, prevalence):
    for (_dataset, _model), (y, p) in _calibration_sets(data, edge).items():
        curve = validation.net_benefit(y, p, THRESHOLDS, prevalence)
        expected = [_net_benefit_by_formula(y, p, t, prevalence) for t in THRESHOLDS]
        # The same few divisions in another order: rounding only (1e-12; values reach -89; measured 4e-16).
        assert curve["net_benefit"].to_numpy() == pytest.approx(expected, abs=1e-12)
        everyone = validation.treat_all(y, THRESHOLDS, prevalence)["net_benefit"].to_numpy()
        prev = np.mean(y) if prevalence is None else prevalence
        assert everyone == pytest.approx(prev - (1 - prev) * THRESHOLDS / (1 - THRESHOLDS), abs=1e-12)


@pytest.mark.parametrize("prevalence", [None, 0.1])
@pytest.mark.parametrize("dataset", ["main", "extremes"])
def test_decision_curve_matches_dcurves(data, edge, dataset, prevalence):
    reference = _tsv("validation_net_benefit_dcurves.tsv").query("dataset == @dataset")
    reference = reference[
        reference["prevalence"].isna() if prevalence is None else reference["prevalence"] == prevalence
    ]
    if dataset == "main":
        y, predictions = data["case"].to_numpy(), {m: data[m].to_numpy() for m in ("p_model", "p_panel")}
    else:
        extremes = edge.query("dataset == 'extremes'")
        y, predictions = extremes["y"].to_numpy(), {"p": extremes["p"].to_numpy()}
    table = validation.decision_curve(y, predictions, THRESHOLDS, prevalence)
    assert list(table.columns) == ["model", "threshold", "net_benefit"]
    assert list(table["model"].unique()) == [*predictions, "treat all", "treat none"]
    merged = table.merge(reference, on=["model", "threshold"], suffixes=("", "_dcurves"), validate="1:1")
    assert len(merged) == len(table) == len(reference)
    # dcurves computes TP/n as (TP/n_cases) x prevalence: rounding only (1e-12; measured 7e-15).
    assert merged["net_benefit"].to_numpy() == pytest.approx(
        merged["net_benefit_dcurves"].to_numpy(), abs=1e-12
    )
    assert (table.loc[table["model"] == "treat none", "net_benefit"] == 0).all()


def test_decision_curve_refuses_reserved_names_and_bad_thresholds():
    y, p = np.array([1, 0, 1, 0]), np.array([0.8, 0.3, 0.6, 0.1])
    with pytest.raises(ValueError, match="reserved"):
        validation.decision_curve(y, {"treat all": p}, [0.1])
    with pytest.raises(ValueError, match="thresholds"):
        validation.net_benefit(y, p, [0.5, 1.0])


def test_net_benefit_at_a_prevalence_without_controls_is_nan_without_a_warning():
    y = np.array([1, 1, 1, 1])
    p = np.array([0.2, 0.4, 0.6, 0.8])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        benefit = validation.net_benefit(y, p, [0.1, 0.5], prevalence=0.3)
    assert benefit["net_benefit"].isna().all() and benefit["threshold"].tolist() == [0.1, 0.5]
