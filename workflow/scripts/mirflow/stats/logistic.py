"""Covariate-adjusted logistic models per marker, with Firth's correction when needed.

With patients decades older than donors, ``case ~ marker + age`` often separates:
the maximum-likelihood estimates run off to infinity and their Wald p-values mean
nothing. Separation is detected with Konis' linear program (as R's
detectseparation) and such models, or models whose ML fit does not converge, are
refitted with Firth's penalised likelihood (firthmodels), with profile penalised-
likelihood CIs and penalised likelihood-ratio p-values (as R's logistf).

firthmodels' Newton iterations insist on a strictly non-decreasing penalised
log-likelihood l*, so near the optimum they can stop at its rounding noise
("Step-halving failed to converge"), depending on the CPU's floating-point kernels
and on the scale of the covariates (age in years rather than standardised); the LRT
is then not computed. Every Firth fit is therefore checked (convergence of the fit,
the LRT and the profile CI, and the penalised score at the estimate, the profile
criterion at the CI bounds and the penalised LR statistic recomputed here) and, when
something fails, refitted: first by firthmodels on internally centred and scaled
columns (Firth's estimate is equivariant under affine reparametrisations of the
columns: the marker's coefficient, CI and SE are divided back by its SD), then by an
own maximiser (Newton with the exact Hessian of l*, step halving tolerant of
rounding noise; profile CI by root-finding on the profile l* with continuation).
What was needed is recorded in ``MarkerModel.reason``; if all fail, the values are
NaN and the reason says why.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from firthmodels import FirthLogisticRegression, detect_separation
from scipy import optimize, special
from sklearn.exceptions import ConvergenceWarning
from statsmodels.discrete.discrete_model import Logit
from statsmodels.tools.tools import add_constant

from mirflow.stats import firth

log = logging.getLogger(__name__)
COLUMNS = ["mirna", "odds_ratio", "ci_low", "ci_high", "p_value", "method", "n", "estimate", "se", "reason"]
# scipy.special's functions, as scipy.stats.norm and .chi2 call them (the same numbers)
Z95 = special.ndtri(0.975)
# Tighter than firthmodels' defaults (1e-4) so that results agree with R's to the
# 1e-4 the project promises: the fit's gradient criterion (1e-6 is reachable even on
# separated data) and the profile-likelihood bounds.
FIT_TOLERANCE = 1e-6
PROFILE_TOLERANCE = 1e-8


@dataclass(frozen=True)
class MarkerModel:
    """The marker term of one model: log-odds estimate, SE, 95% CI, p and how fitted."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    method: str
    n: int
    reason: str


def design(marker: pd.Series, covariates: pd.DataFrame) -> pd.DataFrame:
    """Marker first, then covariates (categorical ones as 0/1 columns, first level
    dropped); rows with a missing value removed."""
    frame = pd.concat([marker.rename("marker"), covariates], axis=1).dropna()
    return pd.get_dummies(frame, drop_first=True, dtype=float).astype(float)


def fit_mle(y: np.ndarray, x: pd.DataFrame) -> tuple[MarkerModel | None, str]:
    """Maximum likelihood (statsmodels Logit, as R's glm); None and why when unusable."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = Logit(y, add_constant(x, has_constant="add")).fit(method="newton", maxiter=100, disp=0)
        except np.linalg.LinAlgError as error:
            return None, f"ML fit failed ({error})"
    beta, se = float(fit.params["marker"]), float(fit.bse["marker"])
    if not fit.mle_retvals["converged"] or not np.isfinite([beta, se]).all():
        return None, "ML fit did not converge"
    model = MarkerModel(
        beta, se, beta - Z95 * se, beta + Z95 * se, float(fit.pvalues["marker"]), "mle", len(y), ""
    )
    return model, ""


class _FitFailure(Exception):
    """A Firth fit, penalised LRT or profile CI that did not converge or failed a check."""


def fit_firth(y: np.ndarray, x: pd.DataFrame, reason: str) -> MarkerModel:
    """Firth's penalised likelihood: profile penalised-likelihood CI and penalised LR p.

    firthmodels on ``x`` as given; if that fails or its result fails the checks
    (:func:`_check`), firthmodels on internally centred and scaled columns; then the own
    maximiser (:func:`_own_fit`). ``reason`` is extended with what was needed (nothing
    when the first fit passes); NaN values only when all three fail, with the reason
    saying why."""
    scaled = _Scaled.of(x)
    try:
        model, estimate, ci, p_value = _firthmodels_fit(y, x.to_numpy())
        _check(scaled, y, scaled.forward(estimate), ci * scaled.scale[0], p_value)
        se = fisher_se(x, model)
        return MarkerModel(
            float(estimate[0]), se, float(ci[0]), float(ci[1]), p_value, "firth", len(y), reason
        )
    except _FAILURES as failure:
        raw = _describe(failure)
    try:
        _, estimate, ci, p_value = _firthmodels_fit(y, scaled.columns)
        _check(scaled, y, estimate, ci, p_value)
        how = f"refitted with internally scaled covariates after firthmodels failed on the raw ones ({raw})"
        return scaled.marker_model(y, estimate, ci, p_value, _extend(reason, how))
    except _FAILURES as failure:
        rescaled = _describe(failure)
    failed = f"firthmodels failed on the raw covariates ({raw}) and on internally scaled ones ({rescaled})"
    try:
        estimate, ci, p_value = _own_fit(scaled, y)
        how = f"refitted by the own penalised Newton maximiser after {failed}"
        return scaled.marker_model(y, estimate, ci, p_value, _extend(reason, how))
    except _FAILURES as failure:
        own = _describe(failure)
        failed = f"Firth fit failed: {failed}, the own penalised Newton maximiser too ({own}); no estimate"
    log.warning("%s", failed)
    nan = float("nan")
    return MarkerModel(nan, nan, nan, nan, nan, "firth", len(y), _extend(reason, failed))


# what a failed fit may raise (numerical trouble in firthmodels, scipy or the own code)
_FAILURES = (_FitFailure, np.linalg.LinAlgError, ValueError, RuntimeError, FloatingPointError)


def _describe(failure: Exception) -> str:
    return str(failure) if isinstance(failure, _FitFailure) else f"{type(failure).__name__}: {failure}"


def _extend(reason: str, more: str) -> str:
    return f"{reason}; {more}" if reason else more


def _firthmodels_fit(
    y: np.ndarray, x: np.ndarray
) -> tuple[FirthLogisticRegression, np.ndarray, np.ndarray, float]:
    """firthmodels' fit, LRT and profile CI of the first column: the model, the coefficients
    (intercept last), the CI and the p-value; _FitFailure if any of them did not converge."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = firth.model(gtol=FIT_TOLERANCE, xtol=FIT_TOLERANCE)
            model.fit(x, y)
            converged = bool(model.converged_)
            if converged:
                model.lrt(0)
                ci = model.conf_int(method="pl", features=0, tol=PROFILE_TOLERANCE, max_iter=200)[0]
        except _FAILURES as error:
            raise _FitFailure(_describe(error)) from error
    failures = [w for w in caught if issubclass(w.category, (ConvergenceWarning, RuntimeWarning))]
    for other in (w for w in caught if w not in failures):  # e.g. deprecations: pass them on
        warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    messages = list(dict.fromkeys(str(w.message).rstrip(".") for w in failures))
    if not converged:
        raise _FitFailure("; ".join(messages) or "the fit did not converge")
    estimate = np.append(model.coef_, model.intercept_)
    p_value = float(model.lrt_pvalues_[0])
    if messages or not np.isfinite([*estimate, *ci, p_value]).all():
        raise _FitFailure("; ".join(messages) or "non-finite estimate, CI or p-value")
    return model, estimate, np.asarray(ci, dtype=float), p_value


def fisher_se(x: pd.DataFrame, model: FirthLogisticRegression) -> float:
    """SE of the marker term from the inverse Fisher information at the Firth estimate,
    as R's logistf and brglm2 report it (firthmodels' own SE differs)."""
    design_matrix = np.column_stack([x.to_numpy(), np.ones(len(x))])
    p = 1 / (1 + np.exp(-(design_matrix @ np.append(model.coef_, model.intercept_))))
    information = design_matrix.T @ (design_matrix * (p * (1 - p))[:, None])
    return float(np.sqrt(np.linalg.inv(information)[0, 0]))


# ---- checks and the own maximiser, on internally centred and scaled columns -----------------
# Distances are measured in standard errors (the scoring step (X'WX)^-1 U* over the SEs), which
# does not depend on the columns' scale.
CHECK_STEP = 1e-5  # at an accepted estimate: the estimate is within 1e-5 SE of the maximum
CHECK_CRITERION = 1e-6  # |2 (l*max - l*_j(bound)) - chi2(0.95)| at CI bounds; error of the LR statistic
NEWTON_STEP = 1e-10  # the own maximiser's target
NEWTON_MAX_ITER = 200
NEWTON_MAX_HALVING = 50
Q95 = special.chdtri(1, 1 - 0.95)


@dataclass(frozen=True)
class _Scaled:
    """The design's columns centred and scaled (marker first, then covariates), with an
    intercept column last: Firth's estimate is equivariant under this reparametrisation."""

    design: np.ndarray
    centre: np.ndarray
    scale: np.ndarray

    @classmethod
    def of(cls, x: pd.DataFrame) -> _Scaled:
        values = x.to_numpy(dtype=float)
        centre, scale = values.mean(axis=0), values.std(axis=0)
        constant = ~(scale > 0)
        centre[constant], scale[constant] = 0.0, 1.0
        columns = (values - centre) / scale
        return cls(np.column_stack([columns, np.ones(len(values))]), centre, scale)

    @property
    def columns(self) -> np.ndarray:
        return self.design[:, :-1]

    def forward(self, beta: np.ndarray) -> np.ndarray:
        """Coefficients (intercept last) of the original columns -> of the scaled ones."""
        return np.append(beta[:-1] * self.scale, beta[-1] + self.centre @ beta[:-1])

    def marker_model(
        self, y: np.ndarray, beta: np.ndarray, ci: np.ndarray, p_value: float, reason: str
    ) -> MarkerModel:
        """The marker term back on the original scale (estimate, SE and CI divided by its SD)."""
        pen = _penalised(self.design, y, beta)
        se = np.sqrt(pen.inverse[0, 0]) if pen is not None else np.nan
        s = self.scale[0]
        return MarkerModel(
            float(beta[0] / s),
            float(se / s),
            float(ci[0] / s),
            float(ci[1] / s),
            p_value,
            "firth",
            len(y),
            reason,
        )


@dataclass(frozen=True)
class _Penalised:
    """l*(b) = log-likelihood + 0.5 log det X'WX, its gradient (Firth's modified score
    X'(y - p + h (1/2 - p))) and the Fisher information X'WX at one b."""

    value: float
    score: np.ndarray
    information: np.ndarray
    inverse: np.ndarray
    p: np.ndarray
    leverage: np.ndarray  # x_i' (X'WX)^-1 x_i


def _penalised(design: np.ndarray, y: np.ndarray, beta: np.ndarray) -> _Penalised | None:
    """None where X'WX is numerically singular (l* = -inf for step halving)."""
    eta = design @ beta
    p = special.expit(eta)
    w = p * (1 - p)
    information = design.T @ (design * w[:, None])
    try:
        factor = np.linalg.cholesky(information)
    except np.linalg.LinAlgError:
        return None
    diagonal = np.diag(factor)
    if not np.isfinite(diagonal).all() or diagonal.min() <= 1e-8 * diagonal.max():
        return None
    inverse = np.linalg.inv(information)
    leverage = np.einsum("ij,jk,ik->i", design, inverse, design)
    loglik = float(np.sum(y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta)))
    value = loglik + float(np.sum(np.log(diagonal)))
    score = design.T @ (y - p + w * leverage * (0.5 - p))
    return _Penalised(value, score, information, inverse, p, leverage)


def _hessian(design: np.ndarray, pen: _Penalised) -> np.ndarray:
    """Exact Hessian of l*: -X'WX + (1/2) d^2 log det(X'WX)/db^2, with w' = w (1 - 2p) and
    w'' = w (1 - 6w): X' diag(w'' q) X - [sum_ij w'_i w'_j (x_i'A x_j)^2 x_i x_j'] (A =
    (X'WX)^-1, q_i = x_i'A x_i); the second term via (x_i'A x_j)^2 = vec(x_i x_i')' (A kron A)
    vec(x_j x_j'), linear in n."""
    n, k = design.shape
    w = pen.p * (1 - pen.p)
    first = w * (1 - 2 * pen.p)
    outer = np.einsum("ia,ic->iac", design, design).reshape(n, k * k)
    g = (design * first[:, None]).T @ outer
    cross = g @ np.kron(pen.inverse, pen.inverse) @ g.T
    curvature = design.T @ (design * (w * (1 - 6 * w) * pen.leverage)[:, None])
    return -pen.information + 0.5 * (curvature - cross)


def _step_size(pen: _Penalised, free: np.ndarray) -> float:
    """The scoring step (X'WX)^-1 U* on the free coefficients, in their SEs."""
    inverse = np.linalg.inv(pen.information[np.ix_(free, free)])
    return float(np.max(np.abs(inverse @ pen.score[free]) / np.sqrt(np.diag(inverse))))


def _maximise(
    design: np.ndarray, y: np.ndarray, beta: np.ndarray, free: np.ndarray
) -> tuple[np.ndarray, _Penalised, float]:
    """Maximise l* over the coefficients ``free`` (the others stay as in ``beta``): Newton with
    the exact Hessian where it is negative definite, else Fisher scoring; step halving that
    accepts changes of l* within its rounding noise (so it does not stall at the optimum the
    way a strict increase does). Returns the maximiser, l* there and the last step size (SEs)."""
    beta = beta.astype(float).copy()
    current = _penalised(design, y, beta)
    if current is None:
        raise _FitFailure("X'WX singular at the starting values")
    for _ in range(NEWTON_MAX_ITER):
        size = _step_size(current, free)
        if size < NEWTON_STEP:
            return beta, current, size
        score = current.score[free]
        curvature = -_hessian(design, current)[np.ix_(free, free)]
        try:
            np.linalg.cholesky(curvature)  # fails unless the Hessian is negative definite
            step = np.linalg.solve(curvature, score)
        except np.linalg.LinAlgError:
            step = np.linalg.solve(current.information[np.ix_(free, free)], score)
        noise = 1e-12 * max(1.0, abs(current.value))
        for halving in range(NEWTON_MAX_HALVING):
            trial = beta.copy()
            trial[free] += step * 0.5**halving
            candidate = _penalised(design, y, trial)
            if candidate is not None and candidate.value >= current.value - noise:
                break
        else:
            break  # no step improves l*: the caller judges the step size reached
        beta, current = trial, candidate
    return beta, current, _step_size(current, free)


class _Profile:
    """l*_j(t) = max of l* with b_j = t, by continuation: each t starts from the solution at
    the nearest t already solved, moving b_j in steps of at most half its SE."""

    def __init__(self, design: np.ndarray, y: np.ndarray, beta_hat: np.ndarray, j: int, se: float):
        self.design, self.y, self.j, self.se = design, y, j, se
        self.free = np.array([i for i in range(design.shape[1]) if i != j])
        self.solved = [(float(beta_hat[j]), beta_hat)]
        self.last_step = 0.0

    def __call__(self, t: float) -> float:
        t0, beta = min(self.solved, key=lambda solved: abs(solved[0] - t))
        n_steps = max(1, int(np.ceil(abs(t - t0) / (self.se / 2))))
        for step in range(1, n_steps + 1):
            beta = beta.copy()
            beta[self.j] = t0 + (t - t0) * step / n_steps
            beta, pen, self.last_step = _maximise(self.design, self.y, beta, self.free)
        self.solved.append((t, beta))
        return pen.value


def _profile_ci(profile: _Profile, l_max: float, estimate: float) -> np.ndarray:
    """Roots of 2 (l*max - l*_j(t)) = chi2(0.95) on each side of the estimate (Brent)."""

    def criterion(t: float) -> float:
        return 2 * (l_max - profile(t)) - Q95

    bounds = []
    for side in (-1, 1):
        far = estimate + side * 2 * profile.se
        for _ in range(60):
            if criterion(far) > 0:
                break
            far = estimate + 2 * (far - estimate)
        else:
            raise _FitFailure("the profile penalised likelihood does not fall off")
        try:
            root = optimize.brentq(criterion, min(estimate, far), max(estimate, far), xtol=1e-10 * profile.se)
        except RuntimeError as error:
            raise _FitFailure(f"profile CI bound: {error}") from error
        bounds.append(root)
    return np.array(bounds)


def _profile_checks(profile: _Profile, l_max: float, ci: np.ndarray) -> float:
    """The profile criterion at the CI bounds must be ~0 (and the profile fits there converged);
    returns the penalised LR statistic 2 (l*max - l*_j(0)) (its constrained fit converged)."""
    for name, bound in zip(("lower", "upper"), ci, strict=True):
        gap = 2 * (l_max - profile(bound)) - Q95
        if not (abs(gap) < CHECK_CRITERION and profile.last_step < CHECK_STEP):
            raise _FitFailure(
                f"{name} CI bound off the profile penalised likelihood "
                f"(criterion {gap:.2g}, profile fit step {profile.last_step:.2g} SE)"
            )
    statistic = 2 * (l_max - profile(0.0))
    if not profile.last_step < CHECK_STEP:
        raise _FitFailure(
            f"the penalised LRT's constrained fit did not converge ({profile.last_step:.2g} SE)"
        )
    return statistic


def _check(scaled: _Scaled, y: np.ndarray, beta: np.ndarray, ci: np.ndarray, p_value: float) -> None:
    """Recompute, at a fit's estimate ``beta`` (scaled columns), the penalised score (the
    Newton/scoring step must be < CHECK_STEP SEs), the profile criterion at the CI bounds and
    the penalised LR statistic; _FitFailure if any disagrees."""
    if not ci[0] < beta[0] < ci[1]:
        # the profile CI of a fit must hold its estimate: firthmodels has returned both bounds
        # at one point on the profile (both on it, so the checks below pass) on degenerate data
        raise _FitFailure(
            f"the profile CI ({ci[0]:.6g}, {ci[1]:.6g}) does not hold the estimate {beta[0]:.6g}"
        )
    design = scaled.design
    pen = _penalised(design, y, beta)
    if pen is None:
        raise _FitFailure("X'WX singular at the estimate")
    free = np.arange(design.shape[1])
    size = _step_size(pen, free)
    if not size < CHECK_STEP:
        raise _FitFailure(f"penalised score not ~0 at the estimate (scoring step {size:.2g} SE)")
    profile = _Profile(design, y, beta, 0, float(np.sqrt(pen.inverse[0, 0])))
    statistic = _profile_checks(profile, pen.value, ci)
    if p_value > 0:
        reported = special.chdtri(1, p_value)
        if not abs(reported - statistic) < CHECK_CRITERION * max(1.0, statistic):
            raise _FitFailure(f"penalised LR statistic {reported:.10g}, recomputed {statistic:.10g}")
    elif special.chdtrc(1, statistic) > 0:
        raise _FitFailure(f"penalised LR p-value 0, recomputed statistic {statistic:.10g}")


def _own_fit(scaled: _Scaled, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The own maximiser on the scaled columns, from 0 (logistf's start): the estimate, the
    profile penalised-likelihood CI of the marker term and the penalised LR p-value."""
    design = scaled.design
    free = np.arange(design.shape[1])
    beta, pen, size = _maximise(design, y, np.zeros(design.shape[1]), free)
    if not size < CHECK_STEP:
        raise _FitFailure(f"the maximisation did not converge (scoring step {size:.2g} SE)")
    profile = _Profile(design, y, beta, 0, float(np.sqrt(pen.inverse[0, 0])))
    ci = _profile_ci(profile, pen.value, float(beta[0]))
    statistic = _profile_checks(profile, pen.value, ci)
    return beta, ci, float(special.chdtrc(1, max(statistic, 0.0)))


def fit_marker(y: pd.Series, marker: pd.Series, covariates: pd.DataFrame) -> MarkerModel:
    """``case ~ marker + covariates``: ML unless separated or not converging, then Firth."""
    x = design(marker, covariates)
    outcome = y[x.index].to_numpy(dtype=float)
    separation = detect_separation(x.to_numpy(), outcome)
    if separation.separation:
        infinite = [
            name
            for name, d in zip(["marker", *x.columns[1:], "intercept"], separation.directions, strict=False)
            if d != 0
        ]
        return fit_firth(outcome, x, f"separation (infinite ML estimates: {', '.join(infinite)})")
    model, problem = fit_mle(outcome, x)
    return model if model is not None else fit_firth(outcome, x, problem)


def logistic_table(
    values: pd.DataFrame, labels: pd.Series, covariates: pd.DataFrame, mirnas: list[str]
) -> pd.DataFrame:
    """One model per miRNA; odds ratio per unit of the (transformed) value."""
    y = (labels == "case").astype(float)
    rows = []
    for mirna in mirnas:
        model = fit_marker(y, values.loc[mirna, labels.index], covariates.loc[labels.index])
        if model.method == "firth":
            log.info("%s: Firth's penalised likelihood (%s)", mirna, model.reason)
        rows.append(
            {
                "mirna": mirna,
                "odds_ratio": np.exp(model.estimate),
                "ci_low": np.exp(model.ci_low),
                "ci_high": np.exp(model.ci_high),
                "p_value": model.p_value,
                "method": model.method,
                "n": model.n,
                "estimate": model.estimate,
                "se": model.se,
                "reason": model.reason,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
