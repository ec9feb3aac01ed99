"""Sample size for a validation cohort: pure functions, numbers in, frozen results out.

Three questions, each answered by the published closed form (or, for the calibration slope, an
expectation over the linear predictor's distribution):

* the locked logistic panel's external validation: Riley et al. (2021, Stat Med 40:4230-4251),
  criteria (a) O/E, (b) calibration slope, (c) C-statistic, (d) standardised net benefit, computed
  as the authors' ``pmvalsampsize`` (PyPI 0.2.1 / CRAN 0.1.0) computes them. By default the
  results equal ``pmvalsampsize``'s to the integer (its SE grid search, its 3-decimal rounding of
  the net-benefit SE, its simulation of the linear predictor with numpy's legacy ``RandomState``
  and seed 123456); ``exact_se=True`` and ``method="quadrature"`` give the closed-form / exact
  expectation instead.
* one marker at a locked cut-off: Buderer (1996) for sensitivity and specificity (as
  ``epiR::epi.ssdxsesp``), Hanley & McNeil (1982) for the width of the AUC's CI, Obuchowski &
  McClish (1997) for power against a null AUC (as ``pROC::power.roc.test``).
* a prognostic split: Schoenfeld (1983) events for a hazard ratio (as ``epiR::epi.sscomps``).

Normal quantiles come from :class:`statistics.NormalDist`; numpy (and, for a Beta risk
distribution, scipy.special) is imported only by the calibration-slope criterion.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from types import MappingProxyType
from typing import Literal

# The z that Riley et al. (2021) and pmvalsampsize use for a 95% CI (they write 1.96).
Z_RILEY = 1.96
# pmvalsampsize's defaults for the simulated linear predictor and its SE search.
PMVAL_SEED = 123456
PMVAL_SIMOBS = 1_000_000
PMVAL_SE_STEP = 1e-4

RILEY_2021 = "Riley et al. 2021, Stat Med 40:4230 (pmvalsampsize)"
BUDERER_1996 = "Buderer 1996, Acad Emerg Med 3:895 (epiR::epi.ssdxsesp)"
HANLEY_MCNEIL_1982 = "Hanley & McNeil 1982, Radiology 143:29"
OBUCHOWSKI_1997 = "Obuchowski & McClish 1997, Stat Med 16:1529 (pROC::power.roc.test)"
SCHOENFELD_1983 = "Schoenfeld 1983, Biometrics 39:499 (epiR::epi.sscomps)"
CLOPPER_PEARSON_1934 = "Clopper & Pearson 1934, Biometrika 26:404 (exact CI of m/m)"

Value = float | int | str


@dataclass(frozen=True)
class SampleSize:
    """One criterion's minimum sample size.

    ``n`` is the total number of participants. ``events``/``non_events`` are the numbers with
    and without the outcome that the criterion itself requires, where it fixes them (None where
    only ``n`` is fixed, as in Riley's criteria). ``assumptions`` holds every input and derived
    quantity used (read-only).
    """

    criterion: str
    n: int
    events: int | None = None
    non_events: int | None = None
    assumptions: Mapping[str, Value] = field(default_factory=dict, hash=False)
    reference: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "assumptions", MappingProxyType(dict(self.assumptions)))

    @property
    def expected_events(self) -> float | None:
        """``n`` times the anticipated prevalence (what pmvalsampsize reports as events)."""
        prevalence = self.assumptions.get("prevalence")
        return None if prevalence is None else self.n * float(prevalence)


@dataclass(frozen=True)
class SampleSizePlan:
    """Several criteria for one design: ``n`` is the largest, ``binding`` names its criterion."""

    name: str
    criteria: tuple[SampleSize, ...]

    def __post_init__(self) -> None:
        if not self.criteria:
            raise ValueError("a plan needs at least one criterion")

    @property
    def n(self) -> int:
        return max(c.n for c in self.criteria)

    @property
    def binding(self) -> str:
        return max(self.criteria, key=lambda c: c.n).criterion

    def __getitem__(self, criterion: str) -> SampleSize:
        for c in self.criteria:
            if c.criterion == criterion:
                return c
        raise KeyError(criterion)


def combine(name: str, criteria: Iterable[SampleSize]) -> SampleSizePlan:
    """The plan whose n is the largest of ``criteria`` (each must hold on the same sample)."""
    return SampleSizePlan(name, tuple(criteria))


# --------------------------------------------------------------------------- helpers


def _z(upper: float) -> float:
    return NormalDist().inv_cdf(upper)


def _check_probability(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")


def _check_positive(name: str, value: float) -> None:
    if not value > 0.0:
        raise ValueError(f"{name} must be positive, got {value!r}")


def _ceil(x: float) -> int:
    if not math.isfinite(x):
        raise ValueError(f"sample size is not finite ({x!r}); check the inputs")
    return max(1, math.ceil(x))


def _grid_se(target_width: float, width_of: Callable[[float], float], step: float) -> float:
    """pmvalsampsize's search: the first SE on the grid step, 2*step, ... (accumulated as it
    accumulates them) whose CI width reaches ``target_width``."""
    se, width = 0.0, 0.0
    while width < target_width:
        se += step
        width = width_of(se)
    return se


# --------------------------------------------------------------------------- Riley et al. 2021


def riley_oe(
    prevalence: float, *, ci_width: float = 0.2, oe: float = 1.0, exact_se: bool = False
) -> SampleSize:
    """Criterion (a): n for a 95% CI of O/E of the target width (Riley et al. 2021, section 3.1).

    SE(ln O/E) = sqrt((1 - phi) / (n phi)). The SE whose CI width is ``ci_width`` is searched on
    pmvalsampsize's 1e-4 grid (default) or solved exactly (``exact_se``:
    SE = asinh(width / (2 O/E)) / 1.96).
    """
    _check_probability("prevalence", prevalence)
    _check_positive("ci_width", ci_width)
    _check_positive("oe", oe)
    log_oe = math.log(oe)

    def width_of(se: float) -> float:
        return math.exp(log_oe + Z_RILEY * se) - math.exp(log_oe - Z_RILEY * se)

    if exact_se:
        se = math.asinh(ci_width / (2.0 * oe)) / Z_RILEY
    else:
        se = _grid_se(ci_width, width_of, PMVAL_SE_STEP)
    n = _ceil((1.0 - prevalence) / (prevalence * se**2))
    return SampleSize(
        "riley_oe",
        n,
        assumptions={
            "prevalence": prevalence,
            "oe": oe,
            "target_ci_width": ci_width,
            "se_log_oe": se,
            "ci_width": width_of(se),
            "se_search": "exact" if exact_se else "grid 1e-4",
        },
        reference=RILEY_2021,
    )


@dataclass(frozen=True)
class NormalLP:
    """Linear predictor ~ Normal(mean, sd) in the validation population (pmvalsampsize
    ``lpnormal=(mean, sd)``)."""

    mean: float
    sd: float

    def __post_init__(self) -> None:
        _check_positive("sd", self.sd)


@dataclass(frozen=True)
class BetaRisk:
    """Predicted risks ~ Beta(a, b); the linear predictor is their logit (pmvalsampsize
    ``lpbeta=(a, b)``)."""

    a: float
    b: float

    def __post_init__(self) -> None:
        _check_positive("a", self.a)
        _check_positive("b", self.b)


@dataclass(frozen=True)
class BinormalLP:
    """Linear predictor from the anticipated C and prevalence alone (pmvalsampsize
    ``lpcstat``; Riley et al. 2021 section 4.6.3): Normal(mu, s^2) in non-events and
    Normal(mu + s^2, s^2) in events with s^2 = 2 qnorm(C)^2, so that the binormal C equals C and
    the linear predictor is calibrated (P(event | LP) = expit(LP)).

    pmvalsampsize searches mu by trial and error (steps of 0.1 from a user's start value until a
    simulated prevalence is within 5e-4 of the target; the search need not end). Calibration
    fixes it exactly: mu = logit(phi) - s^2 / 2, which :func:`binormal_lp` uses.
    """

    prevalence: float
    cstatistic: float
    mean_non_events: float
    variance: float

    @property
    def sd(self) -> float:
        return math.sqrt(self.variance)

    @property
    def mean_events(self) -> float:
        return self.mean_non_events + self.variance


def binormal_lp(cstatistic: float, prevalence: float) -> BinormalLP:
    """The calibrated binormal linear predictor with this C and prevalence (see BinormalLP)."""
    _check_probability("prevalence", prevalence)
    if not 0.5 < cstatistic < 1.0:
        raise ValueError(f"cstatistic must be in (0.5, 1), got {cstatistic!r}")
    variance = 2.0 * _z(cstatistic) ** 2
    mean = math.log(prevalence / (1.0 - prevalence)) - variance / 2.0
    return BinormalLP(prevalence, cstatistic, mean, variance)


@dataclass(frozen=True)
class EmpiricalLP:
    """Linear-predictor values at hand, e.g. the locked panel's LP in the discovery cohort
    (Collins's ``N_slope(LP)`` for Riley et al. 2021); both methods average over them. They
    stand for the validation population: shift them first if its prevalence differs
    (:func:`empirical_lp_at`). ``weights`` (optional, non-negative; normalised to sum 1)
    make the average a weighted one, e.g. cases and controls mixed at another prevalence."""

    values: tuple[float, ...]
    weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        values = tuple(float(v) for v in self.values)
        if len(values) < 2 or not all(math.isfinite(v) for v in values):
            raise ValueError("EmpiricalLP needs at least two finite values")
        object.__setattr__(self, "values", values)
        if self.weights is not None:
            weights = tuple(float(w) for w in self.weights)
            if len(weights) != len(values) or not all(math.isfinite(w) and w >= 0 for w in weights):
                raise ValueError("EmpiricalLP weights must be one finite, non-negative weight per value")
            total = math.fsum(weights)
            if not total > 0:
                raise ValueError("EmpiricalLP weights must not all be 0")
            object.__setattr__(self, "weights", tuple(w / total for w in weights))


def empirical_lp_at(
    cases: Iterable[float], controls: Iterable[float], prevalence: float, fitted_prevalence: float
) -> EmpiricalLP:
    """A logistic model's linear predictor in a population of cases and controls mixed at
    ``prevalence``, from its values in a cohort whose case fraction ``fitted_prevalence`` the
    model was fitted at (the mean prediction of a logistic fit equals it): each group's
    values shifted by logit(prevalence) - logit(fitted_prevalence), so that the model stays
    calibrated in the new case mix (the intercept's change under outcome-dependent
    sampling), and weighted prevalence / n_cases per case and (1 - prevalence) / n_controls
    per control. At ``prevalence == fitted_prevalence`` the values are unchanged and a cohort
    holding cases and controls at that fraction is weighted equally."""
    _check_probability("prevalence", prevalence)
    _check_probability("fitted_prevalence", fitted_prevalence)
    cases, controls = [float(v) for v in cases], [float(v) for v in controls]
    if not cases or not controls:
        raise ValueError("empirical_lp_at needs values of cases and of controls")
    shift = math.log(prevalence / (1 - prevalence)) - math.log(fitted_prevalence / (1 - fitted_prevalence))
    values = [v + shift for v in cases] + [v + shift for v in controls]
    weights = [prevalence / len(cases)] * len(cases) + [(1 - prevalence) / len(controls)] * len(controls)
    return EmpiricalLP(tuple(values), tuple(weights))


LPDistribution = NormalLP | BetaRisk | BinormalLP | EmpiricalLP


def _simulated_lp(lp: LPDistribution, n_sim: int, seed: int):  # -> np.ndarray
    """The linear predictor pmvalsampsize simulates: numpy's legacy global RandomState seeded
    with ``seed`` (its ``np.random.seed``), here a private RandomState (the global one is left
    alone); the draws are the same numbers."""
    import numpy as np

    rs = np.random.RandomState(seed)
    if isinstance(lp, NormalLP):
        return rs.normal(lp.mean, lp.sd, n_sim)
    if isinstance(lp, BetaRisk):
        p = rs.beta(lp.a, lp.b, n_sim)
        return np.log(p / (1 - p))
    outcome = rs.binomial(n=1, p=lp.prevalence, size=n_sim)
    values = rs.normal(lp.mean_non_events, lp.sd, n_sim)
    events = rs.normal(lp.mean_events, lp.sd, n_sim)
    values[outcome == 1] = events[outcome == 1]
    return values


def _weighted_information(lp: EmpiricalLP) -> tuple[float, float, float]:
    """E[w], E[x w], E[x^2 w] with w = expit(x) expit(-x) over weighted values."""
    import numpy as np

    x, weights = np.asarray(lp.values), np.asarray(lp.weights)
    w = np.exp(-np.logaddexp(0.0, x) - np.logaddexp(0.0, -x))
    return float(weights @ w), float(weights @ (x * w)), float(weights @ (x * x * w))


def _information_simulated(lp: LPDistribution, n_sim: int, seed: int) -> tuple[float, float, float]:
    import numpy as np

    if isinstance(lp, EmpiricalLP) and lp.weights is not None:
        return _weighted_information(lp)
    values = np.asarray(lp.values) if isinstance(lp, EmpiricalLP) else _simulated_lp(lp, n_sim, seed)
    e = np.exp(values)
    d = (1 + e) ** 2
    # the same operations in the same order as pmvalsampsize, so that the means are its floats
    return (
        float((e / d).mean()),
        float((values * e / d).mean()),
        float((values * values * e / d).mean()),
    )


def _normal_expectations(mean: float, sd: float) -> tuple[float, float, float]:
    """E[w], E[x w], E[x^2 w] with w = expit(x) expit(-x), x ~ Normal(mean, sd): trapezoid rule
    on +-12 SD with step 0.005 SD (the integrand is analytic, so the rule converges
    geometrically; the error is far below 1e-12)."""
    import numpy as np

    z = np.linspace(-12.0, 12.0, 4801)
    weights = np.exp(-0.5 * z * z) * (z[1] - z[0]) / math.sqrt(2.0 * math.pi)
    x = mean + sd * z
    w = np.exp(-np.logaddexp(0.0, x) - np.logaddexp(0.0, -x))
    return float(weights @ w), float(weights @ (x * w)), float(weights @ (x * x * w))


def _information_exact(lp: LPDistribution) -> tuple[float, float, float]:
    if isinstance(lp, EmpiricalLP) and lp.weights is not None:
        return _weighted_information(lp)
    if isinstance(lp, EmpiricalLP):
        import numpy as np

        x = np.asarray(lp.values)
        w = np.exp(-np.logaddexp(0.0, x) - np.logaddexp(0.0, -x))
        return float(w.mean()), float((x * w).mean()), float((x * x * w).mean())
    if isinstance(lp, NormalLP):
        return _normal_expectations(lp.mean, lp.sd)
    if isinstance(lp, BinormalLP):
        non = _normal_expectations(lp.mean_non_events, lp.sd)
        ev = _normal_expectations(lp.mean_events, lp.sd)
        phi = lp.prevalence
        return tuple((1 - phi) * a + phi * b for a, b in zip(non, ev, strict=True))  # type: ignore[return-value]
    # Beta risks: E[p(1-p) g(p)] = r E_{Beta(a+1, b+1)}[g], r = ab / ((a+b)(a+b+1)); the logit
    # of a Beta(a', b') has mean psi(a') - psi(b') and variance psi'(a') + psi'(b').
    from scipy.special import polygamma, psi

    a, b = lp.a, lp.b
    r = a * b / ((a + b) * (a + b + 1))
    mean = float(psi(a + 1) - psi(b + 1))
    var = float(polygamma(1, a + 1) + polygamma(1, b + 1))
    return r, r * mean, r * (mean * mean + var)


def riley_calibration_slope(
    lp: LPDistribution,
    *,
    ci_width: float = 0.2,
    prevalence: float | None = None,
    method: Literal["simulation", "quadrature"] = "simulation",
    n_sim: int = PMVAL_SIMOBS,
    seed: int = PMVAL_SEED,
) -> SampleSize:
    """Criterion (b): n for a 95% CI of the calibration slope of the target width (Riley et al.
    2021, section 3.2): var(slope) = I00 / (n (I00 I11 - I01^2)), the I's the expected Fisher
    information of the calibration model logit P = b0 + b1 LP at b0 = 0, b1 = 1.

    ``method="simulation"`` averages over ``n_sim`` simulated values of the linear predictor
    (pmvalsampsize's defaults: 1e6 values, seed 123456, the same draws); ``"quadrature"`` takes
    the exact expectation. An :class:`EmpiricalLP` is averaged as given (``n_sim`` and ``seed``
    unused). ``prevalence`` is only recorded (the slope's SE does not use it).
    """
    _check_positive("ci_width", ci_width)
    if method == "simulation":
        if n_sim < 2:
            raise ValueError(f"n_sim must be at least 2, got {n_sim!r}")
        i00, i01, i11 = _information_simulated(lp, n_sim, seed)
    elif method == "quadrature":
        i00, i01, i11 = _information_exact(lp)
    else:
        raise ValueError(f"method must be 'simulation' or 'quadrature', got {method!r}")
    se = ci_width / (2 * Z_RILEY)
    n = _ceil(i00 / (se * se * ((i00 * i11) - (i01 * i01))))
    assumptions: dict[str, Value] = {"target_ci_width": ci_width, "se_slope": se, "method": method}
    if method == "simulation" and not isinstance(lp, EmpiricalLP):
        assumptions |= {"n_sim": n_sim, "seed": seed}
    assumptions |= _lp_assumptions(lp)
    if prevalence is not None:
        _check_probability("prevalence", prevalence)
        assumptions["prevalence"] = prevalence
    assumptions |= {"I00": i00, "I01": i01, "I11": i11}
    return SampleSize("riley_calibration_slope", n, assumptions=assumptions, reference=RILEY_2021)


def _lp_assumptions(lp: LPDistribution) -> dict[str, Value]:
    if isinstance(lp, NormalLP):
        return {"lp": "normal", "lp_mean": lp.mean, "lp_sd": lp.sd}
    if isinstance(lp, BetaRisk):
        return {"lp": "logit of beta risks", "beta_a": lp.a, "beta_b": lp.b}
    if isinstance(lp, EmpiricalLP) and lp.weights is not None:
        pairs = list(zip(lp.values, lp.weights, strict=True))
        mean = math.fsum(v * w for v, w in pairs)
        sd = math.sqrt(math.fsum(w * (v - mean) ** 2 for v, w in pairs))
        return {"lp": "empirical, weighted", "lp_n": len(pairs), "lp_mean": mean, "lp_sd": sd}
    if isinstance(lp, EmpiricalLP):
        n = len(lp.values)
        mean = math.fsum(lp.values) / n
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in lp.values) / (n - 1))
        return {"lp": "empirical", "lp_n": n, "lp_mean": mean, "lp_sd": sd}
    return {
        "lp": "binormal from C and prevalence",
        "lp_mean_non_events": lp.mean_non_events,
        "lp_mean_events": lp.mean_events,
        "lp_sd": lp.sd,
        "lp_cstatistic": lp.cstatistic,
        "prevalence": lp.prevalence,
    }


def _newcombe_se(n: float, cstatistic: float, prevalence: float) -> float:
    c = cstatistic
    half = (n / 2) - 1
    var = c * (1 - c) * (1 + (half * ((1 - c) / (2 - c))) + ((half * c) / (1 + c)))
    return math.sqrt(var / (n * n * prevalence * (1 - prevalence)))


def riley_cstatistic(prevalence: float, cstatistic: float, *, ci_width: float = 0.1) -> SampleSize:
    """Criterion (c): the smallest n whose 95% CI of C is at most ``ci_width`` wide, with
    Newcombe's (2006) SE(C) as in Riley et al. 2021 section 3.3 (pmvalsampsize scans n = 1..1e6; the
    quadratic's root and a check of its neighbours give the same n without the cap)."""
    _check_probability("prevalence", prevalence)
    _check_probability("cstatistic", cstatistic)
    _check_positive("ci_width", ci_width)
    c = cstatistic
    b = (1 - c) / (2 - c) + c / (1 + c)
    k = (ci_width / (2 * Z_RILEY)) ** 2 * prevalence * (1 - prevalence) / (c * (1 - c))
    root = (b / 2 + math.sqrt(b * b / 4 + 4 * k * (1 - b))) / (2 * k)

    def fits(m: int) -> bool:
        return 2 * Z_RILEY * _newcombe_se(m, c, prevalence) <= ci_width

    n = max(1, math.ceil(root))
    while n > 1 and fits(n - 1):
        n -= 1
    while not fits(n):
        n += 1
    return SampleSize(
        "riley_cstatistic",
        n,
        assumptions={
            "prevalence": prevalence,
            "cstatistic": cstatistic,
            "target_ci_width": ci_width,
            "se_cstatistic": _newcombe_se(n, c, prevalence),
        },
        reference=RILEY_2021,
    )


def standardised_net_benefit(
    prevalence: float, sensitivity: float, specificity: float, threshold: float
) -> float:
    """sNB = (Se phi - (1 - Sp)(1 - phi) t / (1 - t)) / phi."""
    odds = threshold / (1 - threshold)
    return (sensitivity * prevalence - (1 - specificity) * (1 - prevalence) * odds) / prevalence


def riley_net_benefit(
    prevalence: float,
    sensitivity: float,
    specificity: float,
    threshold: float,
    *,
    ci_width: float = 0.2,
    exact_se: bool = False,
) -> SampleSize:
    """Criterion (d): n for a 95% CI of the standardised net benefit at ``threshold`` of the
    target width (Riley et al. 2021, section 3.4): var(sNB) = [Se(1-Se)/phi + w^2 Sp(1-Sp)/(1-phi)
    + w^2 (1-Sp)^2 / (phi (1-phi))] / n, w = (1-phi)/phi * t/(1-t).

    By default the SE is pmvalsampsize's: the 1e-4 grid value reaching the width, rounded to 3
    decimals (so the achieved width can be a little wider or narrower than the target);
    ``exact_se`` uses width / (2 * 1.96).
    """
    for name, value in (
        ("prevalence", prevalence),
        ("sensitivity", sensitivity),
        ("specificity", specificity),
        ("threshold", threshold),
    ):
        _check_probability(name, value)
    _check_positive("ci_width", ci_width)
    snb = standardised_net_benefit(prevalence, sensitivity, specificity, threshold)
    if exact_se:
        se = ci_width / (2 * Z_RILEY)
    else:
        se = round(_grid_se(ci_width, lambda s: (snb + Z_RILEY * s) - (snb - Z_RILEY * s), PMVAL_SE_STEP), 3)
    w = ((1 - prevalence) / prevalence) * (threshold / (1 - threshold))
    variance_n = (
        ((sensitivity * (1 - sensitivity)) / prevalence)
        + (w * w * specificity * (1 - specificity) / (1 - prevalence))
        + (w * w * (1 - specificity) * (1 - specificity) / (prevalence * (1 - prevalence)))
    )
    n = _ceil((1 / (se**2)) * variance_n)
    return SampleSize(
        "riley_net_benefit",
        n,
        assumptions={
            "prevalence": prevalence,
            "sensitivity": sensitivity,
            "specificity": specificity,
            "threshold": threshold,
            "standardised_net_benefit": snb,
            "target_ci_width": ci_width,
            "se_snb": se,
            "ci_width": 2 * Z_RILEY * se,
            "se_search": "exact" if exact_se else "grid 1e-4, rounded to 3 decimals",
        },
        reference=RILEY_2021,
    )


def riley_validation(
    prevalence: float,
    cstatistic: float,
    lp: LPDistribution | None = None,
    *,
    oe: float = 1.0,
    oe_ci_width: float = 0.2,
    slope_ci_width: float = 0.2,
    cstatistic_ci_width: float = 0.1,
    sensitivity: float | None = None,
    specificity: float | None = None,
    threshold: float | None = None,
    net_benefit_ci_width: float = 0.2,
    exact_se: bool = False,
    method: Literal["simulation", "quadrature"] = "simulation",
    n_sim: int = PMVAL_SIMOBS,
    seed: int = PMVAL_SEED,
) -> SampleSizePlan:
    """Riley et al. (2021) minimum n for externally validating a binary-outcome model: the
    largest of criteria (a)-(c), and (d) when sensitivity, specificity and threshold are all
    given. ``lp`` defaults to :func:`binormal_lp` of C and prevalence. With the defaults the
    criteria equal ``pmvalsampsize(type="b", ...)``'s."""
    if lp is None:
        lp = binormal_lp(cstatistic, prevalence)
    criteria = [
        riley_oe(prevalence, ci_width=oe_ci_width, oe=oe, exact_se=exact_se),
        riley_calibration_slope(
            lp, ci_width=slope_ci_width, prevalence=prevalence, method=method, n_sim=n_sim, seed=seed
        ),
        riley_cstatistic(prevalence, cstatistic, ci_width=cstatistic_ci_width),
    ]
    given = [v is not None for v in (sensitivity, specificity, threshold)]
    if any(given) and not all(given):
        raise ValueError("the net-benefit criterion needs sensitivity, specificity and threshold")
    if all(given):
        criteria.append(
            riley_net_benefit(
                prevalence,
                sensitivity,  # type: ignore[arg-type]
                specificity,  # type: ignore[arg-type]
                threshold,  # type: ignore[arg-type]
                ci_width=net_benefit_ci_width,
                exact_se=exact_se,
            )
        )
    return combine("riley_validation", criteria)


# --------------------------------------------------------------------------- one diagnostic marker


def kappa_from_prevalence(prevalence: float) -> float:
    """Controls per case (pROC's ``kappa``) in a cohort with this prevalence."""
    _check_probability("prevalence", prevalence)
    return (1 - prevalence) / prevalence


def sens_spec_precision(
    sensitivity: float,
    specificity: float,
    prevalence: float,
    *,
    half_width: float = 0.05,
    specificity_half_width: float | None = None,
    level: float = 0.95,
) -> SampleSizePlan:
    """Buderer (1996): cases = z^2 Se(1-Se)/d^2 for a CI of sensitivity +- d, controls =
    z^2 Sp(1-Sp)/d^2; in a cohort at ``prevalence`` n = cases / phi and controls / (1 - phi),
    the plan's n the larger. Each n is rounded up from the unrounded count, as
    ``epiR::epi.ssdxsesp(error = "absolute")`` rounds (Buderer rounds the cases first, which
    can add one or two)."""
    _check_probability("sensitivity", sensitivity)
    _check_probability("specificity", specificity)
    _check_probability("prevalence", prevalence)
    _check_probability("level", level)
    d_spec = half_width if specificity_half_width is None else specificity_half_width
    _check_positive("half_width", half_width)
    _check_positive("specificity_half_width", d_spec)
    z = _z(1 - (1 - level) / 2)
    cases = z**2 * sensitivity * (1 - sensitivity) / half_width**2
    controls = z**2 * specificity * (1 - specificity) / d_spec**2
    common = {"prevalence": prevalence, "level": level, "z": z}
    return combine(
        "buderer",
        (
            SampleSize(
                "buderer_sensitivity",
                _ceil(cases / prevalence),
                events=_ceil(cases),
                assumptions=common | {"sensitivity": sensitivity, "half_width": half_width},
                reference=BUDERER_1996,
            ),
            SampleSize(
                "buderer_specificity",
                _ceil(controls / (1 - prevalence)),
                non_events=_ceil(controls),
                assumptions=common | {"specificity": specificity, "half_width": d_spec},
                reference=BUDERER_1996,
            ),
        ),
    )


def exact_boundary(
    measure: Literal["sensitivity", "specificity"],
    prevalence: float,
    *,
    half_width: float = 0.05,
    level: float = 0.95,
) -> SampleSize:
    """Cases (``sensitivity``) or controls (``specificity``) for a proportion anticipated at 1,
    where Buderer's Wald formula gives 0: the smallest count m whose exact (Clopper-Pearson)
    CI of m/m reaches down at most ``half_width``: its lower limit ((1 - level) / 2)^(1/m) >=
    1 - half_width, i.e. m = ceil(log((1 - level) / 2) / log(1 - half_width)); n = m / the
    group's share at ``prevalence``, rounded up from the unrounded m, as :func:`sens_spec_precision`."""
    if measure not in ("sensitivity", "specificity"):
        raise ValueError(f"measure must be 'sensitivity' or 'specificity', got {measure!r}")
    _check_probability("prevalence", prevalence)
    _check_probability("half_width", half_width)
    _check_probability("level", level)
    count = math.log((1 - level) / 2) / math.log(1 - half_width)
    share = prevalence if measure == "sensitivity" else 1 - prevalence
    fixed = {"events": _ceil(count)} if measure == "sensitivity" else {"non_events": _ceil(count)}
    return SampleSize(
        f"exact_{measure}",
        _ceil(count / share),
        **fixed,
        assumptions={
            "prevalence": prevalence,
            measure: 1.0,
            "half_width": half_width,
            "level": level,
            "count_unrounded": count,
        },
        reference=CLOPPER_PEARSON_1934,
    )


def hanley_mcneil_se(auc: float, n_cases: float, n_controls: float) -> float:
    """SE of the AUC (Hanley & McNeil 1982): Q1 = A/(2-A), Q2 = 2A^2/(1+A)."""
    a = auc
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (n_cases - 1) * (q1 - a * a) + (n_controls - 1) * (q2 - a * a)) / (
        n_cases * n_controls
    )
    return math.sqrt(var)


def auc_precision(auc: float, ci_width: float, *, kappa: float = 1.0, level: float = 0.95) -> SampleSize:
    """Cases and controls (``kappa`` controls per case) for a Wald CI of the AUC at most
    ``ci_width`` wide (full width, 2 z SE), SE from Hanley & McNeil (1982). The SE^2 is a
    quadratic in 1/n_cases at a fixed ratio; its root is rounded up separately for cases and
    controls (the SE falls in each count)."""
    _check_probability("auc", auc)
    _check_positive("ci_width", ci_width)
    _check_positive("kappa", kappa)
    _check_probability("level", level)
    z = _z(1 - (1 - level) / 2)
    a = auc
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    c1, c2 = q1 - a * a, q2 - a * a
    c0 = a * (1 - a) - c1 - c2
    t2 = (ci_width / (2 * z)) ** 2
    # SE^2 = (c0 + n c1 + kappa n c2) / (kappa n^2) = t2  ->  kappa t2 n^2 - (c1 + kappa c2) n - c0 = 0
    lin = c1 + kappa * c2
    cases = (lin + math.sqrt(lin * lin + 4 * kappa * t2 * c0)) / (2 * kappa * t2)
    n_cases, n_controls = _ceil(cases), _ceil(kappa * cases)
    return SampleSize(
        "hanley_mcneil_auc_width",
        n_cases + n_controls,
        events=n_cases,
        non_events=n_controls,
        assumptions={
            "auc": auc,
            "target_ci_width": ci_width,
            "kappa": kappa,
            "level": level,
            "z": z,
            "cases_unrounded": cases,
            "ci_width": 2 * z * hanley_mcneil_se(auc, n_cases, n_controls),
        },
        reference=HANLEY_MCNEIL_1982,
    )


def obuchowski_variance(auc: float, kappa: float) -> float:
    """Per-case variance of the AUC under the binormal model (Obuchowski & McClish 1997), with
    pROC's constants: A = qnorm(AUC) * 1.414; V = 0.0099 exp(-A^2/2) ((5A^2 + 8) + (A^2 + 8)/kappa).
    At AUC = 0.5 it is pROC's null variance 0.0792 (1 + 1/kappa)."""
    a = _z(auc) * 1.414
    return (0.0099 * math.exp(-(a**2) / 2)) * ((5 * a**2 + 8) + (a**2 + 8) / kappa)


def auc_power(
    auc: float,
    *,
    auc_null: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    kappa: float = 1.0,
    alternative: Literal["two.sided", "one.sided"] = "two.sided",
) -> SampleSize:
    """Cases and controls for ``power`` to show AUC > ``auc_null``: n_cases = (z_a sqrt(V0) +
    z_b sqrt(V1))^2 / (AUC - AUC0)^2 with Obuchowski's variance, as ``pROC::power.roc.test(auc=,
    sig.level=, power=, kappa=, alternative=)`` (two-sided halves alpha). pROC's null is 0.5;
    another ``auc_null`` uses the same variance at that AUC. pROC returns fractional counts;
    here cases and kappa * cases are each rounded up."""
    _check_probability("auc", auc)
    _check_probability("auc_null", auc_null)
    _check_probability("alpha", alpha)
    _check_probability("power", power)
    _check_positive("kappa", kappa)
    if not auc > auc_null:
        raise ValueError(f"auc ({auc!r}) must exceed auc_null ({auc_null!r})")
    if alternative not in ("two.sided", "one.sided"):
        raise ValueError(f"alternative must be 'two.sided' or 'one.sided', got {alternative!r}")
    sig = alpha / 2 if alternative == "two.sided" else alpha
    z_alpha, z_beta = _z(1 - sig), _z(power)
    v0 = 0.0792 * (1 + 1 / kappa) if auc_null == 0.5 else obuchowski_variance(auc_null, kappa)
    v1 = obuchowski_variance(auc, kappa)
    cases = (z_alpha * math.sqrt(v0) + z_beta * math.sqrt(v1)) ** 2 / (auc - auc_null) ** 2
    n_cases, n_controls = _ceil(cases), _ceil(kappa * cases)
    return SampleSize(
        "obuchowski_auc_power",
        n_cases + n_controls,
        events=n_cases,
        non_events=n_controls,
        assumptions={
            "auc": auc,
            "auc_null": auc_null,
            "alpha": alpha,
            "power": power,
            "kappa": kappa,
            "alternative": alternative,
            "variance_null": v0,
            "variance_alternative": v1,
            "cases_unrounded": cases,
        },
        reference=OBUCHOWSKI_1997,
    )


# --------------------------------------------------------------------------- prognostic split


def schoenfeld_events(
    hazard_ratio: float,
    split_proportion: float,
    *,
    event_probability: float = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
    sides: Literal[1, 2] = 2,
) -> SampleSize:
    """Events for ``power`` to detect ``hazard_ratio`` between the two sides of a split holding
    ``split_proportion`` and 1 - it of the patients (Schoenfeld 1983):
    d = (z_{1-alpha/sides} + z_{power})^2 / (p (1 - p) log(HR)^2), rounded up; n = d /
    ``event_probability`` (the anticipated probability of the event during follow-up), rounded
    up from the unrounded d."""
    _check_positive("hazard_ratio", hazard_ratio)
    if hazard_ratio == 1.0:
        raise ValueError("hazard_ratio must differ from 1")
    _check_probability("split_proportion", split_proportion)
    _check_probability("alpha", alpha)
    _check_probability("power", power)
    if not 0.0 < event_probability <= 1.0:
        raise ValueError(f"event_probability must be in (0, 1], got {event_probability!r}")
    if sides not in (1, 2):
        raise ValueError(f"sides must be 1 or 2, got {sides!r}")
    z_alpha, z_beta = _z(1 - alpha / sides), _z(power)
    p = split_proportion
    events = (z_alpha + z_beta) ** 2 / (p * (1 - p) * math.log(hazard_ratio) ** 2)
    return SampleSize(
        "schoenfeld_events",
        _ceil(events / event_probability),
        events=_ceil(events),
        assumptions={
            "hazard_ratio": hazard_ratio,
            "split_proportion": split_proportion,
            "event_probability": event_probability,
            "alpha": alpha,
            "power": power,
            "sides": sides,
            "events_unrounded": events,
        },
        reference=SCHOENFELD_1983,
    )
