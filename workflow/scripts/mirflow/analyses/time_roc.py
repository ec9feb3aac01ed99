"""Time-dependent accuracy of the prognostic markers under censoring (SPEC stage 10).

The landmark ROC of stage 7 drops the patients censored before the landmark; here they are
weighted for instead (inverse probability of censoring weights, :mod:`mirflow.stats.time_roc`),
at the landmark and over a grid of times:

- **AUC(t)**, cumulative/dynamic: patients with an event by t (cases) against patients still
  event-free after t (controls), for each marker and for the locked panel's linear predictor.
  The direction is fixed in advance, as the landmark ROC's: a higher value is a higher risk
  (an earlier event), so an AUC below 0.5 means a protective marker; nothing is chosen on the
  data.
- **Grid** (``survival.time_grid`` = k): the quantiles 1/(k+1), ..., k/(k+1) of the observed
  event times (type 1, so each is an observed event time; ties merged), plus the landmark.
  Every grid time has cases (at least a 1/(k+1) share of the events) and, below the last event,
  controls; an evenly spaced grid would put times where nothing happens and start at the first
  event, where AUC(t) rests on one case.
- **Uno's C and the Brier score of the prognostic Cox models** (univariable, and adjusted for
  ``survival.adjust_for`` when set; the panel's linear predictor as the one covariate of its
  own Cox model): Uno's C of the model's linear predictor up to tau = the grid's last time,
  and the IPCW Brier score at the landmark of its predicted S(landmark | x)
  (:mod:`mirflow.stats.cox_prediction`) beside the Kaplan-Meier null model's (the reference a
  model must beat). Both are apparent: fitted and evaluated on the same patients. Each
  univariable model is kept for the lock (coefficient, centre, baseline cumulative hazard up
  to the landmark: :func:`baseline_rows`), so that validation scores it on a new cohort as it
  is (:func:`locked_cox_scores`: Uno's C, Brier and IPA, nothing refitted).
- **Competing risks** (an endpoint's ``competing_event``): Aalen-Johansen cumulative
  incidence of the event and of the competing event per stratum at the marker's cut-off, and
  Gray's test of the event's incidence between the strata. The Kaplan-Meier-based estimates
  (KM, landmark ROC, the IPCW weights above) count a competing event as a censoring, and their
  tables say so in ``note``.

An estimate the data do not allow (no patients, no events, a constant marker, no case or no
control at t, a Cox fit that fails) is NA with a ``reason``; the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mirflow.analyses.prognostic import Endpoint, dead_end
from mirflow.stats import time_roc as ipcw
from mirflow.stats.cox_prediction import CoxPrediction, fit_cox

log = logging.getLogger(__name__)

PANEL = "panel"
LEVEL = 0.95
TIME_ROC_COLUMNS = [
    "endpoint",
    "mirna",
    "time",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "n_cases",
    "n_controls",
    "reason",
    "se",
    "evaluated_at",
    "censoring_weight_min",
    "landmark",
    "n",
    "events",
    "note",
]
CONCORDANCE_COLUMNS = [
    "endpoint",
    "mirna",
    "model",
    "uno_c",
    "ci_low",
    "ci_high",
    "tau",
    "brier",
    "brier_reference",
    "time",
    "uno_c_se",
    "n_events_tau",
    "brier_se",
    "brier_ci_low",
    "brier_ci_high",
    "brier_reference_se",
    "ipa",
    "evaluated_at",
    "censoring_weight_min",
    "hazard_ratio",
    "n",
    "events",
    "adjusted_for",
    "reason",
    "note",
]
# the univariable Cox models that the lock holds (:func:`baseline_rows`)
BASELINE_COLUMNS = ["endpoint", "mirna", "coefficient", "centre", "time", "cumulative_hazard"]
CUMULATIVE_INCIDENCE_COLUMNS = [
    "endpoint",
    "mirna",
    "stratum",
    "time",
    "cif_event",
    "cif_competing",
    "event_free",
    "n",
    "cutoff",
]
GRAY_COLUMNS = [
    "endpoint",
    "mirna",
    "statistic",
    "df",
    "p_value",
    "reason",
    "cutoff",
    "n",
    "events",
    "competing_events",
]


# ---- the times ----------------------------------------------------------------------------------


def time_grid(time: np.ndarray, event: np.ndarray, size: int) -> np.ndarray:
    """``size`` times at the quantiles 1/(size+1), ..., size/(size+1) of the observed event
    times (type 1, the inverse of the empirical distribution: each is an observed event
    time), sorted, ties merged; empty without events."""
    events = np.sort(np.asarray(time, dtype=float)[np.asarray(event) == 1])
    if not events.size:
        return np.array([], dtype=float)
    probabilities = np.arange(1, size + 1) / (size + 1)
    return np.unique(np.quantile(events, probabilities, method="inverted_cdf"))


def evaluation_times(grid: np.ndarray, landmark: float) -> list[tuple[float, bool]]:
    """The grid and the landmark, sorted, each once, with whether it is the landmark."""
    return [(float(t), bool(t == landmark)) for t in np.union1d(grid, [float(landmark)])]


def _arrays(endpoint: Endpoint, patients: pd.Index | None = None) -> tuple[np.ndarray, np.ndarray]:
    index = endpoint.time.index if patients is None else patients
    return endpoint.time[index].to_numpy(dtype=float), endpoint.event[index].to_numpy(dtype=float)


# ---- AUC(t) -------------------------------------------------------------------------------------


def auc_rows(
    endpoint: Endpoint, name: str, score: pd.Series, grid: np.ndarray, note: str = ""
) -> list[dict[str, Any]]:
    """AUC(t) of one score (a marker, or the panel's linear predictor; higher = risk) at the
    grid and the landmark, on the endpoint's patients that have a score."""
    patients = endpoint.time.index.intersection(score.dropna().index, sort=False)
    sub = Endpoint(endpoint.name, endpoint.time[patients], endpoint.event[patients], endpoint.landmark)
    values = score[patients].astype(float)
    common = {
        "endpoint": endpoint.name,
        "mirna": name,
        "n": len(patients),
        "events": int(sub.event.sum()),
        "note": note,
    }
    reason = dead_end(sub, name, values)
    rows = []
    for t, is_landmark in evaluation_times(grid, endpoint.landmark):
        row = common | {"time": t, "landmark": is_landmark}
        if reason:
            rows.append(row | {"reason": reason})
            continue
        time, event = _arrays(sub)
        result = ipcw.time_auc(time, event, values.to_numpy(), t, higher_is_risk=True, level=LEVEL)
        rows.append(
            row
            | {
                "auc": result.auc,
                "auc_ci_low": result.lower,
                "auc_ci_high": result.upper,
                "se": result.se,
                "n_cases": result.n_cases,
                "n_controls": result.n_controls,
                "evaluated_at": result.evaluated_at,
                "censoring_weight_min": result.censoring_weight_min,
                "reason": result.reason,
            }
        )
    return rows


def auc_table(
    endpoint: Endpoint, scores: Mapping[str, pd.Series], grid_size: int, note: str = ""
) -> pd.DataFrame:
    """AUC(t) of every score of one endpoint on the endpoint's grid (:func:`time_grid` of all
    its patients, the same times for every score) and at its landmark."""
    grid = time_grid(*_arrays(endpoint), grid_size)
    rows = [row for name, score in scores.items() for row in auc_rows(endpoint, name, score, grid, note)]
    return pd.DataFrame(rows, columns=TIME_ROC_COLUMNS)


# ---- Uno's C and the Brier score ----------------------------------------------------------------


def tau_of(endpoint: Endpoint, grid_size: int) -> float:
    """Uno's C's truncation time: the last time of the endpoint's AUC(t) grid (inf without
    events)."""
    grid = time_grid(*_arrays(endpoint), grid_size)
    return float(grid[-1]) if grid.size else np.inf


def _wald(estimate: float, se: float) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + LEVEL / 2)
    if not np.isfinite(estimate) or not np.isfinite(se):
        return np.nan, np.nan
    return float(max(0.0, estimate - z * se)), float(min(1.0, estimate + z * se))


def _reference(time: np.ndarray, event: np.ndarray, landmark: float) -> dict[str, Any]:
    """The Kaplan-Meier null model's Brier score at the landmark."""
    null = ipcw.null_brier_score(time, event, landmark, level=LEVEL)
    return {
        "brier_reference": null.brier,
        "brier_reference_se": null.se,
        "evaluated_at": null.evaluated_at,
        "censoring_weight_min": null.censoring_weight_min,
    }


def _uno(time: np.ndarray, event: np.ndarray, risk: np.ndarray, tau: float) -> dict[str, Any]:
    uno = ipcw.uno_c(time, event, risk, tau)
    low, high = _wald(uno.concordance, uno.se)
    return {
        "uno_c": uno.concordance,
        "uno_c_se": uno.se,
        "ci_low": low,
        "ci_high": high,
        "n_events_tau": uno.n_events,
    }


def _design_problem(time: np.ndarray, event: np.ndarray, design: pd.DataFrame) -> str:
    """Why a Cox model cannot be fitted to the design ('' when it can)."""
    if len(time) == 0:
        return "no patients"
    if int(event.sum()) == 0:
        return f"no events among the {len(time)} patients"
    constant = [str(c) for c in design.columns if np.ptp(design[c].to_numpy(dtype=float)) == 0]
    if constant:
        return f"{', '.join(constant)} constant among the {len(time)} patients"
    return ""


def cox_scores(
    endpoint: Endpoint,
    name: str,
    model: str,
    design: pd.DataFrame,
    tau: float,
    adjusted_for: Sequence[str] = (),
    note: str = "",
    reason: str = "",
) -> tuple[dict[str, Any], CoxPrediction | None]:
    """One Cox model of the endpoint on ``design`` (rows = patients; its first column the
    marker or the panel's linear predictor): Uno's C of its linear predictor up to ``tau``
    and the Brier score at the landmark of its predicted S(landmark | x), with the Kaplan-Meier
    null model's Brier score and the index of prediction accuracy 1 - Brier / reference, on
    the patients of ``design`` (complete cases), and the fit. NA and the reason (and no fit)
    when it cannot be fitted (``reason``: a dead end already known)."""
    patients = endpoint.time.index.intersection(design.dropna().index, sort=False)
    time, event = _arrays(endpoint, patients)
    row: dict[str, Any] = {
        "endpoint": endpoint.name,
        "mirna": name,
        "model": model,
        "tau": tau,
        "time": endpoint.landmark,
        "n": len(patients),
        "events": int(event.sum()),
        "adjusted_for": ";".join(adjusted_for),
        "note": note,
    }
    design = design.loc[patients]
    reason = reason or _design_problem(time, event, design)
    if reason:
        if len(time):
            row |= _reference(time, event, endpoint.landmark)
        return row | {"reason": reason}, None
    row |= _reference(time, event, endpoint.landmark)
    try:
        fit = fit_cox(time, event, design.to_numpy(dtype=float))
    except (np.linalg.LinAlgError, ValueError, FloatingPointError, ZeroDivisionError) as error:
        return row | {"reason": f"Cox fit failed ({type(error).__name__}: {error})"}, None
    if not np.isfinite(fit.coefficients).all() or not np.isfinite(fit.cumulative_hazard).all():
        return row | {"reason": "Cox fit did not converge (non-finite coefficients)"}, None
    row["hazard_ratio"] = float(np.exp(fit.coefficients[0]))
    return _prediction_scores(row, time, event, fit, tau, endpoint.landmark), fit


def _prediction_scores(
    row: dict[str, Any], time: np.ndarray, event: np.ndarray, fit: CoxPrediction, tau: float, landmark: float
) -> dict[str, Any]:
    """``row`` (with the Kaplan-Meier reference) completed with Uno's C of the model's linear
    predictor up to ``tau``, the Brier score at the landmark of its predicted S(landmark | x)
    (at the evaluated time when the censoring survival reaches 0 before it) and the IPA."""
    row |= _uno(time, event, fit.linear_predictor, tau)
    at = row["evaluated_at"]
    brier = ipcw.brier_score(
        time, event, fit.survival(at if np.isfinite(at) else landmark), landmark, level=LEVEL
    )
    return row | {
        "brier": brier.brier,
        "brier_se": brier.se,
        "brier_ci_low": brier.lower,
        "brier_ci_high": brier.upper,
        "ipa": 1.0 - brier.brier / row["brier_reference"] if row["brier_reference"] > 0 else np.nan,
        "reason": "; ".join(filter(None, [brier.reason, row.get("reason", "")])),
    }


def baseline_rows(endpoint: str, name: str, fit: CoxPrediction, landmark: float) -> list[dict[str, Any]]:
    """A univariable Cox model as the lock holds it, so that validation can predict
    S(t | x) = exp(-H0(t) exp(b x - centre)) for t up to the landmark without refitting: its
    coefficient b, the discovery centre of b x, and the Efron baseline cumulative hazard H0 at
    0 and at each event time up to the landmark (a right-continuous step function)."""
    keep = fit.times <= landmark
    times, hazards = fit.times[keep], fit.cumulative_hazard[keep]
    if not times.size or times[0] > 0:
        times, hazards = np.r_[0.0, times], np.r_[0.0, hazards]
    common = {
        "endpoint": endpoint,
        "mirna": name,
        "coefficient": float(fit.coefficients[0]),
        "centre": fit.centre,
    }
    return [
        common | {"time": float(t), "cumulative_hazard": float(h)}
        for t, h in zip(times, hazards, strict=True)
    ]


def _scored_as_is(
    endpoint: Endpoint, name: str, values: pd.Series, model: str, tau: float, note: str
) -> tuple[dict[str, Any], np.ndarray, np.ndarray, np.ndarray, str]:
    """A score evaluated as it is (nothing fitted) on the endpoint's patients with a value:
    the row so far (with the Kaplan-Meier reference when there are patients), their times,
    events and values, and why it cannot be scored ('' when it can)."""
    patients = endpoint.time.index.intersection(values.dropna().index, sort=False)
    time, event = _arrays(endpoint, patients)
    row: dict[str, Any] = {
        "endpoint": endpoint.name,
        "mirna": name,
        "model": model,
        "tau": tau,
        "time": endpoint.landmark,
        "n": len(patients),
        "events": int(event.sum()),
        "adjusted_for": "",
        "note": note,
    }
    x = values[patients].astype(float)
    sub = Endpoint(endpoint.name, endpoint.time[patients], endpoint.event[patients], endpoint.landmark)
    if len(time):
        row |= _reference(time, event, endpoint.landmark)
    return row, time, event, x.to_numpy(), dead_end(sub, name, x)


def locked_cox_scores(
    endpoint: Endpoint,
    name: str,
    values: pd.Series,
    coefficient: float,
    centre: float,
    times: Sequence[float],
    cumulative_hazard: Sequence[float],
    tau: float,
    note: str = "",
) -> dict[str, Any]:
    """A locked univariable Cox model (as :func:`baseline_rows` keeps it: S(t | x) =
    exp(-H0(t) exp(coefficient x - centre)), H0 = ``cumulative_hazard`` at ``times``) scored
    on a new cohort, nothing refitted: Uno's C of b x up to ``tau``, the Brier score at the
    landmark of its predicted S(landmark | x) with the cohort's Kaplan-Meier reference and
    the IPA, on the endpoint's patients with a value (``values`` on the scale the model was
    fitted on)."""
    row, time, event, x, reason = _scored_as_is(endpoint, name, values, "locked_cox", tau, note)
    row["hazard_ratio"] = float(np.exp(coefficient))
    if reason:
        return row | {"reason": reason}
    fit = CoxPrediction(
        np.array([coefficient]),
        centre,
        coefficient * x - centre,
        np.asarray(times, dtype=float),
        np.asarray(cumulative_hazard, dtype=float),
    )
    return _prediction_scores(row, time, event, fit, tau, endpoint.landmark)


def score_concordance(
    endpoint: Endpoint, name: str, score: pd.Series, tau: float, why_no_brier: str, note: str = ""
) -> dict[str, Any]:
    """Uno's C of a score as it is (higher = risk; nothing fitted, as validation needs) up to
    ``tau``, with the Kaplan-Meier null model's Brier score at the landmark; the score's own
    Brier score is NA with ``why_no_brier`` (a score is not a predicted probability)."""
    row, time, event, x, reason = _scored_as_is(endpoint, name, score, "locked_score", tau, note)
    if reason:
        return row | {"reason": reason}
    return row | _uno(time, event, x, tau) | {"reason": why_no_brier}


def marker_designs(
    mirna: str, values: pd.Series, clinical: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, list[str]]]:
    """The Cox designs of a marker as :func:`mirflow.analyses.prognostic.cox_rows` builds
    them: ``univariable`` (the transformed marker) and, with clinical columns, ``adjusted``
    (complete cases; categorical columns as 0/1 indicators, the first level the reference),
    each with the clinical columns it adjusts for."""
    designs = [("univariable", values.rename(mirna).to_frame(), [])]
    if clinical.shape[1]:
        frame = pd.concat([values.rename(mirna), clinical.loc[values.index]], axis=1).dropna()
        designs.append(
            (
                "adjusted",
                pd.get_dummies(frame, drop_first=True, dtype=float),
                [str(c) for c in clinical.columns],
            )
        )
    return designs


# ---- the panel's linear predictor ---------------------------------------------------------------


def panel_linear_predictor(
    transformed: pd.DataFrame, covariates: pd.DataFrame, model: pd.DataFrame, samples: Sequence[str]
) -> pd.Series:
    """The locked panel's linear predictor (intercept + terms x coefficients of
    ``results/diagnostic/panel_model.tsv``, nothing refitted) of ``samples``: markers on the
    transformed scale, covariates as ``results/cohort/covariates.tsv`` holds them (a
    ``level`` term is the 0/1 indicator of its level). Samples missing a term are left out."""
    samples = pd.Index(samples)
    columns, coefficients, intercept = {}, [], 0.0
    for row in model.itertuples(index=False):
        if row.kind == "intercept":
            intercept = float(row.coefficient)
            continue
        if row.kind == "marker":
            column = transformed.loc[row.term, samples].astype(float)
        elif row.kind == "covariate":
            column = pd.to_numeric(covariates.loc[samples, row.covariate], errors="coerce").astype(float)
        else:
            text = covariates.loc[samples, row.covariate]
            column = (text.astype(str) == str(row.level)).astype(float).where(text.notna())
        columns[row.term] = column
        coefficients.append(float(row.coefficient))
    x = pd.DataFrame(columns, index=samples).dropna()
    return pd.Series(
        x.to_numpy(dtype=float) @ np.asarray(coefficients) + intercept, index=x.index, name=PANEL
    )


# ---- competing risks ----------------------------------------------------------------------------


def competing_status(endpoint: Endpoint, competing: pd.Series) -> pd.Series:
    """Per patient of the endpoint: 1 = the endpoint's event, 2 = the competing event
    (``competing`` 1 without the event), 0 = censored; patients without an event whose
    competing status is unknown are left out (logged)."""
    flag = pd.to_numeric(competing.reindex(endpoint.time.index), errors="coerce")
    event = endpoint.event
    status = pd.Series(np.where(event == 1, 1, np.where(flag == 1, 2, 0)), index=event.index)
    unknown = (event != 1) & flag.isna()
    if unknown.any():
        log.warning(
            "%s: %d patient(s) without the event and with an unknown competing status left out of the "
            "competing-risks analysis: %s",
            endpoint.name,
            int(unknown.sum()),
            ", ".join(map(str, unknown.index[unknown])),
        )
    return status[~unknown].astype(int)


def _incidence(
    endpoint: str, mirna: str, stratum: str, time: np.ndarray, status: np.ndarray, cutoff: float
) -> pd.DataFrame:
    """Aalen-Johansen curves of one stratum at 0 and at each of its distinct times."""
    times = np.union1d([0.0], time)
    curve = ipcw.aalen_johansen(time, status, times, causes=[1, 2])
    return pd.DataFrame(
        {
            "endpoint": endpoint,
            "mirna": mirna,
            "stratum": stratum,
            "time": curve["t"].to_numpy(),
            "cif_event": curve["cif_1"].to_numpy(),
            "cif_competing": curve["cif_2"].to_numpy(),
            "event_free": curve["event_free"].to_numpy(),
            "n": len(time),
            "cutoff": cutoff,
        }
    )


def competing_tables(
    endpoint: Endpoint,
    status: pd.Series,
    values_by_marker: Mapping[str, pd.Series],
    cutoffs: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per marker with a cut-off (``cutoffs``: the endpoint's rows of the cut-off table;
    high = value >= cut-off): the Aalen-Johansen cumulative incidence of the event and of
    the competing event per stratum, and Gray's test of the event's incidence between the
    strata (cmprsk's default, rho = 0). A marker without a cut-off, or with every patient on
    one side, has a Gray row with NA and the reason."""
    time = endpoint.time[status.index].to_numpy(dtype=float)
    code = status.to_numpy(dtype=int)
    curves, tests = [], []
    for row in cutoffs.itertuples(index=False):
        mirna, cutoff = row.mirna, float(row.cutoff)
        test: dict[str, Any] = {
            "endpoint": endpoint.name,
            "mirna": mirna,
            "cutoff": cutoff,
            "n": len(code),
            "events": int((code == 1).sum()),
            "competing_events": int((code == 2).sum()),
        }
        if np.isnan(cutoff):
            why = row.reason if isinstance(row.reason, str) and row.reason else "none chosen"
            tests.append(test | {"reason": f"no cut-off ({why})"})
            continue
        high = (values_by_marker[mirna][status.index].to_numpy(dtype=float) >= cutoff).astype(int)
        for stratum, mask in (("low", high == 0), ("high", high == 1)):
            if mask.any():
                curves.append(_incidence(endpoint.name, mirna, stratum, time[mask], code[mask], cutoff))
        if high.min() == high.max():
            side = "high (>= the cut-off)" if high[0] else "low (< the cut-off)"
            tests.append(test | {"reason": f"all {len(high)} patients in the {side} stratum: no comparison"})
            continue
        gray = ipcw.gray_test(time, code, high, cause=1)
        tests.append(
            test
            | {"statistic": gray.statistic, "df": gray.df, "p_value": gray.p_value, "reason": gray.reason}
        )
    curve_table = (
        pd.concat(curves, ignore_index=True)[CUMULATIVE_INCIDENCE_COLUMNS]
        if curves
        else pd.DataFrame(columns=CUMULATIVE_INCIDENCE_COLUMNS)
    )
    return curve_table, pd.DataFrame(tests, columns=GRAY_COLUMNS)
