"""mirflow.stats.optimism: bootstrap optimism correction (issue 11 item 3) against rms::validate
and an R loop with brglm2's Firth fit; reference values in tests/fixtures/r/optimism_* (see
README_diagnostic.md, "Bootstrap optimism")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from sklearn.metrics import roc_auc_score

from mirflow.stats import optimism
from mirflow.stats.optimism import FitFailed, bootstrap_optimism, optimism_from_resamples

R = FIXTURES / "r"
FITS = {"ml": optimism.ml_fit, "firth": optimism.firth_fit}
# Per-replicate agreement with R on the same resamples. ML: statsmodels' Newton and R's glm
# (epsilon 1e-14) both converge, measured 1e-12. Firth: firthmodels stops at its default
# gtol 1e-4 (the panel's setting), brglm2 at 1e-12: calibration slopes differ by up to 9e-5.
SLOPE_TOLERANCE = {"ml": 1e-9, "firth": 3e-4}
# Bootstrap samples of the Monte Carlo comparison (seconds: about 3 ms per ML fit, 5 ms per
# Firth fit) and the allowed distance in combined Monte Carlo SEs.
B_TEST = 800
N_SE = 4


def _tsv(name: str) -> pd.DataFrame:
    return pd.read_csv(R / name, sep="\t", na_values=["NA"], keep_default_na=False)


@pytest.fixture(scope="module")
def data() -> dict[str, tuple[pd.DataFrame, pd.Series]]:
    """Two designs of 40 cases and 40 controls, x1..x3 (optimism_reference.R, set.seed(20250612))."""
    frame = pd.read_csv(R / "optimism_data.csv")
    out = {}
    for name, rows in frame.groupby("dataset"):
        rows = rows.set_index("sample")
        out[str(name)] = (rows[["x1", "x2", "x3"]], rows["case"])
    return out


@pytest.fixture(scope="module")
def resamples() -> dict[str, np.ndarray]:
    """rms::validate's 200 bootstrap samples (set.seed(1)), as 0-based positions."""
    frame = pd.read_csv(R / "optimism_resamples.csv")
    return {
        str(name): np.array([[int(v) - 1 for v in r.split()] for r in rows["rows"]])
        for name, rows in frame.groupby("dataset")
    }


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return _tsv("optimism_summary.tsv").set_index(["dataset", "method", "source", "index"])


@pytest.fixture(scope="module")
def on_r_resamples(data, resamples) -> dict[tuple[str, str], optimism.OptimismResult]:
    """Our optimism on rms's resamples, per data set and fit (computed once: ~4 s)."""
    return {
        (name, method): optimism_from_resamples(*data[name], resamples[name], fit)
        for name in ("moderate", "separable")
        for method, fit in FITS.items()
    }


def _reference(summary: pd.DataFrame, dataset: str, method: str, source: str, index: str) -> pd.Series:
    return summary.loc[(dataset, method, source, index)]


# ---- the same bootstrap samples as rms::validate -------------------------------------------------


@pytest.mark.parametrize("method", ["ml", "firth"])
@pytest.mark.parametrize("dataset", ["moderate", "separable"])
def test_replicates_match_r_on_the_same_resamples(on_r_resamples, dataset, method):
    result = on_r_resamples[dataset, method]
    expected = _tsv("optimism_replicates.tsv").query("dataset == @dataset").reset_index(drop=True)
    ours = result.replicates
    # the skipped samples are R's: the Konis-separated ones for ML (23 of 200 in "separable"),
    # none for Firth, whose estimate stays finite under separation
    r_skipped = expected[f"{method}_auc_training"].isna()
    assert ((ours["failure"] != "").to_numpy() == r_skipped.to_numpy()).all()
    if method == "ml":
        assert (r_skipped == expected["separated"]).all()
        assert set(result.failures) <= {"separated: the ML estimate is infinite"}
    assert result.n_failed == int(r_skipped.sum()) == (23 if (dataset, method) == ("separable", "ml") else 0)
    kept = ~r_skipped
    # AUCs are rank statistics: identical unless two linear predictors swap, which they do not
    for column in ("auc_training", "auc_test"):
        assert np.abs(ours.loc[kept, column] - expected.loc[kept, f"{method}_{column}"]).max() < 1e-12
    difference = np.abs(ours.loc[kept, "slope_test"] - expected.loc[kept, f"{method}_slope_test"]).max()
    assert difference < SLOPE_TOLERANCE[method]
    assert (ours.loc[kept, "slope_training"] == 1.0).all()
    assert ours.loc[~kept, ["auc_training", "auc_test", "slope_test", "slope_training"]].isna().all().all()


@pytest.mark.parametrize("method", ["ml", "firth"])
@pytest.mark.parametrize("dataset", ["moderate", "separable"])
def test_optimism_matches_r_on_the_same_resamples(on_r_resamples, summary, dataset, method):
    result = on_r_resamples[dataset, method]
    tolerance = {"auc": 1e-12, "slope": SLOPE_TOLERANCE[method]}
    for index in ("auc", "slope"):
        expected = _reference(summary, dataset, method, "own_exact", index)
        assert getattr(result, f"{index}_apparent") == pytest.approx(expected["apparent"], abs=1e-12)
        assert getattr(result, f"{index}_optimism") == pytest.approx(
            expected["optimism"], abs=tolerance[index]
        )
        assert getattr(result, f"{index}_corrected") == pytest.approx(
            expected["corrected"], abs=tolerance[index]
        )
        assert getattr(result, f"{index}_optimism_se") == pytest.approx(expected["optimism_se"], rel=0.01)
        assert result.n_used == expected["n_used"]


def test_ml_optimism_is_rms_validate_on_its_own_resamples(on_r_resamples, summary):
    # rms::validate(lrm(case ~ x1 + x2 + x3, x = TRUE, y = TRUE), B = 200) after set.seed(1):
    # the same numbers (its lrm.fit stops at a looser criterion: slopes differ by 2e-8)
    result = on_r_resamples["moderate", "ml"]
    for index, tolerance in (("auc", 1e-12), ("slope", 1e-6)):
        expected = _reference(summary, "moderate", "ml", "rms_validate_exact", index)
        assert getattr(result, f"{index}_optimism") == pytest.approx(expected["optimism"], abs=tolerance)
        assert getattr(result, f"{index}_corrected") == pytest.approx(expected["corrected"], abs=tolerance)
        assert result.n_used == expected["n_used"] == 200


def test_rms_skips_one_nearly_separated_sample_more(on_r_resamples, summary):
    # On "separable", rms's lrm.fit (12 iterations) also gives up on one sample that is not
    # separated (it needs more iterations), so rms averages over 176 samples, we over 177.
    replicates = _tsv("optimism_replicates.tsv").query("dataset == 'separable'")
    assert int((replicates["rms_failed"] & ~replicates["separated"]).sum()) == 1
    assert int((replicates["separated"] & ~replicates["rms_failed"]).sum()) == 0
    assert _reference(summary, "separable", "ml", "rms_validate_exact", "auc")["n_used"] == 176
    assert on_r_resamples["separable", "ml"].n_used == 177


# ---- Monte Carlo: our own bootstrap samples against R's ------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "method", "sources"),
    [("moderate", "ml", ("rms_validate", "own")), ("separable", "firth", ("own",))],
)
def test_optimism_within_monte_carlo_error_of_r(data, summary, dataset, method, sources):
    # R: rms::validate with B = 10000 (ML; its SE from the same loop on the same resamples,
    # source rms_loop; "own" is that loop with the tightly converged glm) after set.seed(2),
    # or the brglm2 loop with B = 2000 after set.seed(3) (Firth); here numpy's generator.
    result = bootstrap_optimism(*data[dataset], B_TEST, np.random.default_rng(20250612), FITS[method])
    assert result.n_failed == 0
    for source in sources:
        for index in ("auc", "slope"):
            expected = _reference(summary, dataset, method, source, index)
            se_source = "rms_loop" if source == "rms_validate" else source
            se_r = _reference(summary, dataset, method, se_source, index)["optimism_se"]
            ours = getattr(result, f"{index}_optimism")
            z = (ours - expected["optimism"]) / np.hypot(getattr(result, f"{index}_optimism_se"), se_r)
            assert abs(z) < N_SE, f"{source} {index}: {ours} vs R {expected['optimism']} (z = {z:.2f})"
            assert getattr(result, f"{index}_apparent") == pytest.approx(expected["apparent"], abs=1e-12)


def test_apparent_fits_match_r(data):
    # Coefficients of the fits on all samples: lrm (ML; its lrm.fit stops early, 1e-6) and
    # brglm2 (Firth; firthmodels' gtol 1e-4); the ML recalibration slope of the fitted lp on
    # its own samples is 1 for ML by the score equations, above 1 for Firth (its shrinkage).
    apparent = _tsv("optimism_apparent.tsv").set_index(["dataset", "method"])
    for dataset, (x, y) in data.items():
        values, outcome = x.to_numpy(), y.to_numpy()
        for method, tolerance in (("ml", 1e-5), ("firth", 1e-4)):
            expected = apparent.loc[(dataset, method)]
            beta = FITS[method](values, outcome)
            assert beta == pytest.approx(
                expected[["intercept", "x1", "x2", "x3"]].to_numpy(float), abs=tolerance
            )
            lp = beta[0] + values @ beta[1:]
            slope = optimism.calibration_slope(lp, outcome.astype(float))
            assert slope == pytest.approx(1.0 if method == "ml" else expected["slope_recalibrated"], abs=1e-4)
        assert apparent.loc[(dataset, "firth"), "slope_recalibrated"] > 1.05


# ---- skipped bootstrap samples ------------------------------------------------------------------


class FailingFit:
    """The ML fit, failing (raising ``error``) on the bootstrap fits listed in ``failing``
    (call 0 is the fit on all samples, call b the fit of bootstrap sample b)."""

    def __init__(self, failing: set[int], error: Exception):
        self.calls, self.failing, self.error = 0, failing, error

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        call, self.calls = self.calls, self.calls + 1
        if call in self.failing:
            raise self.error
        return optimism.ml_fit(x, y)


def test_failing_fits_are_skipped_and_counted(data, resamples, on_r_resamples):
    x, y = data["moderate"]
    failing = set(range(3, 201, 3))
    result = optimism_from_resamples(
        x, y, resamples["moderate"], FailingFit(failing, FitFailed("forced failure"))
    )
    assert result.n_bootstrap == 200
    assert result.n_failed == len(failing) == 66
    assert result.failures == {"forced failure": 66}
    skipped = result.replicates["failure"] != ""
    assert sorted(result.replicates.loc[skipped, "replicate"]) == sorted(failing)
    # the others are exactly the unforced run's replicates; the optimism is their mean
    full = on_r_resamples["moderate", "ml"].replicates[~skipped]
    kept = full["auc_training"] - full["auc_test"]
    assert result.auc_optimism == pytest.approx(kept.mean(), abs=1e-14)
    assert result.auc_optimism_se == pytest.approx(kept.std(ddof=1) / np.sqrt(134), abs=1e-14)
    assert result.slope_optimism == pytest.approx((1 - full["slope_test"]).mean(), abs=1e-14)
    assert result.auc_corrected == pytest.approx(result.auc_apparent - result.auc_optimism, abs=1e-15)
    assert result.summary()["failures"] == "forced failure: 66"


def test_numerical_errors_and_non_finite_coefficients_are_failures(data, resamples):
    x, y = data["moderate"]
    rows = resamples["moderate"][:6]
    result = optimism_from_resamples(x, y, rows, FailingFit({1, 2}, np.linalg.LinAlgError("singular")))
    assert result.failures == {"fit failed (LinAlgError)": 2}
    assert result.n_used == 4

    calls = []

    def non_finite(values: np.ndarray, outcome: np.ndarray) -> np.ndarray:
        calls.append(len(outcome))
        beta = optimism.ml_fit(values, outcome)
        return beta if len(calls) == 1 else np.full_like(beta, np.inf)  # finite on all samples only

    result = optimism_from_resamples(x, y, rows, non_finite)
    assert result.failures == {optimism.NOT_FINITE: 6}
    assert np.isnan([result.auc_optimism, result.auc_corrected, result.slope_optimism]).all()
    assert result.slope_reason == "no bootstrap fit succeeded"
    assert result.auc_apparent == pytest.approx(0.789375)


def test_absent_group_and_constant_predictor_are_skipped():
    # one case among 9 samples: bootstrap samples without it have one group only; a 0/1
    # covariate with a single 1: samples without that sample have it constant
    x = pd.DataFrame(
        {"marker": [2.5, 0.3, -0.4, 1.1, 0.9, -1.2, 0.1, 0.6, 1.8], "flag": [0, 0, 0, 1, 0, 0, 0, 0, 0]},
        index=[f"s{i}" for i in range(9)],
    )
    y = pd.Series([1, 0, 0, 0, 0, 0, 0, 0, 0], index=x.index)
    rng = np.random.default_rng(7)
    rows = rng.integers(0, 9, size=(300, 9))
    result = optimism_from_resamples(x, y, rows)
    no_case = ~(rows == 0).any(axis=1)
    no_flag = ~no_case & ~(rows == 3).any(axis=1)
    assert result.failures[optimism.GROUP_ABSENT] == int(no_case.sum()) > 0
    assert result.failures[optimism.CONSTANT] == int(no_flag.sum()) > 0
    failure = result.replicates["failure"].to_numpy()
    assert (failure[no_case] == optimism.GROUP_ABSENT).all()
    assert (failure[no_flag] == optimism.CONSTANT).all()
    assert result.n_failed == int((no_case | no_flag).sum()) == sum(result.failures.values())


def test_fit_failing_on_all_samples_raises(data, resamples):
    x, y = data["moderate"]
    with pytest.raises(FitFailed, match="the fit on all samples failed: forced"):
        optimism_from_resamples(x, y, resamples["moderate"][:2], FailingFit({0}, FitFailed("forced")))


def test_separated_original_samples_have_no_calibration_slope():
    # Firth fits stay finite on separated data, but the ML recalibration slope of any model
    # that separates the samples is infinite: the slope is nan with the reason, the AUC is 1
    x = pd.DataFrame({"marker": [0.1, 0.5, 0.9, 1.3, 2.0, 2.2, 2.9, 3.5]}, index=list("abcdefgh"))
    y = pd.Series([0, 0, 0, 0, 1, 1, 1, 1], index=x.index)
    result = bootstrap_optimism(x, y, 30, np.random.default_rng(3))
    assert result.auc_apparent == 1.0
    assert np.isfinite(result.auc_optimism)
    assert np.isnan(result.slope_optimism) and np.isnan(result.slope_corrected)
    assert result.slope_reason.startswith("the original samples are separated by the linear predictor")
    assert result.slope_apparent_recalibrated == np.inf


# ---- building blocks and inputs -----------------------------------------------------------------


def test_bootstrap_samples_are_drawn_from_the_generator(data):
    x, y = data["moderate"]
    first = bootstrap_optimism(x, y, 5, np.random.default_rng(11))
    again = bootstrap_optimism(x, y, 5, np.random.default_rng(11))
    rows = np.random.default_rng(11).integers(0, len(y), size=(5, len(y)))
    direct = optimism_from_resamples(x, y, rows)
    assert first.summary() == again.summary() == direct.summary()


def test_auc_counts_ties_half():
    rng = np.random.default_rng(5)
    score = np.round(rng.normal(size=50), 1)
    y = (rng.random(50) < 0.4).astype(int)
    assert optimism.auc(score, y) == pytest.approx(roc_auc_score(y, score), abs=1e-15)
    assert optimism.auc(-score, y) == pytest.approx(1 - roc_auc_score(y, score), abs=1e-15)
    assert np.isnan(optimism.auc(score, np.zeros(50, dtype=int)))


def test_calibration_slope_edge_cases():
    y = np.array([0, 0, 1, 1, 0, 1.0])
    assert optimism.calibration_slope(np.array([1, 2, 3, 4, 2, 5.0]), y) == np.inf  # quasi: tie at 2
    assert optimism.calibration_slope(-np.array([1, 2, 3, 4, 2.5, 5.0]), y) == -np.inf
    assert np.isnan(optimism.calibration_slope(np.ones(6), y))
    assert np.isnan(optimism.calibration_slope(np.arange(6.0), np.zeros(6)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda x, y: (x, y.set_axis(y.index[::-1])), "same index"),
        (lambda x, y: (x, y * 2), "0 \\(control\\) and 1"),
        (lambda x, y: (x.mask(x > 2), y), "missing"),
    ],
)
def test_bad_inputs_are_refused(data, change, message):
    x, y = change(*data["moderate"])
    with pytest.raises(ValueError, match=message):
        bootstrap_optimism(x, y, 2, np.random.default_rng(1))


def test_bad_resamples_and_counts_are_refused(data):
    x, y = data["moderate"]
    with pytest.raises(ValueError, match="resamples"):
        optimism_from_resamples(x, y, np.zeros((3, 5), dtype=int))
    with pytest.raises(ValueError, match="n_bootstrap"):
        bootstrap_optimism(x, y, 0, np.random.default_rng(1))
