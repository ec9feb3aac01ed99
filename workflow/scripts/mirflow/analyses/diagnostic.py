"""Diagnostic ROC (SPEC stage 6): the ROC table, paired DeLong tests and the curve tables
that the figures draw."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mirflow.groups import CASE, CONTROL
from mirflow.seeding import rng_for
from mirflow.settings import RocSettings
from mirflow.stats import roc

log = logging.getLogger(__name__)
ROC_COLUMNS = [
    "mirna",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "ci_method",
    "cutoff",
    "sensitivity",
    "specificity",
    "n_case",
    "n_control",
    "direction",
    "cutoff_method",
    "youden_j",
]
COMPARISON_COLUMNS = ["mirna1", "mirna2", "auc1", "auc2", "difference", "ci_low", "ci_high", "z", "p_value"]


def marker_groups(
    values: pd.DataFrame, labels: pd.Series, markers: Sequence[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each marker's values in the cases and in the controls, pulled from ``values`` in
    one lookup (a lookup per marker and use costs seconds in a table of thousands of
    libraries)."""
    rows = values.loc[list(markers), labels.index].to_numpy(dtype=float)
    case, control = (labels == CASE).to_numpy(), (labels == CONTROL).to_numpy()
    return {mirna: (row[case], row[control]) for mirna, row in zip(markers, rows, strict=True)}


def roc_row(
    mirna: str, cases: np.ndarray, controls: np.ndarray, settings: RocSettings, rng: np.random.Generator
) -> dict[str, Any]:
    """AUC with its CI and the best cut-off of one marker (NA where not estimable)."""
    row: dict[str, Any] = {
        "mirna": mirna,
        "n_case": len(cases),
        "n_control": len(controls),
        "ci_method": settings.ci,
        "cutoff_method": settings.cutoff,
    }
    if np.ptp(np.concatenate([cases, controls])) == 0:
        log.warning("%s is constant: AUC 0.5, no CI or cut-off", mirna)
        return row | {"auc": 0.5, "direction": "<"}
    way = roc.direction(cases, controls)
    low, high = roc.CI_METHODS[settings.ci].function(cases, controls, way, settings.n_bootstrap, rng)
    cut = roc.best_cutoff(cases, controls, way, settings.cutoff)
    return row | {
        "auc": roc.auc(cases, controls, way),
        "auc_ci_low": max(0.0, low),
        "auc_ci_high": min(1.0, high),
        "cutoff": cut.value,
        "sensitivity": cut.sensitivity,
        "specificity": cut.specificity,
        "direction": way,
        "youden_j": cut.sensitivity + cut.specificity - 1,
    }


def roc_table(
    values: pd.DataFrame, labels: pd.Series, markers: Sequence[str], settings: RocSettings, seed: int
) -> pd.DataFrame:
    """One ROC row per marker; each marker's random stream is derived from the seed and
    its name, so adding a marker does not change another's bootstrap CI."""
    by_marker = marker_groups(values, labels, markers)
    rows = [roc_row(m, *by_marker[m], settings, rng_for(seed, "roc", m)) for m in markers]
    return pd.DataFrame(rows, columns=ROC_COLUMNS)


def roc_comparisons(values: pd.DataFrame, labels: pd.Series, roc_rows: pd.DataFrame) -> pd.DataFrame:
    """Paired DeLong test of every pair of markers, each oriented so that its AUC is the
    one in ``roc_rows`` (markers lower in cases are negated)."""
    directions = dict(zip(roc_rows["mirna"], roc_rows["direction"], strict=True))
    oriented = {
        mirna: tuple(g if directions[mirna] == "<" else -g for g in pair)
        for mirna, pair in marker_groups(values, labels, roc_rows["mirna"]).items()
    }
    tests = []
    for first, second in itertools.combinations(roc_rows["mirna"], 2):
        cases = np.vstack([oriented[first][0], oriented[second][0]])
        controls = np.vstack([oriented[first][1], oriented[second][1]])
        tests.append({"mirna1": first, "mirna2": second} | roc.delong_test(cases, controls))
    return pd.DataFrame(tests, columns=COMPARISON_COLUMNS)


ROC_CURVE_COLUMNS = ["mirna", "threshold", "sensitivity", "specificity"]
PANEL_CURVE_COLUMNS = ["repeat", "threshold", "sensitivity", "specificity", "n_case", "n_control"]


def roc_curve_table(values: pd.DataFrame, labels: pd.Series, roc_rows: pd.DataFrame) -> pd.DataFrame:
    """The empirical ROC curve of every marker of ``roc_rows`` (the ROC table), in its
    direction: one row per observed value as a cut-off (positive = value >= it for
    direction '<', <= it for '>'), with sensitivity and specificity there, and the
    curve's two ends at thresholds -inf and +inf; thresholds ascending per marker."""
    by_marker = marker_groups(values, labels, roc_rows["mirna"])
    frames = []
    for mirna, way in zip(roc_rows["mirna"], roc_rows["direction"], strict=True):
        thresholds, sensitivity, specificity = roc.curve_points(*by_marker[mirna], way)
        frames.append(
            pd.DataFrame(
                {
                    "mirna": mirna,
                    "threshold": thresholds,
                    "sensitivity": sensitivity,
                    "specificity": specificity,
                }
            )
        )
    return _concat(frames, ROC_CURVE_COLUMNS)


def panel_curve_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """The ROC curve of the panel's out-of-fold probabilities (higher = case) of each
    cross-validation repeat, from (sensitivity 0, specificity 1) at threshold +inf to
    (1, 0), at the points where it bends; with the repeat's numbers of cases and
    controls. ``predictions`` is the panel's prediction table."""
    frames = []
    for repeat, rows in predictions.groupby("repeat", sort=True):
        thresholds, sensitivity, false_positive = roc.score_curve(rows["case"], rows["probability"])
        n_case = int(rows["case"].sum())
        frames.append(
            pd.DataFrame(
                {
                    "repeat": repeat,
                    "threshold": thresholds,
                    "sensitivity": sensitivity,
                    "specificity": 1 - false_positive,
                    "n_case": n_case,
                    "n_control": len(rows) - n_case,
                }
            )
        )
    return _concat(frames, PANEL_CURVE_COLUMNS)


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
