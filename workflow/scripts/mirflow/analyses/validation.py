"""External validation (SPEC stage 8): a LOCKED model applied, unchanged, to a new cohort.

Nothing is fitted or chosen here. The new samples are normalised against the locked
reference (:func:`normalise_cohort`: no size factors refitted on the new cohort), each
marker is called positive or negative at its locked cut-off in its locked direction, the
panel's locked coefficients give each sample a predicted probability, and the prognostic
cut-offs split the patients as they were locked; then :mod:`mirflow.stats.validation`
measures how that performs (AUC in the locked direction, 2x2 tables with exact CIs,
calibration, decision curves) and :mod:`mirflow.analyses.prognostic` draws the KM strata.

What the cohort must provide: every miRNA the model scores with (markers, panel,
prognostic markers), the locked contrast column with both levels, the panel's covariates
with levels seen in discovery (:func:`check_mirnas`, :func:`check_contrast`,
:func:`code_covariates`). A locked *reference* miRNA that the counts do not list is not an
error: size factors use positive counts only, so it gives exactly the factor a row of zeros
would (GeneGlobe exports list only miRNAs detected in some sample); the run logs how many.

Decision curves treat each marker as the binary test it is at its locked cut-off (positive
= treat): its net benefit TP/n - FP/n x t/(1 - t) at every threshold probability t. A
curve from the marker's ranking would need its values turned into probabilities, i.e. a
model fitted on the validation cohort, which is what locking rules out; the panel, which
predicts probabilities, gets the usual curve.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from mirflow.analyses import prognostic
from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.settings import EndpointSettings
from mirflow.stats import normalise, validation

log = logging.getLogger(__name__)
# Threshold probabilities of the decision curves (dcurves' default grid without 0 and 1).
THRESHOLDS = np.round(np.arange(1, 100) / 100, 2)
SHOWN = 20
PANEL = "panel"

METRICS = ["sensitivity", "specificity", "ppv", "npv"]
AT_PREVALENCE = ["ppv_at_prevalence", "npv_at_prevalence"]
MARKER_COLUMNS = [
    "mirna",
    "direction",
    "cutoff",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "tp",
    "fp",
    "tn",
    "fn",
    *[f"{m}{s}" for m in METRICS for s in ("", "_ci_low", "_ci_high")],
    *[f"{m}{s}" for m in AT_PREVALENCE for s in ("", "_ci_low", "_ci_high")],
    "prevalence",
    "n_case",
    "n_control",
    "discovery_auc",
    "discovery_sensitivity",
    "discovery_specificity",
    "reason",
]
CALL_COLUMNS = ["sample", "group", "mirna", "value", "cutoff", "positive"]
PANEL_COLUMNS = [
    "markers",
    "n_case",
    "n_control",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "calibration_intercept",
    "calibration_intercept_ci_low",
    "calibration_intercept_ci_high",
    "calibration_slope",
    "calibration_slope_ci_low",
    "calibration_slope_ci_high",
    "brier",
    "recalibration_intercept",
    "recalibration_intercept_ci_low",
    "recalibration_intercept_ci_high",
    "eavg",
    "e90",
    "emax",
    "n_missing_covariates",
    "covariates",
    "discovery_auc_cv",
    "discovery_auc_apparent",
    "reason",
]
TABLE5_COLUMNS = ["endpoint", "variable", "level", "patients", "events", "median_95ci", "p_value"]
PREDICTION_COLUMNS = ["sample", "group", "predicted_probability", "outcome", "linear_predictor"]


def _shown(names: Sequence[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" ... ({len(names)} in all)" if len(names) > SHOWN else "")


# ---- what the cohort must provide ---------------------------------------------------------------


def required_mirnas(model: Mapping[str, Any]) -> dict[str, list[str]]:
    """The miRNAs the locked model scores with, by what needs them: the markers, the
    panel and the prognostic cut-offs (each must be measured in the validation cohort)."""
    roles: dict[str, list[str]] = {}
    roles["panel"] = list(model["panel"]["markers"]) if model["panel"] else []
    roles["markers"] = [m["mirna"] for m in model["markers"]]
    if model["prognostic"]:
        roles["prognostic markers"] = list(
            dict.fromkeys(c["mirna"] for e in model["prognostic"]["endpoints"] for c in e["cutoffs"])
        )
    return roles


def reference_mirnas(model: Mapping[str, Any]) -> list[str]:
    """The miRNAs a new sample's size factor is computed from (none for cpm and for
    expression values)."""
    norm = model["normalisation"]
    if norm["log_geometric_means"]:
        return list(norm["log_geometric_means"])
    return list(model["mirnas"]) if norm["estimator"] == "upper_quartile" else []


def check_mirnas(
    available: Sequence[str], model: Mapping[str, Any], table: str, model_path: str
) -> list[str]:
    """Every miRNA the locked model scores with must be a row of the validation counts;
    the missing ones are named, by what needs them (:class:`InputError`). Returns the
    reference miRNAs that are missing, which are not an error: the ratios (and upper
    quartiles) use positive counts only, so a reference miRNA the table does not list
    (GeneGlobe exports list only miRNAs detected in some sample) gives exactly the size
    factors that a row of zeros would."""
    present = set(available)
    needed = required_mirnas(model)
    missing = {role: [m for m in names if m not in present] for role, names in needed.items()}
    missing = {role: names for role, names in missing.items() if names}
    if missing:
        parts = [
            f"{role} ({len(names)} of {len(needed[role])}): {_shown(names)}"
            for role, names in missing.items()
        ]
        raise InputError(
            table,
            f"lacks miRNA(s) of the locked model {model_path}: " + "; ".join(parts),
            "give validation counts that measure every locked marker under its miRBase v22 name (the panel "
            "needs all its miRNAs); a marker measured but not detected is a row of zeros",
        )
    return [m for m in reference_mirnas(model) if m not in present]


def check_contrast(sheet: pd.DataFrame, labels: pd.Series, model: Mapping[str, Any], path: str) -> None:
    """The validation sheet must hold the locked contrast column with both its levels."""
    contrast = model["contrast"]
    column = contrast["column"]
    if column not in sheet.columns:
        raise InputError(
            path,
            f"has no column '{column}', the locked model's contrast column (case '{contrast['case']}', "
            f"control '{contrast['control']}')",
            f"add the column '{column}' with the values '{contrast['case']}' and '{contrast['control']}'; "
            f"columns are: {', '.join(map(str, sheet.columns))}",
        )
    present = sorted(sheet[column].dropna().astype(str).unique())
    for level, value in ((CASE, contrast["case"]), (CONTROL, contrast["control"])):
        if not (labels == level).any():
            raise InputError(
                path,
                f"no sample has {column} = '{value}', the locked model's {level} level (the sheet has: "
                f"{', '.join(present) or 'no values'})",
                f"validation needs cases and controls coded as in discovery: '{contrast['case']}' and "
                f"'{contrast['control']}' in column '{column}'",
                where=f"column '{column}'",
            )


def check_exclusions(sheet: pd.DataFrame, exclude: Mapping[str, str], path: str) -> None:
    unknown = sorted(set(exclude) - set(sheet.index))
    if unknown:
        raise InputError(
            path,
            f"validation.exclude names samples not in the validation sheet: {', '.join(unknown)}",
            "correct the ids in validation.exclude",
        )


def panel_covariates(model: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The locked covariates the panel uses (none when the panel has no covariate terms)."""
    used = set(model["panel"]["covariates"]) if model["panel"] else set()
    return [c for c in model["covariates"] if c["name"] in used]


def code_covariates(sheet: pd.DataFrame, model: Mapping[str, Any], path: str) -> pd.DataFrame:
    """The panel's covariates coded as discovery coded them (continuous: centred and
    scaled with the LOCKED mean and SD; categorical: the level as text). A missing column,
    a non-number in a continuous covariate or a level not seen in discovery is an
    :class:`InputError` (the locked panel has no coefficient for an unseen level)."""
    frame = pd.DataFrame(index=sheet.index)
    for covariate in panel_covariates(model):
        name = covariate["name"]
        if name not in sheet.columns:
            raise InputError(
                path,
                f"has no column '{name}', a covariate of the locked panel",
                f"add the column '{name}' (coded as in discovery)",
            )
        values = sheet[name]
        if covariate["type"] == "continuous":
            numbers = pd.to_numeric(values, errors="coerce")
            bad = values.notna() & numbers.isna()
            if bad.any():
                raise InputError(
                    path,
                    f"column '{name}' (a continuous covariate of the locked panel) has non-numbers: "
                    + _shown([f"{s} '{values[s]}'" for s in values.index[bad]]),
                    "write numbers (NA when unknown)",
                    where=f"column '{name}'",
                )
            sd = covariate["sd"]
            frame[name] = (numbers - covariate["mean"]) / sd if sd > 0 else numbers - covariate["mean"]
            continue
        text = values.where(values.isna(), values.astype(str))
        unseen = sorted(set(text.dropna()) - set(covariate["levels"]))
        if unseen:
            samples = [str(s) for s in text.index[text.isin(unseen)]]
            raise InputError(
                path,
                f"column '{name}' has level(s) {', '.join(repr(u) for u in unseen)} not seen in discovery "
                f"(locked levels: {', '.join(repr(v) for v in covariate['levels'])}; samples "
                f"{_shown(samples)}): the locked panel has no coefficient for them",
                f"code '{name}' with the discovery levels, or exclude these samples (validation.exclude)",
                where=f"column '{name}'",
            )
        frame[name] = text
    return frame


def check_endpoint_values(sheet: pd.DataFrame, endpoint: Mapping[str, Any], path: str) -> None:
    """A locked endpoint's time and event columns: finite times >= 0, events 0/1, no event
    status without a time. (The landmark is not used: the cut-offs are locked.)"""
    time_column, event_column = endpoint["time"], endpoint["event"]
    time = pd.to_numeric(sheet[time_column], errors="coerce")
    event = pd.to_numeric(sheet[event_column], errors="coerce")
    checks = (
        (
            sheet[time_column].notna() & ~np.isfinite(time.astype(float)),
            time_column,
            "is not a finite number",
        ),
        (time < 0, time_column, "is a negative time"),
        (sheet[event_column].notna() & ~event.isin([0, 1]), event_column, "is not an event code 1/0"),
        (event.notna() & time.isna(), time_column, "is missing while the event status is known"),
    )
    for mask, column, problem in checks:
        if mask.any():
            sample = mask.index[mask.to_numpy().argmax()]
            raise InputError(
                path,
                f"endpoint {endpoint['name']}: sample {sample}: {column} '{sheet.at[sample, column]}' "
                f"{problem}",
                f"code {time_column} as the follow-up time (>= 0) and {event_column} as 1 (event) or 0 "
                "(censored), NA when unknown",
                where=f"column '{column}'",
            )


# ---- normalisation against the locked reference ------------------------------------------------


def reference_of(model: Mapping[str, Any]) -> normalise.Reference | None:
    """The locked normalisation reference (None for expression values)."""
    norm = model["normalisation"]
    if norm["estimator"] == "none":
        return None
    means = norm["log_geometric_means"]
    return normalise.Reference(
        norm["estimator"],
        pd.Series(means, dtype=float) if means else None,
        norm["scale"],
    )


def normalise_cohort(
    counts: pd.DataFrame, model: Mapping[str, Any], table: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, str]:
    """The analysed validation samples' normalised and transformed values of the locked
    miRNAs, their size factors and the estimator, from ``counts`` (every harmonised miRNA
    x the analysed samples) and the LOCKED reference: nothing is estimated from the new
    cohort. A sample without a positive count in any reference miRNA has no size factor
    and is an :class:`InputError`."""
    locked = [m for m in model["mirnas"] if m in counts.index]
    ref = reference_of(model)
    if ref is None:
        values = counts.loc[locked]
        factors, estimator = (
            pd.Series(1.0, index=counts.columns, name="size_factor"),
            "none (expression values)",
        )
    else:
        # locked miRNAs the table does not list count as not detected (0): ratios use positive counts only
        every = counts.reindex(model["mirnas"], fill_value=0)
        factors = normalise.size_factors_from_reference(every, ref, counts.sum(axis=0))
        estimator = ref.estimator
        bad = factors.index[~np.isfinite(factors.to_numpy()) | (factors.to_numpy() <= 0)]
        if len(bad):
            raise InputError(
                table,
                f"{len(bad)} sample(s) have no positive count in any of the locked reference miRNAs, so no "
                f"size factor: {_shown([str(s) for s in bad])}",
                "exclude them with validation.exclude (they are empty or failed libraries)",
            )
        values = normalise.normalise(counts.loc[locked], factors)
    transformed = normalise.transform(values, model["counts"]["transform"])
    return values, transformed, factors, estimator


# ---- diagnostic markers at their locked cut-offs ------------------------------------------------


def _groups(values: pd.DataFrame, labels: pd.Series, mirna: str) -> tuple[np.ndarray, np.ndarray]:
    row = values.loc[mirna, labels.index].to_numpy(dtype=float)
    return row[(labels == CASE).to_numpy()], row[(labels == CONTROL).to_numpy()]


def positive_calls(values: pd.Series, direction: str, cutoff: float) -> pd.Series:
    """Positive at a locked cut-off: value >= cut-off (direction '<'), <= (direction '>')."""
    return values >= cutoff if direction == "<" else values <= cutoff


def marker_calls(
    values: pd.DataFrame, labels: pd.Series, markers: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """Every analysed sample's call per marker at its locked cut-off (long table; markers
    without a locked cut-off have none)."""
    frames = []
    for marker in markers:
        if marker["cutoff"] is None:
            continue
        row = values.loc[marker["mirna"], labels.index].astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "sample": labels.index,
                    "group": labels.to_numpy(),
                    "mirna": marker["mirna"],
                    "value": row.to_numpy(),
                    "cutoff": marker["cutoff"],
                    "positive": positive_calls(row, marker["direction"], marker["cutoff"]).to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CALL_COLUMNS)


def marker_table(
    values: pd.DataFrame,
    labels: pd.Series,
    markers: Sequence[Mapping[str, Any]],
    prevalence: float | None,
) -> pd.DataFrame:
    """One row per locked marker: AUC with DeLong CI in the LOCKED direction, and at the
    LOCKED cut-off the 2x2 table, sensitivity, specificity, PPV and NPV with exact CIs
    (and PPV/NPV at ``prevalence`` when given), beside the discovery estimates."""
    rows = []
    for marker in markers:
        cases, controls = _groups(values, labels, marker["mirna"])
        row: dict[str, Any] = {
            "mirna": marker["mirna"],
            "direction": marker["direction"],
            "cutoff": marker["cutoff"],
            "prevalence": prevalence,
            "n_case": len(cases),
            "n_control": len(controls),
            "discovery_auc": marker["auc"],
            "discovery_sensitivity": marker["sensitivity"],
            "discovery_specificity": marker["specificity"],
            "reason": "",
        }
        row |= validation.auc_fixed_direction(cases, controls, marker["direction"])
        if marker["cutoff"] is None:
            row["reason"] = "no locked cut-off (the marker did not vary in discovery)"
        else:
            positive = positive_calls(
                values.loc[marker["mirna"], labels.index].astype(float), marker["direction"], marker["cutoff"]
            ).to_numpy(dtype=bool)
            row |= validation.binary_metrics(positive, (labels == CASE).to_numpy(dtype=bool), prevalence)
        rows.append(row)
    return pd.DataFrame(rows, columns=MARKER_COLUMNS)


# ---- the panel: locked coefficients -------------------------------------------------------------


def panel_design(transformed: pd.DataFrame, coded: pd.DataFrame, panel: Mapping[str, Any]) -> pd.DataFrame:
    """The panel's terms per sample, as discovery built them (markers on the transformed
    scale; covariates coded with the locked scaling and levels); samples missing a
    covariate are left out."""
    columns = {}
    for term in panel["terms"]:
        if term["kind"] == "marker":
            columns[term["name"]] = transformed.loc[term["name"], coded.index].astype(float)
        elif term["kind"] == "continuous":
            columns[term["name"]] = coded[term["covariate"]].astype(float)
        elif term["kind"] == "code":
            text = coded[term["covariate"]]
            columns[term["name"]] = pd.to_numeric(text.replace({"True": "1", "False": "0"}), errors="coerce")
        else:
            text = coded[term["covariate"]]
            columns[term["name"]] = (text == term["level"]).astype(float).where(text.notna())
    return pd.DataFrame(columns, index=coded.index).dropna()


def panel_predictions(x: pd.DataFrame, labels: pd.Series, panel: Mapping[str, Any]) -> pd.DataFrame:
    """Linear predictor (intercept + terms x locked coefficients, as the discovery fit's
    own prediction) and predicted probability of every sample of ``x``."""
    coefficients = np.array([t["coefficient"] for t in panel["terms"]], dtype=float)
    linear = x.to_numpy(dtype=float) @ coefficients + panel["intercept"]
    group = labels[x.index]
    return pd.DataFrame(
        {
            "sample": x.index,
            "group": group.to_numpy(),
            "outcome": (group == CASE).astype(int).to_numpy(),
            "linear_predictor": linear,
            "predicted_probability": expit(linear),
        },
        columns=PREDICTION_COLUMNS,
    )


def panel_row(model: Mapping[str, Any], predictions: pd.DataFrame | None, n_missing: int = 0) -> pd.DataFrame:
    """The panel's validation: AUC (DeLong CI), calibration-in-the-large and slope with
    CIs, Brier score and the lowess calibration errors; NA and the reason without a
    locked panel."""
    panel = model["panel"]
    row: dict[str, Any] = {"n_missing_covariates": n_missing}
    if panel is None or predictions is None:
        row |= {
            "markers": ";".join(m["mirna"] for m in model["markers"]),
            "reason": f"no locked panel: {model['panel_reason']}",
        }
        return pd.DataFrame([row], columns=PANEL_COLUMNS)
    y = predictions["outcome"].to_numpy(dtype=float)
    p = predictions["predicted_probability"].to_numpy(dtype=float)
    row |= {
        "markers": ";".join(panel["markers"]),
        "covariates": ";".join(panel["covariates"]),
        "n_case": int(y.sum()),
        "n_control": int(len(y) - y.sum()),
        "discovery_auc_cv": panel["auc_cv"],
        "discovery_auc_apparent": panel["auc_apparent"],
    }
    row |= validation.auc_fixed_direction(p[y == 1], p[y == 0], "<")
    fit = validation.calibration(y, p)
    reasons = [
        f"{name}: {fit[f'{name}_reason']}"
        for name in ("calibration_intercept", "calibration_slope")
        if fit[f"{name}_reason"]
    ]
    row |= {k: v for k, v in fit.items() if k in PANEL_COLUMNS}
    row |= validation.calibration_errors(y, p)
    if n_missing:
        reasons.append(f"{n_missing} sample(s) without a panel covariate left out")
    row["reason"] = "; ".join(reasons)
    return pd.DataFrame([row], columns=PANEL_COLUMNS)


# ---- decision and calibration curves ------------------------------------------------------------


def decision_curves(
    labels: pd.Series, calls: pd.DataFrame, predictions: pd.DataFrame, prevalence: float | None
) -> pd.DataFrame:
    """Net benefit (model, threshold, net_benefit) of the panel (its predicted
    probabilities), of each marker as a binary test at its locked cut-off, of treating all
    and of treating none, at :data:`THRESHOLDS`; at ``prevalence`` when given (a
    case-control cohort's own case fraction is not a prevalence)."""
    frames = []
    if not predictions.empty:
        y = predictions["outcome"].to_numpy(dtype=float)
        p = predictions["predicted_probability"].to_numpy(dtype=float)
        frames.append(validation.net_benefit(y, p, THRESHOLDS, prevalence).assign(model=PANEL))
    y = (labels == CASE).to_numpy(dtype=float)
    tests = {
        mirna: rows.set_index("sample").loc[labels.index, "positive"].to_numpy(dtype=float)
        for mirna, rows in calls.groupby("mirna", sort=False)
    }
    frames.append(validation.decision_curve(y, tests, THRESHOLDS, prevalence))
    return pd.concat(frames, ignore_index=True)[["model", "threshold", "net_benefit"]]


def calibration_curve(predictions: pd.DataFrame) -> pd.DataFrame:
    """The smoothed (lowess, as rms val.prob) calibration curve of the panel's predictions."""
    if predictions.empty:
        return pd.DataFrame(columns=["predicted", "observed"])
    return validation.calibration_curve(
        predictions["outcome"].to_numpy(dtype=float),
        predictions["predicted_probability"].to_numpy(dtype=float),
    )


# ---- prognosis at the locked cut-offs -----------------------------------------------------------


def _no_split(endpoint: str, mirna: str, n: int, events: int, cutoff: float | None, reason: str) -> dict:
    return {
        "endpoint": endpoint,
        "mirna": mirna,
        "stratum": np.nan,
        "n": n,
        "events": events,
        "cutoff": np.nan if cutoff is None else cutoff,
        "reason": reason,
    }


def endpoint_data(sheet: pd.DataFrame, samples: pd.Index, endpoint: Mapping[str, Any]) -> prognostic.Endpoint:
    """A locked endpoint's times and events on the validation population; empty when the
    validation sheet lacks its time or event column (the KM table says so)."""
    if endpoint["time"] not in sheet.columns or endpoint["event"] not in sheet.columns:
        empty = pd.Series(dtype=float, name=endpoint["time"])
        return prognostic.Endpoint(endpoint["name"], empty, empty.astype(int), endpoint["landmark"])
    settings = EndpointSettings(endpoint["time"], endpoint["event"], endpoint["landmark"])
    return prognostic.endpoint_data(sheet, endpoint["name"], settings, samples)


def prognostic_tables(
    sheet: pd.DataFrame, labels: pd.Series, values: pd.DataFrame, locked: Mapping[str, Any] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KM strata (the columns of results/prognostic/km.tsv) and Table 5 at the LOCKED
    prognostic cut-offs (high = value >= cut-off), no new search: the maxstat columns are
    NA. An endpoint whose columns the validation sheet lacks gets one row per marker with
    the reason."""
    km_frames, tables = [], []
    if locked is None:
        return pd.DataFrame(columns=prognostic.KM_COLUMNS), pd.DataFrame(columns=TABLE5_COLUMNS)
    samples = prognostic.population(labels, locked["population"])
    ci_transform = locked["ci_transform"]
    for endpoint in locked["endpoints"]:
        name = endpoint["name"]
        absent = [c for c in (endpoint["time"], endpoint["event"]) if c not in sheet.columns]
        if absent:
            reason = f"the validation sheet has no column {' and no column '.join(absent)}"
            log.warning("%s: %s: no KM at the locked cut-offs", name, reason)
            rows = [_no_split(name, c["mirna"], 0, 0, c["cutoff"], reason) for c in endpoint["cutoffs"]]
            km_frames.append(pd.DataFrame(rows, columns=prognostic.KM_COLUMNS))
            continue
        data = endpoint_data(sheet, samples, endpoint)
        rows = []
        for cut in endpoint["cutoffs"]:
            marker = values.loc[cut["mirna"], data.time.index].astype(float)
            reason = prognostic.dead_end(data, cut["mirna"], marker)
            if cut["cutoff"] is None:
                reason = f"no locked cut-off ({cut['reason'] or 'none in discovery'})"
            if reason:
                rows.append(
                    _no_split(
                        name, cut["mirna"], len(data.time), int(data.event.sum()), cut["cutoff"], reason
                    )
                )
                continue
            strata = prognostic.stratify(data, marker, cut["cutoff"], ci_transform, np.nan, np.nan)
            rows += [{"mirna": cut["mirna"]} | r | {"maxstat_p_method": np.nan} for r in strata]
        frame = pd.DataFrame(rows, columns=prognostic.KM_COLUMNS)
        km_frames.append(frame)
        tables.append(prognostic.table5(data, frame, ci_transform, "All patients"))
    km = pd.concat(km_frames, ignore_index=True) if km_frames else pd.DataFrame(columns=prognostic.KM_COLUMNS)
    return km, pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=TABLE5_COLUMNS)


def model_summary(model: Mapping[str, Any], path: str | Path) -> str:
    """One line naming the model for the log."""
    return (
        f"locked model {path} (content_sha256 {model['content_sha256'][:12]}..., workflow "
        f"{model['provenance']['workflow_version']}): {len(model['markers'])} marker(s), "
        f"panel {'yes' if model['panel'] else 'no'}, {len(model['mirnas'])} miRNAs"
    )
