"""The participant flow of each cohort (sheet -> excluded and why -> analysed, per group)
and the follow-up per endpoint, as the checklist and the flow diagram give them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mirflow.analyses import prognostic
from mirflow.groups import CASE, CONTROL
from mirflow.settings import ContrastSettings, SurvivalSettings
from mirflow.stats.survival import km_median

DISCOVERY, VALIDATION = "discovery", "validation"
FLOW_COLUMNS = ["cohort", "stage", "group", "n", "reason", "samples"]
# Stages of the flow, in order: count-table samples the sheet does not list (ignored), the
# sheet's samples, those excluded (not in the contrast, QC, by hand) and those analysed.
UNMATCHED, SHEET, EXCLUDED, ANALYSED = "count table only", "sample sheet", "excluded", "analysed"
MISSING_GROUP = "(missing)"


def _text(value: Any) -> str:
    """A sheet cell as the flow shows it (numbers without a trailing '.0'; missing marked)."""
    if pd.isna(value):
        return MISSING_GROUP
    return format(value, "g") if isinstance(value, float | np.floating) else str(value)


def reason_category(reason: str) -> str:
    """An exclusion reason without the sample's own value ('library size 1234 < 50000' ->
    'library size < 50000'), so that samples excluded by the same rule are counted together."""
    pattern = r"^(library size|hemolysed: log2 ratio) \S+ ([<>])"
    return "; ".join(re.sub(pattern, r"\1 \2", part) for part in reason.split("; "))


def participant_flow(
    cohort: str,
    sheet: pd.DataFrame,
    labels: pd.Series,
    qc: pd.DataFrame,
    unmatched: pd.DataFrame,
    contrast: ContrastSettings,
) -> pd.DataFrame:
    """The cohort's flow (:data:`FLOW_COLUMNS`): count-table samples not in the sheet (by
    reason, when any), the sheet's samples per group, the excluded per group and reason
    (QC reasons without the sample's own value, :func:`reason_category`; the samples
    named), and the analysed per group. Groups are the sheet's values of the contrast
    column (case first, then control, then any other value), so per group sheet = excluded
    + analysed. ``labels``: case/control/NA of every sheet sample; ``qc``: the QC table
    (``excluded``, ``reason`` per sheet sample)."""
    groups = sheet[contrast.column].map(_text).astype(object)
    groups[labels.eq(CASE).fillna(False).to_numpy(dtype=bool)] = contrast.case
    groups[labels.eq(CONTROL).fillna(False).to_numpy(dtype=bool)] = contrast.control
    status = qc.set_index("sample").loc[groups.index]
    excluded = status["excluded"].astype(bool)
    rows = []

    def add(stage: str, group: str, samples: Sequence[str], reason: str = "", named: bool = False) -> None:
        listed = ", ".join(samples) if named else ""
        rows.append(
            {"cohort": cohort, "stage": stage, "group": group, "n": len(samples), "reason": reason}
            | {"samples": listed}
        )

    for reason, ignored in unmatched.groupby("reason", sort=False)["sample"]:
        add(UNMATCHED, "", ignored.astype(str).tolist(), f"{reason} (ignored)", named=True)
    order = list(dict.fromkeys([contrast.case, contrast.control, *groups]))
    for group in order:
        add(SHEET, group, groups.index[groups == group].tolist())
    for group in order:
        members = groups.index[(groups == group).to_numpy() & excluded.to_numpy()]
        reasons = status.loc[members, "reason"].fillna("").map(reason_category)
        for reason, samples in reasons.groupby(reasons, sort=False):
            add(EXCLUDED, group, samples.index.tolist(), reason, named=True)
    for group in (contrast.case, contrast.control):
        add(ANALYSED, group, groups.index[(groups == group).to_numpy() & ~excluded.to_numpy()].tolist())
    return pd.DataFrame(rows, columns=FLOW_COLUMNS)


def follow_up(sheet: pd.DataFrame, labels: pd.Series, survival: SurvivalSettings) -> pd.DataFrame:
    """Per endpoint, on the prognostic population of the analysed samples (``labels``:
    their case/control labels): patients, those without a time or an event (left out of
    that endpoint's analyses), events, and the median follow-up by the reverse Kaplan-Meier
    method (censoring as the event, so deaths do not shorten it) with the longest time."""
    samples = prognostic.population(labels, survival.population)
    rows = []
    for name, endpoint in survival.endpoints.items():
        data = prognostic.endpoint_data(sheet, name, endpoint, samples)
        time, event = data.time.to_numpy(dtype=float), data.event.to_numpy(dtype=int)
        rows.append(
            {
                "endpoint": name,
                "time": endpoint.time,
                "patients": len(samples),
                "missing": len(samples) - len(time),
                "events": int(event.sum()),
                "median_follow_up": km_median(time, 1 - event) if len(time) else np.nan,
                "max_follow_up": float(time.max()) if len(time) else np.nan,
            }
        )
    columns = ["endpoint", "time", "patients", "missing", "events", "median_follow_up", "max_follow_up"]
    return pd.DataFrame(rows, columns=columns)
