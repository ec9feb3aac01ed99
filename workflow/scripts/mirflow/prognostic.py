"""Prognostic stratification of one endpoint by one marker (SPEC stage 7).

The seed chose each cut-off on the same patients it then compared, which inflates the
log-rank p; the maximally selected log-rank statistic's p-value, corrected for the
search over cut-offs (Lausen & Schumacher 1994, and a seeded permutation
distribution), is reported beside it, and the continuous Cox model avoids choosing a
cut-off at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mirflow import roc, survival

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
    """The cut-off c (high = value >= c) and the landmark ROC behind it.

    The landmark ROC (event by the landmark vs followed beyond it; patients censored
    earlier are not evaluable) is computed for every method and reported; with
    ``landmark_roc`` its Youden cut-off is used, as the seed did.
    """
    status = survival.landmark_status(endpoint.time, endpoint.event, endpoint.landmark)
    evaluable = status.notna()
    early = values[status == 1].to_numpy(dtype=float)
    late = values[status == 0].to_numpy(dtype=float)
    row: dict[str, float | int | str] = {
        "endpoint": endpoint.name,
        "method": method,
        "landmark": endpoint.landmark,
        "n_evaluable": int(evaluable.sum()),
        "n_landmark_events": len(early),
        "maxstat_cutoff": float(scan.cutoff[np.argmax(scan.statistic)]) if len(scan.statistic) else np.nan,
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
        }
        row["cutoff"] = cut.value
    if method == "median":
        row["cutoff"] = float(np.median(values))
    elif method == "maxstat":
        row["cutoff"] = row["maxstat_cutoff"]
    return row


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
    if 0 < high.sum() < len(high):
        term = survival.cox(time, event, pd.DataFrame({"high": high.astype(float)}))[0]
        hazard = [term.hazard_ratio, term.ci_low, term.ci_high]
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
            }
        )
    return rows


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
