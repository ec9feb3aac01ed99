"""Internal validation of a logistic panel by Harrell's bootstrap: optimism-corrected AUC
and calibration slope, as R's ``rms::validate(lrm fit, method = "boot", B = ...)``.

The apparent performance of a model on the samples it was fitted to is optimistic. The
Efron-Gong optimism estimates by how much: for b = 1..B, draw n samples with replacement
(plain, not stratified, as rms), refit the model on that bootstrap sample, and compute each
index twice, on the bootstrap sample itself (*training*) and on the original samples
(*test*); optimism = mean(training - test) over the bootstrap samples whose fit succeeded,
and corrected = apparent (the model fitted to all samples, on all samples) - optimism.

Indexes (rms ``validate.lrm``'s ``Dxy`` and ``Slope``):

- ``auc``: the concordance probability of the linear predictor lp, ties counting 1/2
  (= (Dxy + 1) / 2 = Hmisc ``somers2``'s C), in the fixed direction "higher lp = case": a
  bootstrap model can have test AUC < 0.5;
- ``slope``: the calibration slope, the maximum-likelihood b of logit P(case) = a + b lp.
  On the samples a model was fitted to, rms takes b = 1 by definition (``discrim``'s
  ``evalfit`` branch), for any fit; so training slope = apparent slope = 1, optimism =
  1 - mean(test slope) and corrected slope = mean(test slope) (Harrell's shrinkage factor).
  For a maximum-likelihood fit this is exact (the score equations make the ML recalibration
  of an ML lp on its own samples a = 0, b = 1). For Firth's penalised fit it is a
  convention, the one rms applies to penalised ``lrm`` fits too. Firth shrinks the
  coefficients, so the ML recalibration slope of its lp on its own samples is above 1
  (``slope_apparent_recalibrated``: 1.08 and 1.26 on the R reference data, 1.50 on the demo
  panel; the nearer the data are to separation, the more the penalty shrinks), and it is
  infinite on a bootstrap sample that the lp separates, which is frequent with strong
  markers (40% of the demo panel's bootstrap samples, 12% of the separation-prone reference
  data's): an honest training slope would make the optimism infinite. Under the convention
  the corrected slope is the mean slope, on the original samples, of Firth models fitted to
  bootstrap samples; it can exceed 1 (1.09 on the demo panel: predictions, if anything,
  not extreme enough), where ML's is below 1 (0.79 on the separation-prone data, Firth's 1.00).

A bootstrap sample is skipped, and counted in ``n_failed`` with its reason, when one group
is absent from it, a predictor is constant in it (its column would be aliased with the
intercept) or the fit fails (raises :class:`FitFailed` or a numerical error, does not
converge, gives non-finite coefficients); the averages are over the others, as rms's
``predab.resample`` does ("Divergence or singularity in k samples"). For ML fits a
separated bootstrap sample (Konis' linear program, firthmodels' ``detect_separation``) is a
failure: the ML estimate is infinite there. rms's ``lrm.fit`` (12 Newton iterations) fails
on the same samples and on a few nearly separated ones that need more iterations (on the
separation-prone reference data: 24 of 200 resamples, the 23 separated ones and one more;
1237 of 10000, 1197 separated). Skipping separated samples biases the ML optimism down (the
most optimistic fits are the ones left out; on the demo panel 39% are skipped and the AUC
optimism is 0.000), which is one more reason for Firth, whose fits stay finite there.

The calibration slope on the original samples is infinite when a bootstrap model's lp
separates them, which requires the original samples to be (quasi-)separable by the
predictors; the slope is then not estimable and is nan with ``slope_reason`` saying so
(the AUC is still reported).

Monte Carlo error: ``auc_optimism_se`` and ``slope_optimism_se`` are the standard errors of
the optimism over the bootstrap replicates (SD of training - test / sqrt(n used)); 200
replicates give about 0.003 for the AUC and 0.015 for the slope on 80 samples. The R
reference (``tests/fixtures/r/optimism_reference.R``) is rms::validate for ML and the same
loop with brglm2's Firth fit.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from firthmodels import detect_separation
from scipy.special import expit
from scipy.stats import rankdata
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from mirflow.stats import firth

# A fit: predictors (samples x p) and outcome (0/1) -> p + 1 coefficients, intercept first.
# It raises FitFailed (or a numerical error) when it cannot give an estimate.
Fit = Callable[[np.ndarray, np.ndarray], np.ndarray]
NAN = float("nan")
GROUP_ABSENT = "one group absent from the bootstrap sample"
CONSTANT = "a predictor constant in the bootstrap sample"
NOT_FINITE = "fit returned non-finite coefficients"


class FitFailed(Exception):
    """A fit that gives no estimate; the message is the reason counted in ``failures``."""


# What a failing fit may raise besides FitFailed (singular designs, overflow, ...).
FIT_FAILURES = (FitFailed, *firth.FIT_FAILURES)


def firth_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Firth's penalised logistic regression, the panel's model (:func:`mirflow.stats.firth.fit`);
    a fit that does not converge or has non-finite coefficients fails."""
    model, _ = firth.fit(x, y)
    if not model.converged_:
        raise FitFailed("Firth fit did not converge")
    return np.append(model.intercept_, model.coef_).astype(float)


def ml_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Maximum likelihood (statsmodels ``Logit``, Newton, as R's ``glm``/``lrm``). Fails on
    separated data (the estimate is infinite: Newton does not converge in 100 iterations,
    and Konis' linear program, firthmodels' ``detect_separation``, then names the reason)
    and on a singular design."""
    design = np.column_stack([np.ones(len(y)), x])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = Logit(y, design).fit(method="newton", maxiter=100, disp=0)
    failed = bool({w.category for w in caught} & {PerfectSeparationWarning, ConvergenceWarning})
    if failed or not fit.mle_retvals["converged"]:
        if detect_separation(x, y).separation:
            raise FitFailed("separated: the ML estimate is infinite")
        raise FitFailed("ML fit did not converge")
    return np.asarray(fit.params, dtype=float)


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """P(score of a case > score of a control), ties 1/2 (Mann-Whitney; ``somers2``'s C);
    nan without cases or controls."""
    cases = y == 1
    n_cases, n_controls = int(cases.sum()), int((~cases).sum())
    if n_cases == 0 or n_controls == 0:
        return NAN
    ranks = rankdata(score)
    return float((ranks[cases].sum() - n_cases * (n_cases + 1) / 2) / (n_cases * n_controls))


def calibration_slope(lp: np.ndarray, y: np.ndarray) -> float:
    """Maximum-likelihood b of logit P(y = 1) = a + b lp (Newton with step halving, to
    1e-10 of the step); +-inf when y is separated by lp (the classes do not interleave:
    the ML slope is infinite), nan when y has one class or lp is constant."""
    ones, zeros = lp[y == 1], lp[y == 0]
    if len(ones) == 0 or len(zeros) == 0 or np.ptp(lp) == 0:
        return NAN
    if ones.min() >= zeros.max():
        return float("inf")
    if zeros.min() >= ones.max():
        return float("-inf")
    design = np.column_stack([np.ones(len(lp)), lp])
    mean = y.mean()
    beta = np.array([np.log(mean / (1 - mean)), 0.0])

    def loglik(b: np.ndarray) -> float:
        eta = design @ b
        return float(np.sum(y * eta - np.logaddexp(0, eta)))

    current = loglik(beta)
    for _ in range(100):
        p = expit(design @ beta)
        score = design.T @ (y - p)
        information = design.T @ (design * (p * (1 - p))[:, None])
        step = np.linalg.solve(information, score)
        for _ in range(30):  # step halving: the log-likelihood is concave, a shorter step gains
            candidate = loglik(beta + step)
            if candidate >= current - 1e-12:
                break
            step /= 2
        beta, current = beta + step, candidate
        if np.max(np.abs(step)) < 1e-10 * (1 + np.max(np.abs(beta))):
            return float(beta[1])
    return NAN


@dataclass(frozen=True)
class OptimismResult:
    """Apparent, optimism and optimism-corrected AUC and calibration slope of a model.

    ``*_optimism_se``: Monte Carlo SE of the optimism. ``slope_apparent`` is 1 by
    definition (module docstring); ``slope_apparent_recalibrated`` is the ML recalibration
    slope of the fitted lp on the original samples (1 for ML, > 1 for Firth; not used in the
    optimism). ``failures``: reason -> number of bootstrap samples skipped for it.
    ``replicates``: one row per bootstrap sample (replicate, auc_training, auc_test,
    slope_training, slope_test, failure; nan values and the reason where it was skipped).
    ``slope_reason``: "" or why the slope optimism is nan."""

    auc_apparent: float
    auc_optimism: float
    auc_corrected: float
    auc_optimism_se: float
    slope_apparent: float
    slope_optimism: float
    slope_corrected: float
    slope_optimism_se: float
    slope_apparent_recalibrated: float
    n_bootstrap: int
    n_failed: int
    failures: dict[str, int]
    slope_reason: str = ""
    replicates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def n_used(self) -> int:
        return self.n_bootstrap - self.n_failed

    def summary(self) -> dict[str, float | int | str]:
        """The result as one table row (failures as "reason: count; ...")."""
        return {
            "auc_apparent": self.auc_apparent,
            "auc_optimism": self.auc_optimism,
            "auc_corrected": self.auc_corrected,
            "auc_optimism_se": self.auc_optimism_se,
            "slope_apparent": self.slope_apparent,
            "slope_optimism": self.slope_optimism,
            "slope_corrected": self.slope_corrected,
            "slope_optimism_se": self.slope_optimism_se,
            "slope_apparent_recalibrated": self.slope_apparent_recalibrated,
            "n_bootstrap": self.n_bootstrap,
            "n_failed": self.n_failed,
            "failures": "; ".join(f"{reason}: {count}" for reason, count in self.failures.items()),
            "slope_reason": self.slope_reason,
        }


def _inputs(x: pd.DataFrame, y: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if not x.index.equals(y.index):
        raise ValueError("x and y must have the same index (samples)")
    values, outcome = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError("x has missing or non-finite values")
    if not np.isin(outcome, (0.0, 1.0)).all() or len(np.unique(outcome)) < 2:
        raise ValueError("y must hold 0 (control) and 1 (case), both present")
    return values, outcome.astype(int)


def _coefficients(fit: Fit, values: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    beta = np.asarray(fit(values, outcome), dtype=float)
    if beta.shape != (values.shape[1] + 1,):
        raise ValueError(f"the fit returned {beta.shape} coefficients, expected ({values.shape[1] + 1},)")
    if not np.isfinite(beta).all():
        raise FitFailed(NOT_FINITE)
    return beta


def _failure(error: Exception) -> str:
    return str(error) if isinstance(error, FitFailed) else f"fit failed ({type(error).__name__})"


def _replicate(
    fit: Fit, values: np.ndarray, outcome: np.ndarray, rows: np.ndarray
) -> tuple[float, float, float, str]:
    """AUC on the bootstrap sample, AUC and calibration slope on all samples, of the model
    fitted to the bootstrap sample ``rows``; nan and the reason when it is skipped."""
    train_x, train_y = values[rows], outcome[rows]
    if train_y.min() == train_y.max():
        return NAN, NAN, NAN, GROUP_ABSENT
    if (np.ptp(train_x, axis=0) == 0).any():
        return NAN, NAN, NAN, CONSTANT
    try:
        beta = _coefficients(fit, train_x, train_y)
    except FIT_FAILURES as error:
        return NAN, NAN, NAN, _failure(error)
    lp = beta[0] + values @ beta[1:]
    return auc(lp[rows], train_y), auc(lp, outcome), calibration_slope(lp, outcome), ""


def _mean_and_se(differences: np.ndarray) -> tuple[float, float]:
    if len(differences) == 0:
        return NAN, NAN
    se = float(np.std(differences, ddof=1) / np.sqrt(len(differences))) if len(differences) > 1 else NAN
    return float(np.mean(differences)), se


def optimism_from_resamples(
    x: pd.DataFrame, y: pd.Series, resamples: np.ndarray, fit: Fit | None = None
) -> OptimismResult:
    """:func:`bootstrap_optimism` on given bootstrap samples: ``resamples`` is (B x n), row
    b the positions (0-based) of the samples drawn for bootstrap sample b. Raises
    :class:`FitFailed` when the fit on all samples fails."""
    fit = firth_fit if fit is None else fit
    values, outcome = _inputs(x, y)
    resamples = np.asarray(resamples)
    if resamples.ndim != 2 or resamples.shape[1] != len(outcome) or resamples.shape[0] < 1:
        raise ValueError(f"resamples must be (B >= 1) x {len(outcome)} positions, got {resamples.shape}")
    try:
        beta = _coefficients(fit, values, outcome)
    except FIT_FAILURES as error:
        raise FitFailed(f"the fit on all samples failed: {_failure(error)}") from error
    lp = beta[0] + values @ beta[1:]
    auc_apparent = auc(lp, outcome)

    rows = [_replicate(fit, values, outcome, r) for r in resamples]
    table = pd.DataFrame(rows, columns=["auc_training", "auc_test", "slope_test", "failure"])
    table.insert(0, "replicate", np.arange(1, len(table) + 1))
    used = table["failure"] == ""
    table.insert(4, "slope_training", np.where(used, 1.0, NAN))
    failures = dict(Counter(table.loc[~used, "failure"]))

    auc_optimism, auc_se = _mean_and_se((table["auc_training"] - table["auc_test"])[used].to_numpy())
    slope_test = table.loc[used, "slope_test"].to_numpy()
    infinite = int(np.isinf(slope_test).sum())
    slope_reason = ""
    if not used.any():
        slope_reason = "no bootstrap fit succeeded"
    elif infinite:
        slope_reason = (
            f"the original samples are separated by the linear predictor of {infinite} of {int(used.sum())} "
            "bootstrap fits: the calibration slope is infinite there"
        )
    elif np.isnan(slope_test).any():
        slope_reason = "a calibration slope on the original samples did not converge"
    slope_optimism, slope_se = (NAN, NAN) if slope_reason else _mean_and_se(1.0 - slope_test)
    return OptimismResult(
        auc_apparent=auc_apparent,
        auc_optimism=auc_optimism,
        auc_corrected=auc_apparent - auc_optimism,
        auc_optimism_se=auc_se,
        slope_apparent=1.0,
        slope_optimism=slope_optimism,
        slope_corrected=1.0 - slope_optimism,
        slope_optimism_se=slope_se,
        slope_apparent_recalibrated=calibration_slope(lp, outcome),
        n_bootstrap=len(table),
        n_failed=int((~used).sum()),
        failures=failures,
        slope_reason=slope_reason,
        replicates=table,
    )


def bootstrap_optimism(
    x: pd.DataFrame, y: pd.Series, n_bootstrap: int, rng: np.random.Generator, fit: Fit | None = None
) -> OptimismResult:
    """Optimism-corrected AUC and calibration slope of a logistic model of ``y`` (1 = case)
    on the columns of ``x`` (samples x predictors, no missing values), by ``n_bootstrap``
    bootstrap samples drawn with ``rng`` (module docstring; rms ``validate``).

    ``fit``: predictors and outcome -> coefficients, intercept first; default
    :func:`firth_fit` (the panel's model), :func:`ml_fit` for maximum likelihood. Bootstrap
    samples whose fit fails are skipped and counted. Raises :class:`FitFailed` when the fit
    on all samples fails, ValueError on malformed input."""
    if n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be at least 1, got {n_bootstrap}")
    resamples = rng.integers(0, len(y), size=(n_bootstrap, len(y)))
    return optimism_from_resamples(x, y, resamples, fit)
