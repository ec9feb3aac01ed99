"""A validation against its sealed plan (SPEC stage 9): each success criterion's verdict, and
what the validation did differently from the plan.

:func:`evaluate` reads each criterion's estimate and 95% CI from the validation tables
(:data:`SOURCES`: the panel table, the markers table, the markers' accuracy table, the KM
table at the locked cut-offs) and gives PASS or FAIL: the named ``bound`` (the estimate or a
CI limit) compared with ``value`` by ``op``, or, for ``ci_contains``, whether the CI holds
``value``. A criterion that cannot be evaluated (no estimate or CI, the target not in the
tables) is not met: FAIL, with the reason in ``note``.

:func:`deviations` lists what differs from the plan and its effect: exclusions (the locked QC
ones, as planned; by hand, not), a cohort smaller than the planned sample size per criterion,
analyses the data left undone (an endpoint the sheet lacks, a marker without cut-off, panel
samples without a covariate), settings that differ from the plan's (the prevalence of PPV/NPV),
a cohort that is not independent of the discovery, and the criteria that could not be
evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mirflow.analyses.independence import describe
from mirflow.formatting import number, shown
from mirflow.settings import Criterion

CRITERIA_COLUMNS = [
    "criterion",
    "target",
    "estimate",
    "ci_low",
    "ci_high",
    "verdict",
    "note",
    "role",
    "metric",
    "endpoint",
    "bound",
    "op",
    "value",
    "source",
]
DEVIATION_COLUMNS = ["kind", "item", "planned", "observed", "effect"]
PASS, FAIL = "PASS", "FAIL"
# metric -> (table, estimate column, CI low column, CI high column); tables: "panel",
# "markers", "accuracy" (one row per marker), "km" (rows per endpoint, marker and stratum)
SOURCES: dict[str, tuple[str, str, str | None, str | None]] = {
    "auc": ("panel", "auc", "auc_ci_low", "auc_ci_high"),
    "calibration_slope": (
        "panel",
        "calibration_slope",
        "calibration_slope_ci_low",
        "calibration_slope_ci_high",
    ),
    "calibration_intercept": (
        "panel",
        "calibration_intercept",
        "calibration_intercept_ci_low",
        "calibration_intercept_ci_high",
    ),
    "brier": ("panel", "brier", None, None),
    "sensitivity": ("markers", "sensitivity", "sensitivity_ci_low", "sensitivity_ci_high"),
    "specificity": ("markers", "specificity", "specificity_ci_low", "specificity_ci_high"),
    "ppv": ("markers", "ppv", "ppv_ci_low", "ppv_ci_high"),
    "npv": ("markers", "npv", "npv_ci_low", "npv_ci_high"),
    "lr_positive": ("accuracy", "lr_positive", "lr_positive_ci_low", "lr_positive_ci_high"),
    "lr_negative": ("accuracy", "lr_negative", "lr_negative_ci_low", "lr_negative_ci_high"),
    "partial_auc": ("accuracy", "partial_auc", "partial_auc_ci_low", "partial_auc_ci_high"),
    "hazard_ratio": ("km", "hazard_ratio", "hr_ci_low", "hr_ci_high"),
    "logrank_p": ("km", "logrank_p", None, None),
}
COMPARE = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}
# The sample-size criteria's precision or power, for the deviations' effect.
EFFECTS = {
    "riley_oe": "the O/E's 95% CI wider than the planned width {oe}",
    "riley_calibration_slope": "the calibration slope's 95% CI wider than the planned {calibration_slope}",
    "riley_cstatistic": "the C-statistic's 95% CI wider than the planned width {cstatistic}",
    "riley_net_benefit": "the standardised net benefit's 95% CI wider than the planned width {net_benefit}",
    "buderer_sensitivity": "the sensitivity's 95% CI wider than +-{half_width}",
    "buderer_specificity": "the specificity's 95% CI wider than +-{half_width}",
    "hanley_mcneil_auc_width": "the AUC's 95% CI wider than the planned width {auc}",
    "obuchowski_auc_power": "power below {power} to show an AUC above {auc_null}",
    "schoenfeld_events": "power below {power} to detect the planned hazard ratio",
}


def _number(value: Any) -> float:
    try:
        result = float(value)
    except (TypeError, ValueError):
        return math.nan
    return result


def _g(value: Any) -> str:
    return number(value, ".4g")


def source(criterion: Criterion) -> tuple[str, str, str | None, str | None]:
    """Where a criterion's metric is: (table, estimate column, CI low column, CI high column)
    (a marker's AUC is in the markers table, the panel's in the panel table)."""
    if criterion.metric == "auc" and criterion.kind == "marker":
        return "markers", "auc", "auc_ci_low", "auc_ci_high"
    return SOURCES[criterion.metric]


def _row_of(criterion: Criterion, tables: Mapping[str, pd.DataFrame]) -> tuple[pd.Series | None, str]:
    """The table row a criterion reads, or None and why not."""
    table_name = source(criterion)[0]
    table = tables.get(table_name)
    if table is None or table.empty:
        return None, f"no {table_name} table"
    if table_name == "panel":
        return table.iloc[0], ""
    if table_name == "km":
        rows = table[
            (table["endpoint"].astype(str) == criterion.endpoint) & (table["mirna"] == criterion.target)
        ]
        if rows.empty:
            return None, f"no KM row of {criterion.endpoint} {criterion.target}"
        return rows.iloc[0], ""
    rows = table[table["mirna"] == criterion.target]
    if rows.empty:
        return None, f"{criterion.target} is not in the {table_name} table"
    return rows.iloc[0], ""


def _reason(row: pd.Series, column: str) -> str:
    """Why a table left a value out (its reason columns), or ''."""
    for name in (f"{column}_reason", "reason"):
        text = row.get(name)
        if isinstance(text, str) and text:
            return text
    return ""


def evaluate_one(
    criterion: Criterion, tables: Mapping[str, pd.DataFrame], sources: Mapping[str, str]
) -> dict:
    """One criterion's estimate, CI, verdict and note."""
    table_name, column, low_column, high_column = source(criterion)
    result: dict[str, Any] = {
        "criterion": criterion.label,
        "target": criterion.target,
        "role": criterion.role,
        "metric": criterion.metric,
        "endpoint": criterion.endpoint,
        "bound": criterion.bound,
        "op": criterion.op,
        "value": criterion.value,
        "source": sources.get(table_name, table_name),
        "estimate": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
    }
    row, missing = _row_of(criterion, tables)
    if row is None:
        return result | {
            "verdict": FAIL,
            "note": f"not evaluable ({missing}): a criterion not evaluated is not met",
        }
    estimate = _number(row.get(column))
    low = _number(row.get(low_column)) if low_column else math.nan
    high = _number(row.get(high_column)) if high_column else math.nan
    result |= {"estimate": estimate, "ci_low": low, "ci_high": high}
    if criterion.op == "ci_contains":
        needed = {"ci_low": low, "ci_high": high}
    else:
        needed = {criterion.bound: {"estimate": estimate, "ci_low": low, "ci_high": high}[criterion.bound]}
    absent = [name for name, value in needed.items() if not math.isfinite(value)]
    if absent:
        why = _reason(row, column)
        text = f"not evaluable: {' and '.join(absent)} not estimable" + (f" ({why})" if why else "")
        return result | {"verdict": FAIL, "note": f"{text}; a criterion not evaluated is not met"}
    if criterion.op == "ci_contains":
        met = low <= criterion.value <= high
        holds = "contains" if met else "does not contain"
        note = f"95% CI {_g(low)} to {_g(high)} {holds} {_g(criterion.value)}"
    else:
        compared = needed[criterion.bound]
        met = bool(COMPARE[criterion.op](compared, criterion.value))
        note = f"{criterion.bound} {_g(compared)} {criterion.op} {_g(criterion.value)}: "
        note += "met" if met else "not met"
    return result | {"verdict": PASS if met else FAIL, "note": note}


def evaluate(
    criteria: Sequence[Criterion],
    tables: Mapping[str, pd.DataFrame],
    sources: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Each criterion's verdict (:data:`CRITERIA_COLUMNS`), in the plan's order. ``tables``:
    the validation tables by the names of :data:`SOURCES`; ``sources``: their paths."""
    rows = [evaluate_one(criterion, tables, sources or {}) for criterion in criteria]
    return pd.DataFrame(rows, columns=CRITERIA_COLUMNS)


def summary(criteria: pd.DataFrame) -> str:
    """The verdicts in one line: 'primary 2 of 3 PASS (not all met); secondary 1 of 1 PASS'."""
    if criteria.empty:
        return "the plan states no success criteria"
    parts = []
    for role in ("primary", "secondary"):
        rows = criteria[criteria["role"] == role]
        if rows.empty:
            continue
        passed = int((rows["verdict"] == PASS).sum())
        text = f"{role} {passed} of {len(rows)} PASS"
        if role == "primary":
            text += " (all met: the validation succeeds)" if passed == len(rows) else " (not all met)"
        parts.append(text)
    return "; ".join(parts)


# ---- deviations ---------------------------------------------------------------------------------


def _deviation(kind: str, item: str, planned: str, observed: str, effect: str) -> dict[str, str]:
    return {"kind": kind, "item": item, "planned": planned, "observed": observed, "effect": effect}


def exclusion_rows(qc: pd.DataFrame, exclude: Mapping[str, str]) -> list[dict[str, str]]:
    """The excluded validation samples: by the locked QC (as planned), not in the contrast (as
    planned) and by hand (validation.exclude: not planned)."""
    rows = []
    excluded = qc[qc["excluded"].astype(bool)]
    by_hand = excluded[excluded["sample"].astype(str).isin(list(exclude))]
    other = excluded[~excluded.index.isin(by_hand.index)]
    contrast = other[other["reason"].astype(str) == "not in contrast"]
    failed = other[~other.index.isin(contrast.index)]
    if not failed.empty:
        rows.append(
            _deviation(
                "exclusion",
                "samples failing the locked QC",
                "excluded by the locked QC thresholds (as planned)",
                f"{len(failed)}: "
                + shown([f"{r.sample} ({r.reason})" for r in failed.itertuples()], 10, "; "),
                f"as planned; the analysed cohort is {len(failed)} sample(s) smaller",
            )
        )
    if not contrast.empty:
        rows.append(
            _deviation(
                "exclusion",
                "samples not in the contrast",
                "only the locked case and control levels are analysed (as planned)",
                f"{len(contrast)}: {shown(contrast['sample'].astype(str).tolist(), 10)}",
                f"as planned; {len(contrast)} sheet sample(s) not analysed",
            )
        )
    if not by_hand.empty:
        rows.append(
            _deviation(
                "exclusion",
                "samples excluded by hand (validation.exclude)",
                "none: the plan excludes by the locked QC only",
                f"{len(by_hand)}: "
                + shown([f"{s} ({exclude[str(s)]})" for s in by_hand["sample"].astype(str)], 10, "; "),
                f"not pre-specified: every estimate leaves out these {len(by_hand)} sample(s); report them "
                "and why",
            )
        )
    return rows


def _observed(row: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> dict[str, float] | None:
    """The validation's numbers for a sample-size row's target: n, cases, controls (events for
    a prognostic split); None when the tables lack the target."""
    kind = row["type"]
    if kind == "panel":
        panel = tables["panel"].iloc[0]
        cases, controls = _number(panel.get("n_case")), _number(panel.get("n_control"))
        return {"n": cases + controls, "cases": cases, "controls": controls}
    if kind == "marker":
        markers = tables["markers"]
        rows = markers[markers["mirna"] == row["mirna"]]
        if rows.empty:
            return None
        cases, controls = _number(rows.iloc[0]["n_case"]), _number(rows.iloc[0]["n_control"])
        return {"n": cases + controls, "cases": cases, "controls": controls}
    km = tables["km"]
    rows = km[(km["endpoint"].astype(str) == str(row["target"])) & (km["mirna"] == row["mirna"])]
    if rows.empty or rows["stratum"].isna().all():
        return None
    return {"n": float(rows["n"].sum()), "events": float(rows["events"].sum())}


def sample_size_rows(plan: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> list[dict[str, str]]:
    """The plan's sample-size criteria the validation cohort falls short of: what each fixes
    (the total n, the cases, the controls or the events) below the planned number."""
    config = plan.get("config") or {}
    widths = {key: _g(value) for key, value in (config.get("ci_width") or {}).items()}
    numbers = {
        "half_width": _g(config.get("half_width")),
        "power": _g(config.get("power")),
        "auc_null": _g(config.get("auc_null")),
    }
    rows = []
    for row in plan.get("sample_size") or []:
        if row.get("n") is None:
            continue
        observed = _observed(row, tables)
        if observed is None:
            continue
        wanted = {
            "n": {"n": row["n"]},
            "cases": {"cases": row["n_cases"]},
            "controls": {"controls": row["n_controls"]},
            "cases and controls": {"cases": row["n_cases"], "controls": row["n_controls"]},
            "events": {"events": row["events"]},
        }[row["fixes"]]
        short = {
            key: (observed[key], need)
            for key, need in wanted.items()
            if need is not None and observed[key] < need
        }
        if not short:
            continue
        what = f"{row['target']} {row['mirna']}" if row["type"] == "endpoint" else str(row["target"])
        effect = EFFECTS.get(row["criterion"], "less precision than planned").format(**widths, **numbers)
        rows.append(
            _deviation(
                "sample size",
                f"{what}: {row['criterion']}",
                ", ".join(f"{key} {int(need)}" for key, (_, need) in short.items())
                + (" (drives the target's n)" if row.get("drives") else ""),
                ", ".join(f"{key} {int(have)}" for key, (have, _) in short.items()),
                f"below the planned sample size: {effect}; a criterion on it is less likely to be met",
            )
        )
    return rows


def analysis_rows(tables: Mapping[str, pd.DataFrame]) -> list[dict[str, str]]:
    """Planned analyses the validation data left undone or reduced: a locked endpoint the
    sheet lacks (or without events), a marker without a cut-off, panel samples missing a
    covariate."""
    rows = []
    km = tables["km"]
    for (endpoint, mirna), strata in km.groupby(["endpoint", "mirna"], sort=False):
        if strata["stratum"].isna().all():
            reason = strata["reason"].dropna().astype(str)
            rows.append(
                _deviation(
                    "analysis",
                    f"{endpoint} {mirna}: KM at the locked cut-off",
                    "Kaplan-Meier, log-rank and HR at the locked cut-off",
                    f"not stratified: {reason.iloc[0] if len(reason) else 'no reason given'}",
                    "not estimated: a criterion on it is not met",
                )
            )
    for marker in tables["markers"].itertuples(index=False):
        if pd.isna(marker.cutoff):
            rows.append(
                _deviation(
                    "analysis",
                    f"{marker.mirna}: accuracy at the locked cut-off",
                    "the 2x2 table at the locked cut-off",
                    f"none: {marker.reason}",
                    "no sensitivity, specificity or likelihood ratios: criteria on them are not met",
                )
            )
    panel = tables["panel"].iloc[0]
    missing = _number(panel.get("n_missing_covariates"))
    if math.isfinite(missing) and missing > 0:
        rows.append(
            _deviation(
                "missing data",
                "panel: samples without a panel covariate",
                "complete cases (as planned)",
                f"{int(missing)} left out of the panel",
                f"as planned; the panel's n is {int(missing)} smaller than the analysed cohort's",
            )
        )
    elif pd.isna(panel.get("auc")) and isinstance(panel.get("reason"), str) and panel.get("reason"):
        rows.append(
            _deviation(
                "analysis",
                "the locked panel",
                "the panel's discrimination and calibration",
                f"not estimated: {panel['reason']}",
                "criteria on the panel are not met",
            )
        )
    return rows


def setting_rows(plan: Mapping[str, Any], prevalence: float | None) -> list[dict[str, str]]:
    """Settings of the validation that differ from the plan's: the population prevalence of
    PPV, NPV and the decision curve."""
    planned = (plan.get("settings") or {}).get("population_prevalence")
    if planned == prevalence or (
        planned is not None and prevalence is not None and math.isclose(planned, prevalence)
    ):
        return []
    effect = (
        f"PPV, NPV and net benefit at the prevalence {_g(prevalence)} are not pre-specified"
        if prevalence is not None
        else "PPV and NPV are the cohort's own (no population prevalence given): the plan's are not estimated"
    )
    return [
        _deviation(
            "setting",
            "validation.prevalence",
            "not stated (plan.population_prevalence)"
            if planned is None
            else f"{_g(planned)} (plan.population_prevalence)",
            "not given" if prevalence is None else f"{_g(prevalence)}",
            effect,
        )
    ]


def case_fraction_rows(
    plan: Mapping[str, Any], panel: pd.DataFrame, markers: pd.DataFrame
) -> list[dict[str, str]]:
    """The analysed cohort's case fraction against the anticipated prevalence of the sample
    size, when they differ by 0.05 or more."""
    anticipated = (plan.get("settings") or {}).get("anticipated_prevalence")
    first = markers.iloc[0] if len(markers) else panel.iloc[0]
    cases, controls = _number(first.get("n_case")), _number(first.get("n_control"))
    if anticipated is None or not math.isfinite(cases + controls) or cases + controls == 0:
        return []
    observed = cases / (cases + controls)
    if abs(observed - anticipated) < 0.05:
        return []
    return [
        _deviation(
            "data",
            "case fraction",
            f"{_g(anticipated)} (the sample size's anticipated prevalence)",
            f"{_g(observed)} ({int(cases)} of {int(cases + controls)})",
            "the planned cases and controls per criterion assumed the anticipated prevalence: see the "
            "sample-size rows",
        )
    ]


def deviations(
    plan: Mapping[str, Any] | None,
    criteria: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    qc: pd.DataFrame,
    overlap: pd.DataFrame,
    exclude: Mapping[str, str],
    prevalence: float | None,
) -> pd.DataFrame:
    """What the validation did differently from the plan, and its effect
    (:data:`DEVIATION_COLUMNS`; see the module docstring). ``plan`` None: no plan
    (validation.plan: none), which is the first row."""
    rows = []
    if plan is None:
        rows.append(
            _deviation(
                "plan",
                "analysis plan",
                "a sealed analysis plan (validation.plan)",
                "none (validation.plan: none)",
                "the validation was not pre-specified: no success criterion is evaluated and every estimate "
                "is exploratory",
            )
        )
    if not overlap.empty:
        rows.append(
            _deviation(
                "design",
                "independence of the discovery cohort",
                "an independent cohort",
                f"shares {describe(overlap)} (validation.allow_overlap: true)",
                "not an independent validation: the estimates are optimistic as the discovery's are",
            )
        )
    rows += exclusion_rows(qc, exclude)
    if plan is not None:
        rows += case_fraction_rows(plan, tables["panel"], tables["markers"])
        rows += sample_size_rows(plan, tables)
        rows += setting_rows(plan, prevalence)
    rows += analysis_rows(tables)
    for row in criteria[criteria["note"].astype(str).str.startswith("not evaluable")].itertuples():
        rows.append(
            _deviation(
                "criterion",
                row.criterion,
                f"evaluated ({row.role})",
                row.note.split(";")[0],
                "counted as not met (FAIL)",
            )
        )
    return pd.DataFrame(rows, columns=DEVIATION_COLUMNS)


def criteria_from_plan(plan: Mapping[str, Any] | None) -> list[Criterion]:
    """The plan's criteria as :class:`Criterion` (none without a plan)."""
    if plan is None:
        return []
    fields = ("target", "metric", "op", "value", "bound", "endpoint", "role", "name")
    return [
        Criterion.from_params({key: entry.get(key) for key in fields if key in entry}, position)
        for position, entry in enumerate(plan.get("criteria") or [], start=1)
    ]
