"""The validation's sample size (SPEC stage 9), from the locked model and the discovery tables
it came from, before any validation data exist.

One row per target and criterion (:data:`SAMPLE_SIZE_COLUMNS`):

- the locked **panel**: Riley et al. (2021) external-validation criteria (a) O/E, (b) the
  calibration slope, (c) the C-statistic and, with ``plan.net_benefit_threshold``, (d) the
  standardised net benefit (:func:`mirflow.stats.sample_size.riley_validation`). The
  anticipated C is the panel's optimism-corrected AUC (Harrell's bootstrap), not the
  apparent one; the linear predictor's distribution is the locked panel's own on the
  discovery samples (``apparent``), the out-of-fold one of the cross-validation, or the
  binormal one of C and the prevalence;
- each locked **marker** at its locked cut-off: Buderer's sensitivity and specificity
  precision at the anticipated prevalence, with the out-of-bag bootstrap's sensitivity and
  specificity as the anticipated values (the apparent ones are optimistic), the width of the
  AUC's CI (Hanley-McNeil) and the power against the null AUC (Obuchowski, pROC's
  power.roc.test);
- each locked **prognostic split** (endpoint x marker): Schoenfeld's events for the target
  hazard ratio at the discovery split's proportion.

``drives`` marks, per target, the criterion with the largest n: that criterion decides the
target's sample size. ``fixes`` says what the criterion fixes (the total n, the cases, the
controls or the events), which is what a validation cohort is compared with
(:mod:`mirflow.analyses.criteria`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mirflow.settings import PlanSettings
from mirflow.stats import sample_size as ss

SAMPLE_SIZE_COLUMNS = [
    "target",
    "type",
    "mirna",
    "criterion",
    "assumptions",
    "n",
    "n_cases",
    "n_controls",
    "events",
    "fixes",
    "drives",
    "reference",
    "note",
]
DISCOVERY = "discovery"
# ci_width keys of the plan section
WIDTHS = ("oe", "calibration_slope", "cstatistic", "net_benefit", "auc")


@dataclass(frozen=True)
class PanelInputs:
    """What the panel's criteria read from discovery: the anticipated C (the
    optimism-corrected AUC, with where it came from) and the linear predictor of the cases and
    of the controls (empty for ``binormal``), from ``lp_source``."""

    cstatistic: float | None
    cstatistic_source: str
    lp_cases: tuple[float, ...]
    lp_controls: tuple[float, ...]
    lp_source: str
    fitted_prevalence: float


@dataclass(frozen=True)
class MarkerInputs:
    """A locked marker's anticipated accuracy: the discovery AUC and the sensitivity and
    specificity expected in new samples (out-of-bag), with their source."""

    mirna: str
    auc: float | None
    sensitivity: float | None
    specificity: float | None
    accuracy_source: str


@dataclass(frozen=True)
class SplitInputs:
    """A locked prognostic split in discovery: its strata's sizes, the events, the hazard
    ratio high vs low."""

    endpoint: str
    mirna: str
    n_low: int
    n_high: int
    events: int
    hazard_ratio: float | None
    population: str


def _g(value: float) -> str:
    return f"{value:.4g}"


def anticipated_prevalence(settings: PlanSettings, n_case: int, n_control: int) -> tuple[float, str]:
    """The anticipated prevalence of cases in the validation cohort and how it was set: the
    setting, or (``discovery``) the lock's discovery case fraction."""
    if isinstance(settings.prevalence, str):
        value = n_case / (n_case + n_control)
        return value, f"prevalence {_g(value)} (the discovery case fraction {n_case}/{n_case + n_control})"
    return float(settings.prevalence), f"prevalence {_g(settings.prevalence)} (plan.prevalence)"


def _row(
    target: str,
    kind: str,
    criterion: str,
    assumptions: str,
    size: ss.SampleSize | None,
    *,
    mirna: str | None = None,
    fixes: str = "n",
    prevalence: float | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One table row; ``size`` None: not computed (``note`` says why). Riley's criteria fix
    only n: the cases and controls are then those expected at ``prevalence``."""
    row: dict[str, Any] = {
        "target": target,
        "type": kind,
        "mirna": mirna,
        "criterion": criterion,
        "assumptions": assumptions,
        "n": None,
        "n_cases": None,
        "n_controls": None,
        "events": None,
        "fixes": fixes,
        "drives": False,
        "reference": size.reference if size is not None else "",
        "note": note,
    }
    if size is None:
        return row
    row["n"] = size.n
    if kind == "endpoint":
        row["events"] = size.events
        return row
    if size.events is not None or size.non_events is not None:
        cases = size.events if size.events is not None else size.n - size.non_events  # type: ignore[operator]
        controls = size.non_events if size.non_events is not None else size.n - cases
        row["n_cases"], row["n_controls"] = cases, controls
    elif prevalence is not None:
        cases = math.ceil(size.n * prevalence)
        row["n_cases"], row["n_controls"] = cases, size.n - cases
    return row


def _lp(
    panel: PanelInputs, prevalence: float, settings: PlanSettings
) -> tuple[ss.LPDistribution | None, str]:
    """The linear predictor's distribution in the validation population, and its wording."""
    if settings.linear_predictor == "binormal" or not panel.lp_cases or not panel.lp_controls:
        return None, "linear predictor binormal from C and the prevalence (pmvalsampsize's lpcstat)"
    n = len(panel.lp_cases) + len(panel.lp_controls)
    text = f"linear predictor: {panel.lp_source} ({n} values)"
    if math.isclose(prevalence, panel.fitted_prevalence, rel_tol=0, abs_tol=1e-12) and math.isclose(
        len(panel.lp_cases) / n, panel.fitted_prevalence, rel_tol=0, abs_tol=1e-12
    ):
        return ss.EmpiricalLP(panel.lp_cases + panel.lp_controls), text
    shifted = ss.empirical_lp_at(panel.lp_cases, panel.lp_controls, prevalence, panel.fitted_prevalence)
    return shifted, f"{text}, cases and controls reweighted to the prevalence and shifted to stay calibrated"


def _net_benefit_accuracy(
    panel: PanelInputs, prevalence: float, threshold: float
) -> tuple[float | None, float | None]:
    """The panel's sensitivity and specificity at the threshold probability, from its linear
    predictor shifted to the anticipated prevalence (None without one)."""
    if not panel.lp_cases or not panel.lp_controls:
        return None, None
    shift = math.log(prevalence / (1 - prevalence)) - math.log(
        panel.fitted_prevalence / (1 - panel.fitted_prevalence)
    )
    cut = math.log(threshold / (1 - threshold)) - shift
    sensitivity = sum(v >= cut for v in panel.lp_cases) / len(panel.lp_cases)
    specificity = sum(v < cut for v in panel.lp_controls) / len(panel.lp_controls)
    return sensitivity, specificity


def panel_rows(panel: PanelInputs | None, settings: PlanSettings, prevalence: float, base: str) -> list[dict]:
    """Riley et al. (2021) criteria for the locked panel (one row each); one row with the
    reason when there is no panel or no usable C."""
    if panel is None:
        return [_row("panel", "panel", "riley_validation", base, None, note="no locked panel")]
    c = panel.cstatistic
    if c is None or not 0.5 < c < 1:
        note = f"no anticipated C-statistic in (0.5, 1) ({panel.cstatistic_source}: {c})"
        return [_row("panel", "panel", "riley_validation", base, None, note=note)]
    widths = settings.ci_width
    lp, lp_text = _lp(panel, prevalence, settings)
    c_text = f"C {_g(c)} ({panel.cstatistic_source})"
    sensitivity = specificity = None
    threshold = settings.net_benefit_threshold
    nb_note = ""
    if threshold is not None:
        sensitivity, specificity = _net_benefit_accuracy(panel, prevalence, threshold)
        usable = [v for v in (sensitivity, specificity) if v is not None and 0 < v < 1]
        if len(usable) < 2:
            nb_note = (
                f"net benefit at threshold {_g(threshold)}: the panel's sensitivity and specificity there "
                f"({sensitivity}, {specificity}) leave no uncertainty to plan for (or no linear predictor)"
            )
            sensitivity = specificity = None
    plan = ss.riley_validation(
        prevalence,
        c,
        lp,
        oe_ci_width=widths["oe"],
        slope_ci_width=widths["calibration_slope"],
        cstatistic_ci_width=widths["cstatistic"],
        sensitivity=sensitivity,
        specificity=specificity,
        threshold=threshold if sensitivity is not None else None,
        net_benefit_ci_width=widths["net_benefit"],
    )
    texts = {
        "riley_oe": f"{base}; O/E 1; 95% CI width {_g(widths['oe'])}",
        "riley_calibration_slope": f"{base}; {lp_text}; 95% CI width {_g(widths['calibration_slope'])}",
        "riley_cstatistic": f"{base}; {c_text}; 95% CI width {_g(widths['cstatistic'])}",
        "riley_net_benefit": (
            f"{base}; threshold {_g(threshold or 0)}; the panel's sensitivity {_g(sensitivity or 0)} and "
            f"specificity {_g(specificity or 0)} there ({panel.lp_source}); 95% CI width "
            f"{_g(widths['net_benefit'])}"
        ),
    }
    rows = [
        _row("panel", "panel", size.criterion, texts[size.criterion], size, prevalence=prevalence)
        for size in plan.criteria
    ]
    if nb_note:
        rows.append(_row("panel", "panel", "riley_net_benefit", base, None, note=nb_note))
    return rows


def _usable(name: str, value: float | None) -> str:
    """Why an anticipated proportion cannot be planned for ('' when it can)."""
    if value is None or not math.isfinite(value):
        return f"no anticipated {name}"
    if not 0 < value < 1:
        return f"anticipated {name} {_g(value)}: Buderer's formula needs a value strictly between 0 and 1"
    return ""


def marker_rows(marker: MarkerInputs, settings: PlanSettings, prevalence: float, base: str) -> list[dict]:
    """Buderer's sensitivity and specificity precision, the AUC's CI width and the power
    against the null AUC for one locked marker (one row each; NA with the reason where the
    anticipated value allows none)."""
    name, rows = marker.mirna, []
    half = settings.half_width
    accuracy = f"({marker.accuracy_source})"
    for measure, value, fixes in (
        ("sensitivity", marker.sensitivity, "cases"),
        ("specificity", marker.specificity, "controls"),
    ):
        criterion = f"buderer_{measure}"
        shown_value = _g(value) if value is not None else "NA"
        text = f"{base}; {measure} {shown_value} {accuracy}; 95% CI +- {_g(half)}"
        problem = _usable(measure, value)
        size = None
        if value == 1:
            # Buderer's Wald formula gives 0 at 1: the exact interval of m/m instead
            criterion, problem = f"exact_{measure}", ""
            text += f" (at 1 Buderer's Wald formula gives 0: the exact 95% CI of m/m reaches down {_g(half)})"
            size = ss.exact_boundary(measure, prevalence, half_width=half)  # type: ignore[arg-type]
        elif not problem:
            others = {"sensitivity": 0.5, "specificity": 0.5} | {measure: value}
            plan = ss.sens_spec_precision(
                others["sensitivity"], others["specificity"], prevalence, half_width=half
            )
            size = plan[criterion]
        rows.append(_row(name, "marker", criterion, text, size, mirna=name, fixes=fixes, note=problem))
    kappa = ss.kappa_from_prevalence(prevalence)
    auc = marker.auc
    auc_text = f"AUC {_g(auc) if auc is not None else 'NA'} (discovery, locked direction)"
    width = settings.ci_width["auc"]
    if auc is None or not 0 < auc < 1:
        problem = f"discovery AUC {auc}: no CI width to plan for"
        size = None
    else:
        problem, size = "", ss.auc_precision(auc, width, kappa=kappa)
    rows.append(
        _row(
            name,
            "marker",
            "hanley_mcneil_auc_width",
            f"{base}; {auc_text}; {_g(kappa)} controls per case; 95% CI width {_g(width)}",
            size,
            mirna=name,
            fixes="cases and controls",
            note=problem,
        )
    )
    null = settings.auc_null
    power_text = (
        f"{base}; {auc_text} against {_g(null)} (plan.auc_null); alpha {_g(settings.alpha)} two-sided; "
        f"power {_g(settings.power)}; {_g(kappa)} controls per case"
    )
    if auc is None or not null < auc < 1:
        problem = f"discovery AUC {auc} is not above the null AUC {_g(null)}: no power to plan for"
        size = None
    else:
        problem = ""
        size = ss.auc_power(auc, auc_null=null, alpha=settings.alpha, power=settings.power, kappa=kappa)
    rows.append(
        _row(
            name,
            "marker",
            "obuchowski_auc_power",
            power_text,
            size,
            mirna=name,
            fixes="cases and controls",
            note=problem,
        )
    )
    return rows


def split_rows(split: SplitInputs, settings: PlanSettings) -> list[dict]:
    """Schoenfeld's events for the target hazard ratio at the discovery split's proportion
    (one row; NA with the reason where none can be planned for)."""
    total = split.n_low + split.n_high
    proportion = split.n_high / total if total else float("nan")
    from_discovery = isinstance(settings.hazard_ratio, str)
    hr = split.hazard_ratio if from_discovery else float(settings.hazard_ratio)
    hr_text = f"HR {_g(hr) if hr is not None else 'NA'} " + (
        "(the discovery HR high vs low: optimistic, the cut-off was chosen on those patients)"
        if from_discovery
        else "(plan.hazard_ratio)"
    )
    probability = split.events / total if total else float("nan")
    text = (
        f"{hr_text}; {_g(proportion)} of the {split.population} high (discovery split); event probability "
        f"{_g(probability)} (discovery {split.events}/{total}); alpha {_g(settings.alpha)} two-sided; power "
        f"{_g(settings.power)}"
    )
    problem = ""
    if not total or not 0 < proportion < 1:
        problem = "the discovery split has an empty stratum"
    elif hr is None or not math.isfinite(hr) or hr <= 0 or hr == 1:
        problem = f"no target hazard ratio (HR {hr})"
    elif not 0 < probability <= 1:
        problem = "no event in discovery"
    size = None
    if not problem:
        size = ss.schoenfeld_events(
            hr,  # type: ignore[arg-type]
            proportion,
            event_probability=probability,
            alpha=settings.alpha,
            power=settings.power,
        )
    row = _row(
        split.endpoint,
        "endpoint",
        "schoenfeld_events",
        text,
        size,
        mirna=split.mirna,
        fixes="events",
        note=problem,
    )
    if size is not None and split.population == "cases":
        row["n_cases"] = size.n
    return [row]


def mark_drivers(rows: list[dict]) -> list[dict]:
    """``drives``: per target (panel; a marker; an endpoint x marker), the criterion with the
    largest n (the first of ties)."""
    best: dict[tuple, int] = {}
    for position, row in enumerate(rows):
        if row["n"] is None:
            continue
        key = (row["type"], row["target"], row["mirna"])
        if key not in best or row["n"] > rows[best[key]]["n"]:
            best[key] = position
    for position in best.values():
        rows[position]["drives"] = True
    return rows


def sample_size_rows(
    settings: PlanSettings,
    n_case: int,
    n_control: int,
    panel: PanelInputs | None,
    markers: Sequence[MarkerInputs],
    splits: Sequence[SplitInputs],
) -> tuple[list[dict[str, Any]], float]:
    """Every row of the sample-size table (see the module docstring), and the anticipated
    prevalence. ``n_case``/``n_control``: the lock's discovery group sizes."""
    prevalence, base = anticipated_prevalence(settings, n_case, n_control)
    rows = panel_rows(panel, settings, prevalence, base)
    for marker in markers:
        rows += marker_rows(marker, settings, prevalence, base)
    for split in splits:
        rows += split_rows(split, settings)
    return mark_drivers(rows), prevalence


def requirements(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per target, its sample size: the driving criterion's n and what it fixes (the plan's
    summary)."""
    return [
        {
            "target": row["target"],
            "type": row["type"],
            "mirna": row["mirna"],
            "criterion": row["criterion"],
            "n": row["n"],
            "n_cases": row["n_cases"],
            "n_controls": row["n_controls"],
            "events": row["events"],
        }
        for row in rows
        if row["drives"]
    ]
