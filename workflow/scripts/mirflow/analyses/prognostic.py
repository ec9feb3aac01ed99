"""Prognostic stratification of one endpoint by one marker (SPEC stage 7).

The seed chose each cut-off on the same patients it then compared, which inflates the
log-rank p; the maximally selected log-rank statistic's p-value, corrected for the
search over cut-offs (Lausen & Schumacher 1994, and a seeded permutation
distribution), is reported beside it, and the continuous Cox model avoids choosing a
cut-off at all.

When the data leave nothing to estimate (no patient with a time, no events, a marker
that does not vary, no cut-off, everyone on one side of it, a Cox fit that fails), the
tables get NA values and a ``reason`` (:func:`dead_end`), and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mirflow.groups import CASE
from mirflow.settings import EndpointSettings, SurvivalSettings
from mirflow.stats import roc, survival
from mirflow.stats.survival_cutoffs import CUTOFFS, SplitInputs

log = logging.getLogger(__name__)
KM_COLUMNS = [
    "endpoint",
    "mirna",
    "stratum",
    "n",
    "events",
    "median",
    "median_ci_low",
    "median_ci_high",
    "logrank_p",
    "hazard_ratio",
    "hr_ci_low",
    "hr_ci_high",
    "maxstat_p",
    "maxstat_p_method",
    "maxstat_p_permutation",
    "cutoff",
    # what the Kaplan-Meier estimates ignore (a competing event counted as a censoring)
    "note",
    "reason",
]
CUTOFF_COLUMNS = [
    "endpoint",
    "mirna",
    "method",
    "cutoff",
    "landmark_auc",
    "n_evaluable",
    "landmark_auc_ci_low",
    "landmark_auc_ci_high",
    "landmark",
    "n_landmark_events",
    "sensitivity",
    "specificity",
    "maxstat_cutoff",
    "reason",
]


@dataclass(frozen=True)
class Endpoint:
    """Times, events (1/0) and the landmark of one endpoint on the analysed population."""

    name: str
    time: pd.Series
    event: pd.Series
    landmark: float


def choose_cutoff(
    endpoint: Endpoint, values: pd.Series, method: str, scan: survival.MaxstatScan
) -> dict[str, float | int | str]:
    """The cut-off c (high = value >= c) by the named method (:data:`CUTOFFS`) and the
    landmark ROC behind it.

    The landmark ROC (event by the landmark vs followed beyond it; patients censored
    earlier are not evaluable) is computed for every method and reported.
    """
    cut_by = CUTOFFS[method].function
    status = survival.landmark_status(endpoint.time, endpoint.event, endpoint.landmark)
    evaluable = status.notna()
    early = values[status == 1].to_numpy(dtype=float)
    late = values[status == 0].to_numpy(dtype=float)
    row: dict[str, Any] = {
        "endpoint": endpoint.name,
        "method": method,
        "landmark": endpoint.landmark,
        "n_evaluable": int(evaluable.sum()),
        "n_landmark_events": len(early),
        "maxstat_cutoff": float(scan.cutoff[np.argmax(scan.statistic)]) if len(scan.statistic) else np.nan,
        "reason": "",
    }
    if len(early) and len(late):
        low, high = roc.delong_ci(early, late, "<")
        cut = roc.best_cutoff(early, late, "<", "youden")
        row |= {
            "landmark_auc": roc.auc(early, late, "<"),
            "landmark_auc_ci_low": max(0.0, low),
            "landmark_auc_ci_high": min(1.0, high),
            "sensitivity": cut.sensitivity,
            "specificity": cut.specificity,
            "landmark_cutoff": cut.value,
        }
    cutoff = cut_by(
        SplitInputs(
            values=values.to_numpy(dtype=float),
            time=endpoint.time.to_numpy(dtype=float),
            event=endpoint.event.to_numpy(dtype=int),
            landmark=endpoint.landmark,
            landmark_cutoff=row.pop("landmark_cutoff", np.nan),
            maxstat_cutoff=row["maxstat_cutoff"],
        )
    )
    if not np.isnan(cutoff):
        row["cutoff"] = cutoff
    elif method == "landmark_roc":
        row["reason"] = (
            f"no cut-off: the landmark ROC needs patients with an event by {endpoint.landmark:g} "
            f"({len(early)}) and patients followed beyond it ({len(late)})"
        )
    elif method == "maxstat":
        row["reason"] = "no cut-off: the maximally selected log-rank statistic has no admissible split"
    elif method == "ipcw_youden":
        row["reason"] = (
            f"no cut-off: the IPCW ROC at {endpoint.landmark:g} needs patients with an event by it and "
            "patients followed beyond it"
        )
    else:
        row["reason"] = f"no cut-off by {method}"
    return row


def competing_note(settings: EndpointSettings) -> str:
    """What a Kaplan-Meier (or KM-weighted) estimate of an endpoint with a competing event
    ignores ('' without one): the competing event is counted as a censoring."""
    if not settings.competing_event:
        return ""
    return (
        f"competing event '{settings.competing_event}' counted as censoring (1 - KM overstates the "
        "cumulative incidence): see cumulative_incidence.tsv and gray.tsv"
    )


def dead_end(endpoint: Endpoint, mirna: str, values: pd.Series) -> str:
    """Why ``mirna`` cannot stratify ``endpoint`` at all ('' when it can): no patient
    with a time and an event, no events, or a marker that does not vary."""
    n = len(endpoint.time)
    if n == 0:
        return f"no patient has both a {endpoint.name} time and an event"
    if int(endpoint.event.sum()) == 0:
        return f"no {endpoint.name} events among the {n} patients"
    if np.ptp(values.to_numpy(dtype=float)) == 0:
        return f"{mirna} is constant among the {n} patients"
    return ""


def stratify(
    endpoint: Endpoint,
    values: pd.Series,
    cutoff: float,
    ci_transform: str,
    maxstat_p: float,
    maxstat_p_permutation: float,
) -> list[dict]:
    """KM per stratum (low < c <= high), log-rank p and Cox HR high vs low."""
    high = (values >= cutoff).to_numpy()
    time, event = endpoint.time.to_numpy(dtype=float), endpoint.event.to_numpy(dtype=int)
    p = survival.logrank_p(time, event, high.astype(int))
    hazard = [np.nan] * 3
    reason = ""
    if 0 < high.sum() < len(high):
        term, reason = _cox_term(time, event, pd.DataFrame({"high": high.astype(float)}))
        if term is not None:
            hazard = [term.hazard_ratio, term.ci_low, term.ci_high]
        else:
            reason = f"hazard ratio: {reason}"
    else:
        side = "high (>= the cut-off)" if high.all() else "low (< the cut-off)"
        reason = f"all {len(high)} patients in the {side} stratum: no comparison"
    rows = []
    for stratum, mask in (("low", ~high), ("high", high)):
        km = survival.km_summary(time[mask], event[mask], ci_transform)
        rows.append(
            {
                "endpoint": endpoint.name,
                "stratum": stratum,
                "n": km.n,
                "events": km.events,
                "median": km.median,
                "median_ci_low": km.ci_low,
                "median_ci_high": km.ci_high,
                "logrank_p": p,
                "hazard_ratio": hazard[0],
                "hr_ci_low": hazard[1],
                "hr_ci_high": hazard[2],
                "maxstat_p": maxstat_p,
                "maxstat_p_method": "Lau94",
                "maxstat_p_permutation": maxstat_p_permutation,
                "cutoff": cutoff,
                "reason": reason,
            }
        )
    return rows


def _cox_term(
    time: np.ndarray, event: np.ndarray, design: pd.DataFrame
) -> tuple[survival.CoxTerm | None, str]:
    """The first term of a Cox fit, or None and why not (no events, a column that does
    not vary, a fit that fails or gives non-finite values); never raises for the data."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=int)
    if len(time) == 0:
        return None, "no patients"
    if int(event.sum()) == 0:
        return None, f"no events among the {len(time)} patients"
    constant = [str(c) for c in design.columns if np.ptp(design[c].to_numpy(dtype=float)) == 0]
    if constant:
        return None, f"{', '.join(constant)} constant among the {len(time)} patients"
    try:
        term = survival.cox(time, event, design)[0]
    except (np.linalg.LinAlgError, ValueError, IndexError, FloatingPointError, ZeroDivisionError) as error:
        return None, f"Cox fit failed ({type(error).__name__}: {error})"
    if not np.isfinite([term.hazard_ratio, term.ci_low, term.ci_high, term.p_value]).all():
        return None, "Cox fit did not converge (non-finite hazard ratio, CI or p)"
    return term, ""


def _median_text(km: survival.KMSummary) -> str:
    def number(value: float) -> str:
        return "NE" if np.isnan(value) else f"{value:.1f}"

    return f"{number(km.median)} ({number(km.ci_low)}-{number(km.ci_high)})"


def table5(endpoint: Endpoint, km_rows: pd.DataFrame, ci_transform: str, label: str) -> pd.DataFrame:
    """The seed's Table 5 for one endpoint: all patients, then each marker's strata."""
    overall = survival.km_summary(endpoint.time, endpoint.event, ci_transform)
    rows = [
        {
            "endpoint": endpoint.name,
            "variable": label,
            "level": "",
            "patients": overall.n,
            "events": overall.events,
            "median_95ci": _median_text(overall),
            "p_value": np.nan,
        }
    ]
    for mirna, strata in km_rows.groupby("mirna", sort=False):
        if strata["stratum"].isna().all():
            first = strata.iloc[0]
            rows.append(
                {
                    "endpoint": endpoint.name,
                    "variable": mirna,
                    "level": f"not stratified: {first['reason']}",
                    "patients": first["n"],
                    "events": first["events"],
                    "median_95ci": "",
                    "p_value": np.nan,
                }
            )
            continue
        for i, row in enumerate(strata.itertuples()):
            km = survival.KMSummary(row.n, row.events, row.median, row.median_ci_low, row.median_ci_high)
            sign = "<" if row.stratum == "low" else ">="
            rows.append(
                {
                    "endpoint": endpoint.name,
                    "variable": mirna,
                    "level": f"{sign} {row.cutoff:.6g}",
                    "patients": row.n,
                    "events": row.events,
                    "median_95ci": _median_text(km),
                    "p_value": row.logrank_p if i == 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


COX_COLUMNS = [
    "endpoint",
    "mirna",
    "model",
    "hazard_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "events",
    "adjusted_for",
    "reason",
]
# Fewer events than this per Cox parameter makes the estimates unreliable (Peduzzi 1995).
EVENTS_PER_PARAMETER = 10


def population(labels: pd.Series, which: str) -> pd.Index:
    """Analysed samples of the prognostic stage: the cases, or all (``survival.population``)."""
    return labels.index if which == "all" else labels.index[labels == CASE]


def endpoint_data(sheet: pd.DataFrame, name: str, settings: EndpointSettings, samples: pd.Index) -> Endpoint:
    """One endpoint's times and events on ``samples``; samples without a time or an
    event are left out, and the log names them."""
    rows = sheet.loc[samples]
    time = pd.to_numeric(rows[settings.time])
    event = pd.to_numeric(rows[settings.event])
    known = time.notna() & event.notna()
    if (~known).any():
        log.warning(
            "%s: %d sample(s) without time or event left out: %s",
            name,
            int((~known).sum()),
            ", ".join(known.index[~known]),
        )
    return Endpoint(name, time[known], event[known].astype(int), float(settings.landmark))


def cox_rows(
    endpoint: Endpoint, mirna: str, values: pd.Series, clinical: pd.DataFrame, reason: str = ""
) -> list[dict[str, Any]]:
    """Cox on the continuous transformed marker, alone and, when ``clinical`` has
    columns (``survival.adjust_for``), adjusted for them; the events per parameter are
    logged, with a warning below :data:`EVENTS_PER_PARAMETER`. A model that cannot be
    fitted (``reason``, e.g. from :func:`dead_end`, or no events, a constant column, a
    failing fit) has NA estimates and the reason."""
    rows = []
    models = [("univariable", [])] + ([("adjusted", list(clinical.columns))] if clinical.shape[1] else [])
    for model, extra in models:
        if reason:
            rows.append(
                {
                    "endpoint": endpoint.name,
                    "mirna": mirna,
                    "model": model,
                    "n": len(endpoint.time),
                    "events": int(endpoint.event.sum()),
                    "adjusted_for": ";".join(extra),
                    "reason": reason,
                }
            )
            continue
        frame = pd.concat(
            [values.rename("marker"), clinical.loc[endpoint.time.index, extra]], axis=1
        ).dropna()
        design = pd.get_dummies(frame, drop_first=True, dtype=float)
        events = int(endpoint.event[frame.index].sum())
        per_parameter = events / design.shape[1]
        low = per_parameter < EVENTS_PER_PARAMETER
        log.log(
            logging.WARNING if low else logging.INFO,
            "%s %s Cox (%s): %d events for %d parameter(s), %.1f per parameter%s",
            endpoint.name,
            mirna,
            model,
            events,
            design.shape[1],
            per_parameter,
            f" (< {EVENTS_PER_PARAMETER}: estimates unreliable)" if low else "",
        )
        term, why = _cox_term(endpoint.time[frame.index], endpoint.event[frame.index], design)
        if term is None:
            log.warning("%s %s Cox (%s) not fitted: %s", endpoint.name, mirna, model, why)
        rows.append(
            {
                "endpoint": endpoint.name,
                "mirna": mirna,
                "model": model,
                "hazard_ratio": term.hazard_ratio if term else np.nan,
                "ci_low": term.ci_low if term else np.nan,
                "ci_high": term.ci_high if term else np.nan,
                "p_value": term.p_value if term else np.nan,
                "n": len(frame),
                "events": events,
                "adjusted_for": ";".join(extra),
                "reason": why,
            }
        )
    return rows


@dataclass(frozen=True)
class MarkerSplit:
    """One endpoint x marker: the chosen cut-off, the KM rows and the corrected p."""

    cutoff: dict[str, Any]
    km: list[dict[str, Any]]
    maxstat_p: float
    maxstat_p_permutation: float


def split_marker(
    endpoint: Endpoint,
    mirna: str,
    values: pd.Series,
    settings: SurvivalSettings,
    rng: np.random.Generator,
) -> MarkerSplit:
    """Cut-off by ``survival.cutoff``, KM strata, log-rank and the maximally selected
    log-rank statistic's p corrected for the search (Lau94 and permutation).

    Without a stratification (:func:`dead_end`, or no cut-off) the cut-off row has NA
    values and the KM table one row (stratum NA) with the patients, events and reason."""
    reason = dead_end(endpoint, mirna, values)
    if reason:
        status = survival.landmark_status(endpoint.time, endpoint.event, endpoint.landmark)
        chosen = {
            "endpoint": endpoint.name,
            "method": settings.cutoff,
            "landmark": endpoint.landmark,
            "n_evaluable": int(status.notna().sum()),
            "n_landmark_events": int((status == 1).sum()),
            "reason": reason,
        }
        return _not_stratified(endpoint, mirna, chosen)
    scan = survival.maxstat_scan(endpoint.time, endpoint.event, values)
    searched = len(scan.statistic) > 0
    best = float(scan.statistic.max()) if searched else np.nan
    lau94 = survival.lausen94_p(best, scan.n, scan.sizes) if searched else np.nan
    permuted = survival.permutation_p(scan, settings.n_permutations, rng) if searched else np.nan
    chosen = choose_cutoff(endpoint, values, settings.cutoff, scan)
    if "cutoff" not in chosen:
        return _not_stratified(endpoint, mirna, chosen, lau94, permuted)
    rows = stratify(
        endpoint, values, float(chosen.get("cutoff", np.nan)), settings.ci_transform, lau94, permuted
    )
    return MarkerSplit({"mirna": mirna} | chosen, [{"mirna": mirna} | row for row in rows], lau94, permuted)


def _not_stratified(
    endpoint: Endpoint,
    mirna: str,
    chosen: dict[str, Any],
    maxstat_p: float = np.nan,
    maxstat_p_permutation: float = np.nan,
) -> MarkerSplit:
    """The split of a marker that gives no strata: the cut-off row as ``chosen`` (with its
    reason) and one KM row with the patients, events, the search-corrected p when there
    was a search, and the reason."""
    km = {
        "mirna": mirna,
        "endpoint": endpoint.name,
        "stratum": np.nan,
        "n": len(endpoint.time),
        "events": int(endpoint.event.sum()),
        "maxstat_p": maxstat_p,
        "maxstat_p_method": "Lau94" if not np.isnan(maxstat_p) else np.nan,
        "maxstat_p_permutation": maxstat_p_permutation,
        "reason": chosen["reason"],
    }
    return MarkerSplit({"mirna": mirna} | chosen, [km], maxstat_p, maxstat_p_permutation)


KM_CURVE_COLUMNS = ["endpoint", "mirna", "stratum", "time", "survival", "n_at_risk", "events", "censored"]
LANDMARK_ROC_COLUMNS = ["endpoint", "mirna", "threshold", "sensitivity", "specificity"]


def km_curve_table(
    endpoint: Endpoint,
    values_by_marker: Mapping[str, pd.Series],
    km_rows: pd.DataFrame,
    at: Sequence[float] = (),
) -> pd.DataFrame:
    """The Kaplan-Meier curve of both strata (low < c <= high, c the marker's cut-off in
    ``km_rows``, the KM table) of every marker in ``km_rows``: one row per distinct time
    of the stratum, at time 0 and at every time in ``at`` (e.g. where numbers at risk
    are shown), with S(t), the number at risk and the events and censorings at t
    (:func:`mirflow.stats.survival.km_curve`). ``values_by_marker`` holds each marker's
    values on the endpoint's patients."""
    times = np.r_[0.0, np.asarray(at, dtype=float)]
    time, event = endpoint.time.to_numpy(dtype=float), endpoint.event.to_numpy(dtype=int)
    rows = km_rows[km_rows["endpoint"] == endpoint.name]
    frames = []
    for mirna, strata in rows.groupby("mirna", sort=False):
        cutoff = float(strata["cutoff"].iloc[0])
        if np.isnan(cutoff):  # not stratified (the KM table's reason says why): no curves
            continue
        high = (values_by_marker[mirna].loc[endpoint.time.index] >= cutoff).to_numpy()
        for stratum, mask in (("low", ~high), ("high", high)):
            curve = survival.km_curve(time[mask], event[mask], times)
            frames.append(curve.assign(endpoint=endpoint.name, mirna=mirna, stratum=stratum))
    if not frames:
        return pd.DataFrame(columns=KM_CURVE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[KM_CURVE_COLUMNS]


def landmark_counts(endpoint: Endpoint) -> dict[str, Any]:
    """The landmark ROC's patients: with an event by the landmark, followed beyond it
    without one, and censored before it (not evaluable)."""
    status = survival.landmark_status(endpoint.time, endpoint.event, endpoint.landmark)
    return {
        "endpoint": endpoint.name,
        "landmark": endpoint.landmark,
        "n_events": int((status == 1).sum()),
        "n_event_free": int((status == 0).sum()),
        "n_not_evaluable": int(status.isna().sum()),
    }


def landmark_roc_table(endpoint: Endpoint, values_by_marker: Mapping[str, pd.Series]) -> pd.DataFrame:
    """The empirical ROC curve of each marker for 'event by the landmark' among the
    evaluable patients (higher = event, as :func:`choose_cutoff`): thresholds ascending
    from -inf to +inf with sensitivity and specificity. Markers without patients on
    both sides of the landmark have no rows."""
    status = survival.landmark_status(endpoint.time, endpoint.event, endpoint.landmark)
    frames = []
    for mirna, values in values_by_marker.items():
        aligned = values.loc[endpoint.time.index]
        early = aligned[status == 1].to_numpy(dtype=float)
        late = aligned[status == 0].to_numpy(dtype=float)
        if not (len(early) and len(late)):
            continue
        thresholds, sensitivity, specificity = roc.curve_points(early, late, "<")
        frames.append(
            pd.DataFrame(
                {
                    "endpoint": endpoint.name,
                    "mirna": mirna,
                    "threshold": thresholds,
                    "sensitivity": sensitivity,
                    "specificity": specificity,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=LANDMARK_ROC_COLUMNS)
    return pd.concat(frames, ignore_index=True)[LANDMARK_ROC_COLUMNS]
