"""Filtering of lowly detected miRNAs and size-factor normalisation."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from pydeseq2.preprocessing import deseq2_norm

from mirflow.groups import CASE, CONTROL
from mirflow.registry import Registry

log = logging.getLogger(__name__)


def filter_mirnas(
    counts: pd.DataFrame, labels: pd.Series, min_count: int, min_fraction: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep miRNAs with >= ``min_count`` in >= ``min_fraction`` of the smaller group.

    The smaller group sets the bar (as edgeR's filterByExpr does) so that a miRNA
    present only in the smaller group can still pass. Returns the kept counts and a
    table of every miRNA that was dropped with the numbers behind the decision.
    """
    groups = labels[counts.columns]
    smaller = min(int((groups == CASE).sum()), int((groups == CONTROL).sum()))
    required = max(1, math.ceil(min_fraction * smaller - 1e-9))
    passing = (counts >= min_count).sum(axis=1)
    keep = passing >= required
    dropped = pd.DataFrame(
        {
            "mirna": counts.index[~keep],
            "samples_at_min_count": passing[~keep].to_numpy(),
            "samples_required": required,
            "reason": f"fewer than {required} samples with >= {min_count} counts",
        }
    )
    log.info(
        "filter: %d of %d miRNAs kept (>= %d counts in >= %d samples)",
        int(keep.sum()),
        len(keep),
        min_count,
        required,
    )
    return counts[keep], dropped


def poscounts_size_factors(counts: pd.DataFrame) -> pd.Series:
    """DESeq2's ``estimateSizeFactors(type = "poscounts")``, as R computes it.

    Geometric means over the positive counts only (zeros count as 1 in the product,
    divided by all samples), median ratios over positive counts, then scaled to a
    geometric mean of 1. pydeseq2's variant also drops miRNAs whose geometric mean is
    <= 1, which R keeps, so it is written out here.
    """
    values = counts.to_numpy(dtype=float)
    logs = np.log(values, out=np.zeros_like(values), where=values > 0)
    log_geo = logs.mean(axis=1)
    usable = values.sum(axis=1) > 0
    ratios = np.where(values > 0, logs - log_geo[:, None], np.nan)[usable]
    factors = np.exp(np.nanmedian(ratios, axis=0))
    factors = factors / np.exp(np.mean(np.log(factors)))
    return pd.Series(factors, index=counts.columns, name="size_factor")


SIZE_FACTORS: Registry[Callable[[pd.DataFrame, pd.Series], tuple[pd.Series, str]]] = Registry("normalisation")


@SIZE_FACTORS.register("deseq2", "DESeq2 median of ratios (poscounts when every miRNA has a zero)")
def deseq2_size_factors(counts: pd.DataFrame, library_sizes: pd.Series) -> tuple[pd.Series, str]:
    """Median of ratios (pydeseq2); when every miRNA has a zero somewhere the geometric
    means are undefined and DESeq2's positive-counts estimator is used."""
    if (counts > 0).all(axis=1).any():
        _, factors = deseq2_norm(counts.T)
        return pd.Series(np.asarray(factors, dtype=float), index=counts.columns), "median_of_ratios"
    log.warning(
        "every kept miRNA has a zero count in some sample: "
        "using DESeq2's positive-counts (poscounts) estimator"
    )
    return poscounts_size_factors(counts), "poscounts"


@SIZE_FACTORS.register("cpm", "counts per million of all harmonised miRNAs")
def cpm_size_factors(counts: pd.DataFrame, library_sizes: pd.Series) -> tuple[pd.Series, str]:
    """Total miRNA counts of the library (all harmonised miRNAs) / 1e6."""
    return library_sizes[counts.columns].astype(float) / 1e6, "cpm"


@SIZE_FACTORS.register("upper_quartile", "75th percentile of positive counts, scaled to geometric mean 1")
def upper_quartile_size_factors(counts: pd.DataFrame, library_sizes: pd.Series) -> tuple[pd.Series, str]:
    """75th percentile of each sample's positive counts over the kept miRNAs, divided by
    the geometric mean of those quartiles."""
    quartiles = counts.apply(lambda col: np.quantile(col[col > 0], 0.75))
    return quartiles / np.exp(np.mean(np.log(quartiles))), "upper_quartile"


def size_factors(counts: pd.DataFrame, method: str, library_sizes: pd.Series) -> tuple[pd.Series, str]:
    """Per-sample size factors by the named method (:data:`SIZE_FACTORS`) and the
    estimator actually used."""
    return SIZE_FACTORS[method].function(counts, library_sizes)


def normalise(counts: pd.DataFrame, factors: pd.Series) -> pd.DataFrame:
    """Counts divided by each sample's size factor."""
    return counts / factors[counts.columns]


def transform(values: pd.DataFrame, how: str) -> pd.DataFrame:
    """The scale the models and plots use: ``log2`` (log2(x + 1)) or ``none``."""
    if how == "log2":
        return np.log2(values + 1)
    if how == "none":
        return values
    raise ValueError(f"unknown transform {how!r}; use log2 or none")


def resolve_transform(transform_setting: str, kind: str) -> str:
    """``auto`` means log2 for counts and the values as given for ``kind: expression``."""
    if transform_setting == "auto":
        return "log2" if kind == "counts" else "none"
    return transform_setting
