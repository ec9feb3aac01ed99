"""What a small validation cohort needs to know about a cut-off: likelihood ratios, partial
AUC in the clinically useful corner of the ROC plot, and how stable the Youden cut-off is.

- :func:`likelihood_ratios`: LR+ = sens / (1 - spec) and LR- = (1 - sens) / spec of a 2x2
  table with 95% CIs by the log method of Simel, Samsa and Matchar (1991), as epiR's
  ``epi.tests``: log LR+ +- z sqrt(1/tp - 1/(tp + fn) + 1/fp - 1/(fp + tn)), and LR- the
  same with (fn, tp, tn, fp). A zero cell leaves no finite log-scale interval (or one of
  width 0): the CI is nan with the reason (epiR reports nan, Inf, 0 or [1, 1] there), unless
  ``correction`` (0.5: Haldane and Anscombe) is added to all four cells of such a table.
- :func:`partial_auc`: area under the empirical ROC curve over a specificity (or
  sensitivity) range, with McClish's (1989) standardisation, as pROC's
  ``auc(partial.auc =, partial.auc.focus =, partial.auc.correct =)``;
  :func:`partial_auc_ci` a stratified percentile bootstrap CI (as pROC's ``ci.auc``).
- :func:`out_of_bag_cutoffs`: the cut-off's bootstrap as cutpointr's ``boot_runs``: choose the
  cut-off on each bootstrap (in-bag) sample and measure it on the samples left out of it.

Cut-offs follow :mod:`mirflow.stats.roc`: an observed value c, positive = value >= c in
direction '<' (cases higher; cutpointr's ``">="``) or value <= c in direction '>' (``"<="``),
ties of the criterion to the highest specificity (:func:`roc.best_cutoff`). cutpointr's
``maximize_metric`` also offers c = +-Inf (no one positive) and, by default
(``break_ties = median``), reports the median of tied optima, which may be no observed
value; with ``break_ties = max`` (direction ``">="``) or ``min`` (``"<="``) it picks ours
whenever its pick is finite (tests/fixtures/r/cutoff_accuracy/README.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from mirflow.stats import roc

NAN = float("nan")
FOCUS = ("specificity", "sensitivity")
LR_METHOD = "log method (Simel et al. 1991)"
GROUP_ABSENT = "cases or controls absent from the in-bag sample"


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be strictly between 0 and 1, got {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def _way(way: str) -> str:
    if way not in ("<", ">"):
        raise ValueError(f"direction must be '<' or '>', got {way!r}")
    return way


# ---- likelihood ratios ----------------------------------------------------------------------------


def _ratio(
    name: str, cells: tuple[str, str, str, str], counts: tuple[float, float, float, float], z: float
) -> dict[str, float | str]:
    """One likelihood ratio (hits / (hits + misses)) / (false_hits / (false_hits + other))
    with its log-method CI, or nan bounds and the reason there is none. ``cells`` names the
    four ``counts``: LR+ is (tp, fn, fp, tn); LR- is (fn, tp, tn, fp)."""
    hits, misses, false_hits, other = counts
    label = "LR+" if name == "lr_positive" else "LR-"
    reason = ""
    if hits == 0 and false_hits == 0:
        estimate, reason = NAN, f"{cells[0]} = {cells[2]} = 0: {label} is 0/0"
    elif false_hits == 0:
        estimate, reason = float("inf"), f"{cells[2]} = 0: {label} is infinite, no log-scale CI"
    elif hits == 0:
        estimate, reason = 0.0, f"{cells[0]} = 0: {label} is 0, no log-scale CI"
    else:
        estimate = float((hits / (hits + misses)) / (false_hits / (false_hits + other)))
        if misses == 0 and other == 0:
            reason = f"{cells[1]} = {cells[3]} = 0: {label} is 1 with a log-method variance of 0, no CI"
    if reason:
        return {name: estimate, f"{name}_ci_low": NAN, f"{name}_ci_high": NAN, f"{name}_reason": reason}
    se = float(np.sqrt(1 / hits - 1 / (hits + misses) + 1 / false_hits - 1 / (false_hits + other)))
    log = float(np.log(estimate))
    return {
        name: estimate,
        f"{name}_ci_low": float(np.exp(log - z * se)),
        f"{name}_ci_high": float(np.exp(log + z * se)),
        f"{name}_reason": "",
    }


def likelihood_ratios(
    tp: int, fp: int, tn: int, fn: int, level: float = 0.95, correction: float = 0.0
) -> dict[str, float | str]:
    """LR+ and LR- of a 2x2 table with log-method CIs (Simel et al. 1991; epiR ``epi.tests``),
    and the sensitivity and specificity with exact (Clopper-Pearson) CIs.

    A zero cell makes a ratio 0, infinite or 0/0, or its log-method variance 0: that CI is
    nan and ``lr_positive_reason`` / ``lr_negative_reason`` say why ("" when fine). With
    ``correction`` > 0 that amount is added to all four cells of a table with a zero cell
    (Haldane-Anscombe; ``correction_applied`` says whether it was) before the LRs are
    computed; the exact sensitivity and specificity CIs always use the counts as given.
    Raises ValueError without cases or without controls, or on negative counts."""
    counts = {"tp": tp, "fp": fp, "tn": tn, "fn": fn}
    if any(value < 0 for value in counts.values()):
        raise ValueError(f"counts must be non-negative, got {counts}")
    if tp + fn == 0 or fp + tn == 0:
        raise ValueError(f"likelihood ratios need cases and controls, got {counts}")
    if correction < 0:
        raise ValueError(f"correction must be >= 0, got {correction}")
    from mirflow.stats import validation  # its statsmodels import (~0.7 s) is paid here only

    z = _z(level)
    added = correction if correction > 0 and min(counts.values()) == 0 else 0.0
    a, b, d, c = (float(value) + added for value in (tp, fp, tn, fn))
    sensitivity_ci = validation.exact_ci(tp, tp + fn, level)
    specificity_ci = validation.exact_ci(tn, tn + fp, level)
    return {
        **counts,
        "sensitivity": tp / (tp + fn),
        "sensitivity_ci_low": sensitivity_ci[0],
        "sensitivity_ci_high": sensitivity_ci[1],
        "specificity": tn / (tn + fp),
        "specificity_ci_low": specificity_ci[0],
        "specificity_ci_high": specificity_ci[1],
        **_ratio("lr_positive", ("tp", "fn", "fp", "tn"), (a, c, b, d), z),
        **_ratio("lr_negative", ("fn", "tp", "tn", "fp"), (c, a, d, b), z),
        "correction_applied": added,
        "lr_method": LR_METHOD,
    }


# ---- partial AUC ------------------------------------------------------------------------------------


def _limits(limits: tuple[float, float], focus: str) -> tuple[float, float]:
    if focus not in FOCUS:
        raise ValueError(f"focus must be one of {FOCUS}, got {focus!r}")
    low, high = sorted(float(limit) for limit in limits)
    if not 0 <= low < high <= 1:
        raise ValueError(f"limits must be two different values in [0, 1], got {limits}")
    return low, high


def _area(cases: np.ndarray, controls: np.ndarray, way: str, low: float, high: float, focus: str) -> float:
    """Exact area under the empirical ROC polyline (:func:`roc.curve_points`, ties make
    diagonal steps) for ``focus`` between ``low`` and ``high``: the integral of sensitivity
    over specificity (or the reverse), the ends linearly interpolated, as pROC."""
    _, sensitivity, specificity = roc.curve_points(cases, controls, way)
    x, y = (specificity, sensitivity) if focus == "specificity" else (sensitivity, specificity)
    if x[0] > x[-1]:  # walk the curve so that x is non-decreasing
        x, y = x[::-1], y[::-1]
    x0, x1, y0, y1 = x[:-1], x[1:], y[:-1], y[1:]
    start, end = np.maximum(x0, low), np.minimum(x1, high)
    inside = end > start  # segments overlapping the range (vertical ones have no width)
    x0, x1, y0, y1, start, end = (v[inside] for v in (x0, x1, y0, y1, start, end))
    slope = (y1 - y0) / (x1 - x0)
    y_start, y_end = y0 + slope * (start - x0), y0 + slope * (end - x0)
    return float(np.sum((end - start) * (y_start + y_end) / 2))


def mcclish(area: float, low: float, high: float) -> float:
    """McClish's standardised partial AUC: 0.5 for the chance diagonal, 1 for a perfect test,
    (1 + (area - min) / (max - min)) / 2 with min the diagonal's area over the range and max
    the range's width; nan below the diagonal (pROC's NA: the correction is not defined)."""
    minimum = ((1 - high) + (1 - low)) * (high - low) / 2
    maximum = high - low
    if area < minimum:
        return NAN
    return (1 + (area - minimum) / (maximum - minimum)) / 2


def partial_auc(
    cases: np.ndarray,
    controls: np.ndarray,
    way: str = "<",
    limits: tuple[float, float] = (0.8, 1.0),
    focus: str = "specificity",
    correct: bool = True,
) -> float:
    """Partial AUC of the empirical ROC curve over ``limits`` of specificity (``focus``
    "specificity": the high-specificity corner a screening marker must reach) or of
    sensitivity, in the given direction, McClish-standardised when ``correct`` (nan when the
    curve lies below the diagonal there), as pROC ``auc(roc(controls, cases, direction = way),
    partial.auc = limits, partial.auc.focus = focus, partial.auc.correct = correct)``."""
    low, high = _limits(limits, focus)
    cases, controls = np.asarray(cases, dtype=float), np.asarray(controls, dtype=float)
    if len(cases) == 0 or len(controls) == 0:
        raise ValueError("a partial AUC needs cases and controls")
    if not (np.isfinite(cases).all() and np.isfinite(controls).all()):
        raise ValueError("values must be finite (no missing values)")
    area = _area(cases, controls, _way(way), low, high, focus)
    return mcclish(area, low, high) if correct else area


def partial_auc_ci(
    cases: np.ndarray,
    controls: np.ndarray,
    way: str,
    n_bootstrap: int,
    rng: np.random.Generator,
    limits: tuple[float, float] = (0.8, 1.0),
    focus: str = "specificity",
    correct: bool = True,
    level: float = 0.95,
) -> dict[str, float]:
    """:func:`partial_auc` with a percentile CI from ``n_bootstrap`` stratified bootstrap
    resamples drawn with ``rng`` (cases and controls resampled separately, as pROC's
    ``ci.auc(method = "bootstrap")``; its random numbers are R's, so only the estimate is
    comparable). Resamples where the standardised value is undefined (curve below the
    diagonal) are left out of the quantiles, as pROC does, and counted in ``n_undefined``."""
    _z(level)
    if n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be at least 1, got {n_bootstrap}")
    cases, controls = np.asarray(cases, dtype=float), np.asarray(controls, dtype=float)
    estimate = partial_auc(cases, controls, way, limits, focus, correct)
    values = np.empty(n_bootstrap)
    for i in range(n_bootstrap):
        resampled = rng.choice(cases, len(cases)), rng.choice(controls, len(controls))
        values[i] = partial_auc(*resampled, way, limits, focus, correct)
    defined = values[~np.isnan(values)]
    low, high = np.quantile(defined, [(1 - level) / 2, (1 + level) / 2]) if len(defined) else (NAN, NAN)
    return {
        "partial_auc": estimate,
        "ci_low": float(low),
        "ci_high": float(high),
        "n_bootstrap": n_bootstrap,
        "n_undefined": int(len(values) - len(defined)),
    }


# ---- out-of-bag bootstrap of the cut-off ------------------------------------------------------------


@dataclass(frozen=True)
class OutOfBagCutoffs:
    """The cut-off chosen on all samples (apparent) and its out-of-bag bootstrap.

    ``resamples``: one row per bootstrap sample (resample 1..B): the in-bag cut-off, in-bag
    and out-of-bag sensitivity/specificity, out-of-bag tp/fp/tn/fn and ``failure`` ("" or
    why there is no cut-off). Summary over the resamples with a cut-off: median and
    quartiles of the cut-offs (numpy's default = R's type 7), mean in-bag and out-of-bag
    sensitivity/specificity (an out-of-bag value is nan, and left out, when the left-out
    samples hold no case, or no control), optimism = mean(in-bag - out-of-bag) over the
    resamples where both are defined."""

    way: str
    method: str
    stratified: bool
    cutoff: float
    sensitivity: float
    specificity: float
    cutoff_median: float
    cutoff_q25: float
    cutoff_q75: float
    sensitivity_in_bag: float
    specificity_in_bag: float
    sensitivity_oob: float
    specificity_oob: float
    optimism_sensitivity: float
    optimism_specificity: float
    n_bootstrap: int
    n_failed: int
    resamples: pd.DataFrame = field(repr=False)

    def summary(self) -> dict[str, float | int | str | bool]:
        """The scalar fields (no table) and the cut-offs' interquartile range, for a TSV row."""
        values = {key: value for key, value in asdict(self).items() if key != "resamples"}
        return values | {"cutoff_iqr": self.cutoff_q75 - self.cutoff_q25}


def _inputs(values: np.ndarray, is_case: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    case = np.asarray(is_case)
    if case.dtype != bool:
        raise ValueError(f"is_case must be a boolean array, got dtype {case.dtype}")
    if x.ndim != 1 or x.shape != case.shape:
        raise ValueError(f"values {x.shape} and is_case {case.shape} must be 1-D of one length")
    if not np.isfinite(x).all():
        raise ValueError("values must be finite (no missing values)")
    if case.all() or not case.any():
        raise ValueError("the cut-off needs cases and controls")
    return x, case


def _fraction(count: int, total: int) -> float:
    return count / total if total else NAN


def _resample(
    x: np.ndarray, case: np.ndarray, rows: np.ndarray, way: str, method: str
) -> tuple[float | int | str, ...]:
    """One bootstrap sample ``rows``: the cut-off chosen on it and its accuracy there and on
    the samples it left out."""
    in_x, in_case = x[rows], case[rows]
    if in_case.all() or not in_case.any():
        return NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, GROUP_ABSENT
    cut = roc.best_cutoff(in_x[in_case], in_x[~in_case], way, method)
    out = np.ones(len(x), dtype=bool)
    out[rows] = False
    positive = (x >= cut.value) if way == "<" else (x <= cut.value)
    tp, fp = int(np.sum(out & positive & case)), int(np.sum(out & positive & ~case))
    fn, tn = int(np.sum(out & ~positive & case)), int(np.sum(out & ~positive & ~case))
    return (
        cut.value,
        cut.sensitivity,
        cut.specificity,
        _fraction(tp, tp + fn),
        _fraction(tn, tn + fp),
        tp,
        fp,
        tn,
        fn,
        "",
    )


def _mean(values: pd.Series) -> float:
    finite = values.dropna()
    return float(finite.mean()) if len(finite) else NAN


def oob_cutoffs_from_resamples(
    values: np.ndarray,
    is_case: np.ndarray,
    way: str,
    resamples: np.ndarray,
    method: str = "youden",
    stratified: bool = False,
) -> OutOfBagCutoffs:
    """:func:`out_of_bag_cutoffs` on given bootstrap samples: ``resamples`` is (B x n), row b
    the positions (0-based) drawn for bootstrap sample b (any length-n draw; ``stratified``
    only records how they were drawn). A bootstrap sample without cases or without controls
    has no cut-off: its row is nan with ``failure`` set (cutpointr drops it), and it counts
    in ``n_failed``."""
    x, case = _inputs(values, is_case)
    _way(way)
    resamples = np.asarray(resamples)
    if resamples.ndim != 2 or resamples.shape[1] != len(x) or resamples.shape[0] < 1:
        raise ValueError(f"resamples must be (B >= 1) x {len(x)} positions, got {resamples.shape}")
    if not np.issubdtype(resamples.dtype, np.integer) or resamples.min() < 0 or resamples.max() >= len(x):
        raise ValueError(f"resamples must hold integer positions in [0, {len(x)})")
    apparent = roc.best_cutoff(x[case], x[~case], way, method)
    columns = [
        "cutoff",
        "sensitivity_in_bag",
        "specificity_in_bag",
        "sensitivity_oob",
        "specificity_oob",
        "tp_oob",
        "fp_oob",
        "tn_oob",
        "fn_oob",
        "failure",
    ]
    table = pd.DataFrame([_resample(x, case, rows, way, method) for rows in resamples], columns=columns)
    for count in ("tp_oob", "fp_oob", "tn_oob", "fn_oob"):
        table[count] = table[count].astype("Int64")  # <NA> without a cut-off
    table.insert(0, "resample", np.arange(1, len(table) + 1))
    used = table[table["failure"] == ""]
    cutoffs = used["cutoff"].to_numpy()
    q25, q50, q75 = np.quantile(cutoffs, [0.25, 0.5, 0.75]) if len(cutoffs) else (NAN, NAN, NAN)
    return OutOfBagCutoffs(
        way=way,
        method=method,
        stratified=stratified,
        cutoff=apparent.value,
        sensitivity=apparent.sensitivity,
        specificity=apparent.specificity,
        cutoff_median=float(q50),
        cutoff_q25=float(q25),
        cutoff_q75=float(q75),
        sensitivity_in_bag=_mean(used["sensitivity_in_bag"]),
        specificity_in_bag=_mean(used["specificity_in_bag"]),
        sensitivity_oob=_mean(used["sensitivity_oob"]),
        specificity_oob=_mean(used["specificity_oob"]),
        optimism_sensitivity=_mean(used["sensitivity_in_bag"] - used["sensitivity_oob"]),
        optimism_specificity=_mean(used["specificity_in_bag"] - used["specificity_oob"]),
        n_bootstrap=len(table),
        n_failed=len(table) - len(used),
        resamples=table,
    )


def bootstrap_rows(
    is_case: np.ndarray, n_bootstrap: int, rng: np.random.Generator, stratify: bool = False
) -> np.ndarray:
    """(B x n) bootstrap samples as cutpointr's ``simple_boot``: n positions drawn with
    replacement from all samples, or (``stratify``, cutpointr's ``boot_stratify``) as many
    cases from the cases and controls from the controls, cases first."""
    case = np.asarray(is_case, dtype=bool)
    if n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be at least 1, got {n_bootstrap}")
    if not stratify:
        return rng.integers(0, len(case), size=(n_bootstrap, len(case)))
    cases, controls = np.flatnonzero(case), np.flatnonzero(~case)
    return np.hstack(
        [rng.choice(cases, (n_bootstrap, len(cases))), rng.choice(controls, (n_bootstrap, len(controls)))]
    )


def out_of_bag_cutoffs(
    values: np.ndarray,
    is_case: np.ndarray,
    way: str,
    n_bootstrap: int,
    rng: np.random.Generator,
    stratify: bool = False,
    method: str = "youden",
) -> OutOfBagCutoffs:
    """How far the cut-off that maximises ``method`` (:data:`roc.CUTOFF_SCORES`, Youden's J
    by default) moves between bootstrap samples, and how much sensitivity and specificity it
    loses on samples it was not chosen on, as cutpointr's ``boot_runs``: on each of
    ``n_bootstrap`` bootstrap samples drawn with ``rng`` (plain, cutpointr's default, or
    ``stratify``; :func:`bootstrap_rows`) choose the cut-off (direction ``way``, ties to the
    highest specificity) and measure it on the out-of-bag samples.

    A small cohort's cut-off is unstable (wide interquartile range) and optimistic (in-bag
    minus out-of-bag > 0): a validation cohort should expect the out-of-bag values."""
    x, case = _inputs(values, is_case)
    rows = bootstrap_rows(case, n_bootstrap, rng, stratify)
    return oob_cutoffs_from_resamples(x, case, way, rows, method, stratify)
