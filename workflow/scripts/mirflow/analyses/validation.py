"""External validation (SPEC stage 8): a LOCKED model applied, unchanged, to a new cohort.

Nothing is fitted or chosen here. The new samples are normalised against the locked
reference (no size factors refitted on the new cohort), each
marker is called positive or negative at its locked cut-off in its locked direction, the
panel's locked coefficients give each sample a predicted probability, and the prognostic
cut-offs split the patients as they were locked; then :mod:`mirflow.stats.validation`
measures how that performs (AUC in the locked direction, 2x2 tables with exact CIs,
calibration, decision curves) and :mod:`mirflow.analyses.prognostic` draws the KM strata.

The cohort's checks and normalisation are :mod:`mirflow.analyses.validation_cohort`.

Decision curves treat each marker as the binary test it is at its locked cut-off (positive
= treat): its net benefit TP/n - FP/n x t/(1 - t) at every threshold probability t. A
curve from the marker's ranking would need its values turned into probabilities, i.e. a
model fitted on the validation cohort, which is what locking rules out; the panel, which
predicts probabilities, gets the usual curve.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from mirflow.analyses import prognostic
from mirflow.analyses.lock import (
    LockedEndpoint,
    LockedMarker,
    LockedModel,
    LockedPanel,
    LockedPrognostic,
)
from mirflow.groups import CASE, CONTROL
from mirflow.settings import EndpointSettings
from mirflow.stats import validation

log = logging.getLogger(__name__)
# Threshold probabilities of the decision curves (dcurves' default grid without 0 and 1).
THRESHOLDS = np.round(np.arange(1, 100) / 100, 2)
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


# ---- diagnostic markers at their locked cut-offs ------------------------------------------------


def _groups(values: pd.DataFrame, labels: pd.Series, mirna: str) -> tuple[np.ndarray, np.ndarray]:
    row = values.loc[mirna, labels.index].to_numpy(dtype=float)
    return row[(labels == CASE).to_numpy()], row[(labels == CONTROL).to_numpy()]


def positive_calls(values: pd.Series, direction: str, cutoff: float) -> pd.Series:
    """Positive at a locked cut-off: value >= cut-off (direction '<'), <= (direction '>')."""
    return values >= cutoff if direction == "<" else values <= cutoff


def marker_calls(values: pd.DataFrame, labels: pd.Series, markers: Sequence[LockedMarker]) -> pd.DataFrame:
    """Every analysed sample's call per marker at its locked cut-off (long table; markers
    without a locked cut-off have none)."""
    frames = []
    for marker in markers:
        if marker.cutoff is None:
            continue
        row = values.loc[marker.mirna, labels.index].astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "sample": labels.index,
                    "group": labels.to_numpy(),
                    "mirna": marker.mirna,
                    "value": row.to_numpy(),
                    "cutoff": marker.cutoff,
                    "positive": positive_calls(row, marker.direction, marker.cutoff).to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CALL_COLUMNS)


def marker_table(
    values: pd.DataFrame,
    labels: pd.Series,
    markers: Sequence[LockedMarker],
    prevalence: float | None,
) -> pd.DataFrame:
    """One row per locked marker: AUC with DeLong CI in the LOCKED direction, and at the
    LOCKED cut-off the 2x2 table, sensitivity, specificity, PPV and NPV with exact CIs
    (and PPV/NPV at ``prevalence`` when given), beside the discovery estimates."""
    rows = []
    for marker in markers:
        cases, controls = _groups(values, labels, marker.mirna)
        row: dict[str, Any] = {
            "mirna": marker.mirna,
            "direction": marker.direction,
            "cutoff": marker.cutoff,
            "prevalence": prevalence,
            "n_case": len(cases),
            "n_control": len(controls),
            "discovery_auc": marker.auc,
            "discovery_sensitivity": marker.sensitivity,
            "discovery_specificity": marker.specificity,
            "reason": "",
        }
        row |= validation.auc_fixed_direction(cases, controls, marker.direction)
        measured = np.concatenate([cases, controls])
        if measured.size and np.ptp(measured) == 0:
            row["reason"] = (
                f"the same value ({measured[0]:g}) in all {measured.size} samples"
                f"{' (never detected)' if measured[0] == 0 else ''}: the AUC of 0.5 and the 2x2 table say "
                "nothing about the marker; check the assay or the count table"
            )
            log.warning("%s: %s", marker.mirna, row["reason"])
        if marker.cutoff is None:
            row["reason"] = "; ".join(
                filter(None, ["no locked cut-off (the marker did not vary in discovery)", row["reason"]])
            )
        else:
            positive = positive_calls(
                values.loc[marker.mirna, labels.index].astype(float), marker.direction, marker.cutoff
            ).to_numpy(dtype=bool)
            row |= validation.binary_metrics(positive, (labels == CASE).to_numpy(dtype=bool), prevalence)
        rows.append(row)
    return pd.DataFrame(rows, columns=MARKER_COLUMNS)


# ---- the panel: locked coefficients -------------------------------------------------------------


def panel_design(transformed: pd.DataFrame, coded: pd.DataFrame, panel: LockedPanel) -> pd.DataFrame:
    """The panel's terms per sample, as discovery built them (markers on the transformed
    scale; covariates coded with the locked scaling and levels); samples missing a
    covariate are left out."""
    columns = {}
    for term in panel.terms:
        if term.kind == "marker":
            columns[term.name] = transformed.loc[term.name, coded.index].astype(float)
        elif term.kind == "continuous":
            columns[term.name] = coded[term.covariate].astype(float)
        elif term.kind == "code":
            text = coded[term.covariate]
            columns[term.name] = pd.to_numeric(text.replace({"True": "1", "False": "0"}), errors="coerce")
        else:
            text = coded[term.covariate]
            columns[term.name] = (text == term.level).astype(float).where(text.notna())
    return pd.DataFrame(columns, index=coded.index).dropna()


def panel_predictions(x: pd.DataFrame, labels: pd.Series, panel: LockedPanel) -> pd.DataFrame:
    """Linear predictor (intercept + terms x locked coefficients, as the discovery fit's
    own prediction) and predicted probability of every sample of ``x``."""
    coefficients = np.array([t.coefficient for t in panel.terms], dtype=float)
    linear = x.to_numpy(dtype=float) @ coefficients + panel.intercept
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


def panel_row(
    model: LockedModel,
    predictions: pd.DataFrame | None,
    n_missing: int = 0,
    covariate_notes: Sequence[str] = (),
) -> pd.DataFrame:
    """The panel's validation: AUC (DeLong CI), calibration-in-the-large and slope with
    CIs, Brier score and the lowess calibration errors; NA and the reason without a
    locked panel. ``covariate_notes``: what looks wrong with a panel covariate's values
    (another unit than in discovery: the predictions are then wrong without any error),
    carried into ``reason`` beside the estimates."""
    panel = model.panel
    row: dict[str, Any] = {"n_missing_covariates": n_missing}
    if panel is None or predictions is None:
        row |= {
            "markers": ";".join(m.mirna for m in model.markers),
            "reason": f"no locked panel: {model.panel_reason}",
        }
        return pd.DataFrame([row], columns=PANEL_COLUMNS)
    y = predictions["outcome"].to_numpy(dtype=float)
    p = predictions["predicted_probability"].to_numpy(dtype=float)
    row |= {
        "markers": ";".join(panel.markers),
        "covariates": ";".join(panel.covariates),
        "n_case": int(y.sum()),
        "n_control": int(len(y) - y.sum()),
        "discovery_auc_cv": panel.auc_cv,
        "discovery_auc_apparent": panel.auc_apparent,
    }
    if not (y == 1).any() or not (y == 0).any():
        row["reason"] = (
            f"the locked panel scored {int(y.sum())} case(s) and {int(len(y) - y.sum())} control(s): "
            "its AUC and calibration need both"
            + (f" ({n_missing} sample(s) without a panel covariate left out)" if n_missing else "")
        )
        row["reason"] = "; ".join([row["reason"], *covariate_notes])
        return pd.DataFrame([row], columns=PANEL_COLUMNS)
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
    row["reason"] = "; ".join([*reasons, *covariate_notes])
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


def endpoint_data(sheet: pd.DataFrame, samples: pd.Index, endpoint: LockedEndpoint) -> prognostic.Endpoint:
    """A locked endpoint's times and events on the validation population; empty when the
    validation sheet lacks its time or event column (the KM table says so)."""
    if endpoint.time not in sheet.columns or endpoint.event not in sheet.columns:
        empty = pd.Series(dtype=float, name=endpoint.time)
        return prognostic.Endpoint(endpoint.name, empty, empty.astype(int), endpoint.landmark)
    settings = EndpointSettings(endpoint.time, endpoint.event, endpoint.landmark)
    return prognostic.endpoint_data(sheet, endpoint.name, settings, samples)


def prognostic_tables(
    sheet: pd.DataFrame, labels: pd.Series, values: pd.DataFrame, locked: LockedPrognostic | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KM strata (the columns of results/prognostic/km.tsv) and Table 5 at the LOCKED
    prognostic cut-offs (high = value >= cut-off), no new search: the maxstat columns are
    NA. An endpoint whose columns the validation sheet lacks gets one row per marker with
    the reason."""
    km_frames, tables = [], []
    if locked is None:
        return pd.DataFrame(columns=prognostic.KM_COLUMNS), pd.DataFrame(columns=TABLE5_COLUMNS)
    samples = prognostic.population(labels, locked.population)
    ci_transform = locked.ci_transform
    for endpoint in locked.endpoints:
        name = endpoint.name
        absent = [c for c in (endpoint.time, endpoint.event) if c not in sheet.columns]
        if absent:
            reason = f"the validation sheet has no column {' and no column '.join(absent)}"
            log.warning("%s: %s: no KM at the locked cut-offs", name, reason)
            rows = [_no_split(name, c.mirna, 0, 0, c.cutoff, reason) for c in endpoint.cutoffs]
            km_frames.append(pd.DataFrame(rows, columns=prognostic.KM_COLUMNS))
            continue
        data = endpoint_data(sheet, samples, endpoint)
        rows = []
        for cut in endpoint.cutoffs:
            marker = values.loc[cut.mirna, data.time.index].astype(float)
            reason = prognostic.dead_end(data, cut.mirna, marker)
            if cut.cutoff is None:
                reason = f"no locked cut-off ({cut.reason or 'none in discovery'})"
            if reason:
                rows.append(
                    _no_split(name, cut.mirna, len(data.time), int(data.event.sum()), cut.cutoff, reason)
                )
                continue
            strata = prognostic.stratify(data, marker, cut.cutoff, ci_transform, np.nan, np.nan)
            rows += [{"mirna": cut.mirna} | r | {"maxstat_p_method": np.nan} for r in strata]
        frame = pd.DataFrame(rows, columns=prognostic.KM_COLUMNS)
        km_frames.append(frame)
        tables.append(prognostic.table5(data, frame, ci_transform, "All patients"))
    km = pd.concat(km_frames, ignore_index=True) if km_frames else pd.DataFrame(columns=prognostic.KM_COLUMNS)
    return km, pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=TABLE5_COLUMNS)
