"""Statistics of external validation: a LOCKED model applied, unchanged, to a new cohort.

Nothing here is fitted to choose anything: the direction, cut-off and model come from the
discovery run; these functions only measure how they perform (issue 11, SPEC stage 8).

- 2x2 metrics at a locked cut-off with exact Clopper-Pearson CIs (R's ``binom.test``);
- AUC with the DeLong CI in the locked direction (pROC ``roc(direction=)`` + ``ci.auc``);
- calibration of predicted probabilities: calibration-in-the-large, calibration slope
  (R ``glm`` with offset; rms ``val.prob``), Brier score, and the lowess calibration curve
  and its summary errors (``val.prob``'s Eavg, E90, Emax);
- decision curves: net benefit of each model, of treating all and of treating none.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import logit
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.nonparametric.smoothers_lowess import lowess
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from mirflow.stats import roc

Z95 = float(stats.norm.ppf(0.975))
# Per-bound confidence of the two exact intervals (sensitivity, specificity) that make the
# PPV/NPV-at-prevalence interval: independent samples, so both cover with >= sqrt(.95)^2 = .95.
JOINT_LEVEL = float(np.sqrt(0.95))
TREAT_ALL = "treat all"
TREAT_NONE = "treat none"
NAN = float("nan")


# ---- 2x2 tables -----------------------------------------------------------------------------


def exact_ci(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson ("exact") CI of a binomial proportion, as R's ``binom.test``
    (0 and 1 are exact bounds at 0 and n successes); nan when there are no trials."""
    if trials == 0:
        return NAN, NAN
    ci = stats.binomtest(int(successes), int(trials)).proportion_ci(confidence_level=level, method="exact")
    return float(ci.low), float(ci.high)


def _proportion(name: str, successes: int, trials: int) -> dict[str, float]:
    low, high = exact_ci(successes, trials)
    estimate = successes / trials if trials else NAN
    return {name: estimate, f"{name}_ci_low": low, f"{name}_ci_high": high}


def predictive_values(sensitivity: float, specificity: float, prevalence: float) -> tuple[float, float]:
    """PPV and NPV at a given prevalence by Bayes' theorem (for case-control samples, whose
    own case fraction is not the population's); nan where the denominator is 0."""
    true_pos, false_pos = sensitivity * prevalence, (1 - specificity) * (1 - prevalence)
    true_neg, false_neg = specificity * (1 - prevalence), (1 - sensitivity) * prevalence
    ppv = true_pos / (true_pos + false_pos) if true_pos + false_pos > 0 else NAN
    npv = true_neg / (true_neg + false_neg) if true_neg + false_neg > 0 else NAN
    return ppv, npv


def _as_bool(name: str, values: np.ndarray) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype != bool:
        raise ValueError(f"{name} must be a boolean array, got dtype {array.dtype}")
    return array


def binary_metrics(
    predicted_positive: np.ndarray, is_case: np.ndarray, prevalence: float | None = None
) -> dict[str, float]:
    """The 2x2 table of a locked cut-off and its accuracy measures with exact 95% CIs.

    tp, fp, tn, fn; sensitivity, specificity, ppv, npv, each with ``_ci_low``/``_ci_high``
    (Clopper-Pearson, nan when the denominator is 0). With ``prevalence`` also
    ``ppv_at_prevalence`` and ``npv_at_prevalence`` (Bayes from sensitivity and
    specificity) with a conservative CI: both are increasing in sensitivity and in
    specificity, so they are evaluated at the lower (upper) ends of the two exact
    ``sqrt(0.95)`` = 97.47% intervals; cases and controls are independent samples, so the
    coverage is at least 95% (the prevalence is taken as known, without error).
    """
    positive = _as_bool("predicted_positive", predicted_positive)
    case = _as_bool("is_case", is_case)
    if positive.shape != case.shape or positive.ndim != 1:
        raise ValueError(f"predicted_positive {positive.shape} and is_case {case.shape} differ in shape")
    tp, fp = int(np.sum(positive & case)), int(np.sum(positive & ~case))
    tn, fn = int(np.sum(~positive & ~case)), int(np.sum(~positive & case))
    result: dict[str, float] = {"tp": tp, "fp": fp, "tn": tn, "fn": fn}
    result |= _proportion("sensitivity", tp, tp + fn)
    result |= _proportion("specificity", tn, tn + fp)
    result |= _proportion("ppv", tp, tp + fp)
    result |= _proportion("npv", tn, tn + fn)
    if prevalence is not None:
        if not 0 < prevalence < 1:
            raise ValueError(f"prevalence must be strictly between 0 and 1, got {prevalence}")
        ppv, npv = predictive_values(result["sensitivity"], result["specificity"], prevalence)
        sens_low, sens_high = exact_ci(tp, tp + fn, JOINT_LEVEL)
        spec_low, spec_high = exact_ci(tn, tn + fp, JOINT_LEVEL)
        ppv_low, npv_low = predictive_values(sens_low, spec_low, prevalence)
        ppv_high, npv_high = predictive_values(sens_high, spec_high, prevalence)
        result |= {
            "ppv_at_prevalence": ppv,
            "ppv_at_prevalence_ci_low": ppv_low,
            "ppv_at_prevalence_ci_high": ppv_high,
            "npv_at_prevalence": npv,
            "npv_at_prevalence_ci_low": npv_low,
            "npv_at_prevalence_ci_high": npv_high,
        }
    return result


# ---- discrimination -------------------------------------------------------------------------


def auc_fixed_direction(cases: np.ndarray, controls: np.ndarray, direction: str) -> dict[str, float]:
    """AUC and 95% DeLong CI in the LOCKED direction (``<``: cases higher; ``>``: lower), as
    pROC's ``roc(direction=)`` + ``ci.auc(method = "delong")``: never re-oriented, so a
    marker that reverses in the new cohort shows AUC < 0.5. The CI is clipped to [0, 1] (as
    pROC and the discovery stage do); nan AUC without cases or controls, nan CI with fewer
    than 2 of either (pROC's rule)."""
    if direction not in ("<", ">"):
        raise ValueError(f"direction must be '<' or '>', got {direction!r}")
    cases, controls = np.asarray(cases, dtype=float), np.asarray(controls, dtype=float)
    if len(cases) == 0 or len(controls) == 0:
        return {"auc": NAN, "auc_ci_low": NAN, "auc_ci_high": NAN}
    area = roc.auc(cases, controls, direction)
    if len(cases) < 2 or len(controls) < 2:
        return {"auc": area, "auc_ci_low": NAN, "auc_ci_high": NAN}
    low, high = roc.delong_ci(cases, controls, direction)
    return {"auc": area, "auc_ci_low": max(0.0, low), "auc_ci_high": min(1.0, high)}


# ---- calibration ------------------------------------------------------------------------------


def _outcome_and_probabilities(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    outcome, probability = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    if outcome.shape != probability.shape or outcome.ndim != 1:
        raise ValueError(f"y {outcome.shape} and p {probability.shape} differ in shape")
    if not np.isin(outcome, (0.0, 1.0)).all():
        raise ValueError("y must hold 0 (control) and 1 (case) only")
    if not (np.isfinite(probability).all() and ((probability >= 0) & (probability <= 1)).all()):
        raise ValueError("p must hold probabilities in [0, 1] (no missing values)")
    return outcome, probability


def _separated(x: np.ndarray, y: np.ndarray) -> bool:
    """Complete or quasi-complete separation of a binary y by one covariate x (with an
    intercept): the classes do not interleave, so the ML slope is infinite."""
    ones, zeros = x[y == 1], x[y == 0]
    return bool(ones.min() >= zeros.max() or zeros.min() >= ones.max())


def _logistic(
    y: np.ndarray, design: np.ndarray, offset: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, str]:
    """Binomial GLM by IRLS (statsmodels, as R's glm); estimates, SEs and "" or the reason
    they are nan. statsmodels' ``converged`` looks only at the deviance, which settles even
    when a coefficient runs off to infinity, so a perfect-separation or convergence warning,
    a singular fit or a non-finite estimate/SE also count as failure."""
    failed = np.full(design.shape[1], NAN)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = GLM(y, design, family=Binomial(), offset=offset).fit(maxiter=100, tol=1e-12)
        except (np.linalg.LinAlgError, ValueError) as error:
            return failed, failed, f"logistic fit failed ({error})"
    categories = {w.category for w in caught}
    if PerfectSeparationWarning in categories:
        return failed, failed, "logistic fit did not converge (perfect separation by logit(p))"
    if ConvergenceWarning in categories or not fit.converged:
        return failed, failed, "logistic fit did not converge in 100 IRLS iterations"
    params, se = np.asarray(fit.params, dtype=float), np.asarray(fit.bse, dtype=float)
    if not (np.isfinite(params).all() and np.isfinite(se).all()):
        return failed, failed, "logistic fit gave a non-finite estimate or SE"
    return params, se, ""


def _with_ci(name: str, estimate: float, se: float) -> dict[str, float]:
    """Estimate with its 95% Wald CI (R's ``confint.default``)."""
    return {name: estimate, f"{name}_ci_low": estimate - Z95 * se, f"{name}_ci_high": estimate + Z95 * se}


def calibration(y: np.ndarray, p: np.ndarray) -> dict[str, float | int | str]:
    """Calibration of predicted probabilities ``p`` against outcomes ``y`` (1 = case).

    - ``calibration_intercept``: calibration-in-the-large, the intercept of
      ``logit P(y) = a + logit(p)`` (logit(p) as offset, slope fixed at 1); 0 when the
      predictions are right on average (R ``glm(y ~ 1, offset = qlogis(p), binomial)``);
    - ``calibration_slope``: b of ``logit P(y) = a + b logit(p)``; < 1 means predictions too
      extreme (rms ``val.prob``'s "Slope"); ``recalibration_intercept`` is that model's a
      (``val.prob``'s "Intercept"; not the calibration-in-the-large);
    each with its 95% Wald CI (``confint.default``); ``brier`` = mean((p - y)^2) over all.

    As ``val.prob``, samples with p exactly 0 or 1 (infinite logit) are left out of the two
    logistic fits (``n_excluded``) but kept in the Brier score. A fit that cannot be
    estimated gives nan and says why in ``calibration_intercept_reason`` /
    ``calibration_slope_reason`` ("" when fine): outcome of one class only (both), p
    constant or y separated by logit(p) (the slope's ML estimate is infinite; the
    intercept-only fit is still finite), or a fit that did not converge.
    """
    outcome, probability = _outcome_and_probabilities(y, p)
    keep = (probability > 0) & (probability < 1)
    linear, kept = logit(probability[keep]), outcome[keep]
    result: dict[str, float | int | str] = {"n": len(outcome), "n_excluded": int((~keep).sum())}

    intercept_reason = slope_reason = ""
    if len(kept) == 0 or kept.min() == kept.max():
        intercept_reason = slope_reason = "outcome has one class only (after excluding p of 0 or 1)"
    elif np.ptp(linear) == 0:
        slope_reason = "every predicted probability is the same: no slope"
    elif _separated(linear, kept):
        slope_reason = "outcome separated by logit(p): the slope's ML estimate is infinite"

    citl, citl_se = np.array([NAN]), np.array([NAN])
    if not intercept_reason:
        citl, citl_se, intercept_reason = _logistic(kept, np.ones((len(kept), 1)), linear)
    recal, recal_se = np.array([NAN, NAN]), np.array([NAN, NAN])
    if not slope_reason:
        recal, recal_se, slope_reason = _logistic(kept, np.column_stack([np.ones(len(kept)), linear]), None)

    result |= _with_ci("calibration_intercept", float(citl[0]), float(citl_se[0]))
    result |= _with_ci("calibration_slope", float(recal[1]), float(recal_se[1]))
    result |= _with_ci("recalibration_intercept", float(recal[0]), float(recal_se[0]))
    result |= {
        "brier": float(np.mean((probability - outcome) ** 2)),
        "calibration_intercept_reason": intercept_reason,
        "calibration_slope_reason": slope_reason,
    }
    return result


def _smooth(outcome: np.ndarray, probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's ``lowess(p, y, iter = 0)`` (f = 2/3, delta = 1% of the range), as ``val.prob``:
    distinct p ascending and the smoothed observed proportion there. statsmodels fits one
    more point than R near the upper end of p (its skip-ahead loop stops one short), which
    moves the interpolated values there by ~1e-7. Constant p: the mean outcome (as R; the
    statsmodels fit divides by a zero bandwidth there)."""
    if np.ptp(probability) == 0:
        return probability[:1], np.array([outcome.mean()])
    fitted = lowess(outcome, probability, frac=2 / 3, it=0, delta=0.01 * float(np.ptp(probability)))
    x, first = np.unique(fitted[:, 0], return_index=True)  # tied p share one fitted value
    return x, fitted[first, 1]


def calibration_curve(y: np.ndarray, p: np.ndarray, n_points: int | None = 101) -> pd.DataFrame:
    """The smoothed calibration curve (predicted, observed) for the calibration plot:
    lowess of y on p as rms ``val.prob`` draws it, at ``n_points`` evenly spaced predicted
    probabilities from min(p) to max(p) (linear interpolation, as ``val.prob``'s
    ``approx``), or at each distinct p when ``n_points`` is None. Not clipped to [0, 1]."""
    outcome, probability = _outcome_and_probabilities(y, p)
    x, smoothed = _smooth(outcome, probability)
    if n_points is not None:
        grid = np.linspace(x[0], x[-1], n_points)
        x, smoothed = grid, np.interp(grid, x, smoothed)
    return pd.DataFrame({"predicted": x, "observed": smoothed})


def calibration_errors(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Absolute differences between p and the lowess calibration curve at each sample:
    mean (``eavg``, Austin and Steyerberg's ICI), 90th percentile (``e90``) and maximum
    (``emax``), as rms ``val.prob``'s Eavg, E90, Emax."""
    outcome, probability = _outcome_and_probabilities(y, p)
    x, smoothed = _smooth(outcome, probability)
    error = np.abs(probability - np.interp(probability, x, smoothed))
    return {"eavg": float(error.mean()), "e90": float(np.quantile(error, 0.9)), "emax": float(error.max())}


# ---- decision curves --------------------------------------------------------------------------


def _thresholds(thresholds: Sequence[float] | np.ndarray) -> np.ndarray:
    values = np.asarray(thresholds, dtype=float)
    if values.ndim != 1 or not ((values >= 0) & (values < 1)).all():
        raise ValueError("thresholds must be probabilities in [0, 1) (the harm weight t / (1 - t))")
    return values


def _rates(
    outcome: np.ndarray, positive: np.ndarray, prevalence: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """True and false positives per sample (rows = thresholds): TP/n and FP/n, or with a
    given prevalence sensitivity x prevalence and (1 - specificity) x (1 - prevalence)."""
    case = outcome == 1
    if prevalence is None:
        return (positive & case).sum(axis=1) / len(outcome), (positive & ~case).sum(axis=1) / len(outcome)
    if not 0 < prevalence < 1:
        raise ValueError(f"prevalence must be strictly between 0 and 1, got {prevalence}")
    # no case or no control: NaN rates (0 / 0), and NaN net benefit, not a warning
    with np.errstate(invalid="ignore", divide="ignore"):
        sensitivity = (positive & case).sum(axis=1) / case.sum()
        false_positive_rate = (positive & ~case).sum(axis=1) / (~case).sum()
    return sensitivity * prevalence, false_positive_rate * (1 - prevalence)


def net_benefit(
    y: np.ndarray, p: np.ndarray, thresholds: Sequence[float] | np.ndarray, prevalence: float | None = None
) -> pd.DataFrame:
    """Net benefit of treating the samples with p >= t, at each threshold probability t:
    NB = TP/n - FP/n x t / (1 - t) (Vickers and Elkin 2006; as dcurves). For a case-control
    cohort give the population ``prevalence``: NB = sens x prev - (1 - spec)(1 - prev) t/(1 - t)."""
    outcome, probability = _outcome_and_probabilities(y, p)
    t = _thresholds(thresholds)
    true_pos, false_pos = _rates(outcome, probability[None, :] >= t[:, None], prevalence)
    return pd.DataFrame({"threshold": t, "net_benefit": true_pos - false_pos * t / (1 - t)})


def treat_all(
    y: np.ndarray, thresholds: Sequence[float] | np.ndarray, prevalence: float | None = None
) -> pd.DataFrame:
    """Net benefit of treating everyone: prev - (1 - prev) t / (1 - t), prev the cohort's
    case fraction or the given ``prevalence``."""
    outcome = np.asarray(y, dtype=float)
    return net_benefit(outcome, np.ones_like(outcome), thresholds, prevalence)


def decision_curve(
    y: np.ndarray,
    predictions: Mapping[str, np.ndarray],
    thresholds: Sequence[float] | np.ndarray,
    prevalence: float | None = None,
) -> pd.DataFrame:
    """The long decision-curve table (model, threshold, net_benefit): each model of
    ``predictions`` (name -> predicted probabilities), then "treat all" and "treat none"
    (net benefit 0), at every threshold."""
    reserved = {TREAT_ALL, TREAT_NONE} & set(predictions)
    if reserved:
        raise ValueError(f"model names {sorted(reserved)} are reserved for the reference strategies")
    t = _thresholds(thresholds)
    curves = [net_benefit(y, p, t, prevalence).assign(model=name) for name, p in predictions.items()]
    curves.append(treat_all(y, t, prevalence).assign(model=TREAT_ALL))
    curves.append(pd.DataFrame({"threshold": t, "net_benefit": 0.0, "model": TREAT_NONE}))
    return pd.concat(curves, ignore_index=True)[["model", "threshold", "net_benefit"]]
