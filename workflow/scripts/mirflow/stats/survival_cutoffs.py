"""How a prognostic split chooses its cut-off (``survival.cutoff``): a registry beside the
ROC cut-off scores of :mod:`mirflow.stats.roc`; the schema's enum equals its names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mirflow.registry import Registry
from mirflow.stats.time_roc import youden_cutoff


@dataclass(frozen=True)
class SplitInputs:
    """What a cut-off method may use: the marker, times and events (1/0) of the analysed
    patients, the landmark, and the cut-offs computed for every method (the landmark ROC's
    Youden cut-off and the maximally selected log-rank cut-point; NaN when there is none)."""

    values: np.ndarray
    time: np.ndarray
    event: np.ndarray
    landmark: float
    landmark_cutoff: float
    maxstat_cutoff: float


CUTOFFS: Registry[Callable[[SplitInputs], float]] = Registry("survival.cutoff")


@CUTOFFS.register("landmark_roc", "Youden cut-off of the landmark ROC (event by the landmark), as the seed")
def landmark_roc_cutoff(split: SplitInputs) -> float:
    """The landmark ROC's Youden cut-off (NA without landmark events and non-events)."""
    return float(split.landmark_cutoff)


@CUTOFFS.register(
    "ipcw_youden",
    "Youden cut-off of the cumulative/dynamic ROC at the landmark with inverse-probability-of-censoring "
    "weights (patients censored before the landmark are weighted for, not dropped)",
)
def ipcw_youden_cutoff(split: SplitInputs) -> float:
    """The cut-off maximising the IPCW Youden index at the landmark
    (:func:`mirflow.stats.time_roc.youden_cutoff`; high = value >= cut-off, as the landmark
    ROC); NaN without cases (event by the landmark) and controls (followed beyond it)."""
    return float(youden_cutoff(split.time, split.event, split.values, split.landmark).cutoff)


@CUTOFFS.register("median", "the marker's median in the analysed population")
def median_cutoff(split: SplitInputs) -> float:
    """The median of the marker."""
    return float(np.median(split.values))


@CUTOFFS.register("maxstat", "the maximally selected log-rank statistic's cut-point (maxstat)")
def maxstat_cutoff(split: SplitInputs) -> float:
    """The cut-point where the standardised log-rank statistic is largest."""
    return float(split.maxstat_cutoff)
