"""What a small validation cohort needs to know about a cut-off
(:mod:`mirflow.stats.cutoff_accuracy`), as the workflow's tables.

- Discovery, :func:`cutoff_bootstrap`: per marker, the out-of-bag bootstrap of its cut-off
  (chosen by ``roc.cutoff`` in its discovery direction, as the ROC table's): how far the
  cut-off moves between bootstrap samples (median and quartiles) and how much sensitivity and
  specificity it loses on the samples it was not chosen on (the optimism). The out-of-bag
  sensitivity and specificity are what a validation cohort should expect: the plan's
  anticipated values. The bootstrap is stratified (cases and controls resampled apart, as the
  ROC's bootstrap CI), seeded from ``seed`` and the marker.
- Validation, :func:`marker_accuracy`: per locked marker, the likelihood ratios LR+ and LR- of
  its 2x2 table at the locked cut-off with log-method 95% CIs, and its McClish-standardised
  partial AUC over a specificity range in the locked direction with a stratified percentile
  bootstrap 95% CI (seeded).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mirflow.analyses.diagnostic import marker_groups
from mirflow.analyses.lock import LockedMarker
from mirflow.seeding import rng_for
from mirflow.stats import cutoff_accuracy as accuracy

BOOTSTRAP_COLUMNS = [
    "mirna",
    "direction",
    "method",
    "cutoff",
    "sensitivity",
    "specificity",
    "cutoff_median",
    "cutoff_q25",
    "cutoff_q75",
    "cutoff_iqr",
    "sensitivity_in_bag",
    "specificity_in_bag",
    "sensitivity_oob",
    "specificity_oob",
    "optimism_sensitivity",
    "optimism_specificity",
    "n_bootstrap",
    "n_failed",
    "stratified",
    "reason",
]
ACCURACY_COLUMNS = [
    "mirna",
    "direction",
    "cutoff",
    "tp",
    "fp",
    "tn",
    "fn",
    "lr_positive",
    "lr_positive_ci_low",
    "lr_positive_ci_high",
    "lr_positive_reason",
    "lr_negative",
    "lr_negative_ci_low",
    "lr_negative_ci_high",
    "lr_negative_reason",
    "partial_auc",
    "partial_auc_ci_low",
    "partial_auc_ci_high",
    "partial_auc_uncorrected",
    "specificity_low",
    "specificity_high",
    "n_bootstrap",
    "n_undefined",
    "n_case",
    "n_control",
    "reason",
]


def cutoff_bootstrap(
    values: pd.DataFrame,
    labels: pd.Series,
    roc: pd.DataFrame,
    method: str,
    n_bootstrap: int,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per marker of the ROC table (its direction), the out-of-bag bootstrap of the cut-off:
    the summary (:data:`BOOTSTRAP_COLUMNS`) and every resample's row (``mirna`` first). A
    marker without a cut-off (it did not vary) has NA and the reason."""
    markers = roc["mirna"].astype(str).tolist()
    groups = marker_groups(values, labels, markers)
    rows, resamples = [], []
    for row in roc.itertuples(index=False):
        mirna = str(row.mirna)
        base: dict[str, Any] = {"mirna": mirna, "direction": row.direction, "method": method}
        if pd.isna(row.cutoff):
            rows.append(base | {"reason": "no cut-off (the marker did not vary)", "n_bootstrap": n_bootstrap})
            continue
        cases, controls = groups[mirna]
        x = np.concatenate([cases, controls])
        is_case = np.concatenate([np.ones(len(cases), bool), np.zeros(len(controls), bool)])
        result = accuracy.out_of_bag_cutoffs(
            x, is_case, row.direction, n_bootstrap, rng_for(seed, "cutoff_bootstrap", mirna), True, method
        )
        rows.append(base | result.summary() | {"reason": ""})
        resamples.append(result.resamples.assign(mirna=mirna))
    summary = pd.DataFrame(rows, columns=BOOTSTRAP_COLUMNS)
    if resamples:
        table = pd.concat(resamples, ignore_index=True)
        table = table[["mirna", *[c for c in table.columns if c != "mirna"]]]
    else:
        table = pd.DataFrame(columns=["mirna", "resample", "cutoff"])
    return summary, table


def marker_accuracy(
    values: pd.DataFrame,
    labels: pd.Series,
    markers_table: pd.DataFrame,
    locked: Sequence[LockedMarker],
    limits: tuple[float, float],
    n_bootstrap: int,
    seed: int,
) -> pd.DataFrame:
    """Per locked marker (:data:`ACCURACY_COLUMNS`): LR+ and LR- of the 2x2 table the
    validation markers table holds (log-method CIs, nan with the reason at a zero cell), and
    the partial AUC over the specificity range ``limits`` in the locked direction
    (McClish-standardised, stratified percentile bootstrap CI; the uncorrected area beside
    it)."""
    groups = marker_groups(values, labels, [m.mirna for m in locked])
    tables = markers_table.set_index("mirna")
    rows = []
    for marker in locked:
        cases, controls = groups[marker.mirna]
        row: dict[str, Any] = {
            "mirna": marker.mirna,
            "direction": marker.direction,
            "cutoff": marker.cutoff,
            "specificity_low": limits[0],
            "specificity_high": limits[1],
            "n_bootstrap": n_bootstrap,
            "n_case": len(cases),
            "n_control": len(controls),
            "reason": "",
        }
        counts = tables.loc[marker.mirna, ["tp", "fp", "tn", "fn"]] if marker.mirna in tables.index else None
        if marker.cutoff is None or counts is None or counts.isna().any():
            row["reason"] = "no locked cut-off (the marker did not vary in discovery): no 2x2 table"
        else:
            tp, fp, tn, fn = (int(counts[c]) for c in ("tp", "fp", "tn", "fn"))
            ratios = accuracy.likelihood_ratios(tp, fp, tn, fn)
            row |= {key: ratios[key] for key in ACCURACY_COLUMNS if key in ratios}
        if len(cases) and len(controls):
            interval = accuracy.partial_auc_ci(
                cases,
                controls,
                marker.direction,
                n_bootstrap,
                rng_for(seed, "partial_auc", marker.mirna),
                limits=limits,
            )
            row |= {
                "partial_auc": interval["partial_auc"],
                "partial_auc_ci_low": interval["ci_low"],
                "partial_auc_ci_high": interval["ci_high"],
                "n_undefined": interval["n_undefined"],
                "partial_auc_uncorrected": accuracy.partial_auc(
                    cases, controls, marker.direction, limits, correct=False
                ),
            }
            if math.isnan(interval["partial_auc"]):
                row["reason"] = "; ".join(
                    filter(
                        None, [row["reason"], "the curve lies below the diagonal over the range: no McClish"]
                    )
                )
        rows.append(row)
    return pd.DataFrame(rows, columns=ACCURACY_COLUMNS)
