"""Filtering of lowly detected miRNAs and size-factor normalisation."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydeseq2.preprocessing import deseq2_norm, deseq2_norm_fit

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
    passing = pd.Series((counts.to_numpy() >= min_count).sum(axis=1), index=counts.index)
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
    _, _, factors = _poscounts_parts(counts)
    factors = factors / np.exp(np.mean(np.log(factors)))
    return pd.Series(factors, index=counts.columns, name="size_factor")


def _poscounts_parts(counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """poscounts' log geometric means (zeros count as 1), the miRNAs with any count, and
    the size factors before their rescaling to geometric mean 1."""
    values = counts.to_numpy(dtype=float)
    logs = np.log(values, out=np.zeros_like(values), where=values > 0)
    log_geo = logs.mean(axis=1)
    usable = values.sum(axis=1) > 0
    ratios = np.where(values > 0, logs - log_geo[:, None], np.nan)[usable]
    return log_geo, usable, np.exp(np.nanmedian(ratios, axis=0))


SIZE_FACTORS: Registry[Callable[[pd.DataFrame, pd.Series], tuple[pd.Series, str]]] = Registry("normalisation")


@SIZE_FACTORS.register("deseq2", "DESeq2 median of ratios (poscounts when every miRNA has a zero)")
def deseq2_size_factors(counts: pd.DataFrame, library_sizes: pd.Series) -> tuple[pd.Series, str]:
    """Median of ratios (pydeseq2); when every miRNA has a zero somewhere the geometric
    means are undefined and DESeq2's positive-counts estimator is used."""
    if (counts.to_numpy() > 0).all(axis=1).any():
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
    estimator actually used.

    Every sample needs counts: QC excludes empty libraries ("library size 0") and the
    normalise step stops when the filter keeps no miRNA, so an empty table or an empty
    sample here is a bug, and an error rather than NaN size factors."""
    if counts.empty:
        raise ValueError("size factors of an empty count table (no miRNA passed the filter)")
    empty = library_sizes[counts.columns].index[library_sizes[counts.columns] == 0]
    if len(empty):
        raise ValueError(f"size factors of empty libraries ({', '.join(map(str, empty))}): QC excludes them")
    return SIZE_FACTORS[method].function(counts, library_sizes)


def normalise(counts: pd.DataFrame, factors: pd.Series) -> pd.DataFrame:
    """Counts divided by each sample's size factor."""
    values = counts.to_numpy() / factors[counts.columns].to_numpy()
    return pd.DataFrame(values, index=counts.index, columns=counts.columns)


def transform(values: pd.DataFrame, how: str) -> pd.DataFrame:
    """The scale the models and plots use: ``log2`` (log2(x + 1)) or ``none``."""
    if how == "log2":
        return np.log2(values + 1)
    if how == "none":
        return values
    raise ValueError(f"unknown transform {how!r}; use log2 or none")


# ---- a locked reference: new samples' size factors without refitting (SPEC stage 8) ----

# Estimators whose size factors are relative to a reference computed on the discovery samples.
REFERENCE_ESTIMATORS = ("median_of_ratios", "poscounts", "upper_quartile", "cpm")


@dataclass(frozen=True)
class Reference:
    """What a new sample's size factor is computed against, so that it lands on the
    discovery run's normalised scale without refitting anything.

    - ``median_of_ratios``: the discovery log geometric means of the reference miRNAs (the
      kept miRNAs without a zero in any discovery sample), as DESeq2's ``geoMeans``;
    - ``poscounts``: the positive-count log geometric means of the miRNAs with a count in
      some discovery sample, and ``scale``, the geometric mean of the discovery samples'
      unscaled factors (which DESeq2's poscounts divides by);
    - ``upper_quartile``: ``scale``, the geometric mean of the discovery samples' upper
      quartiles;
    - ``cpm``: nothing (a sample's factor is its library size / 1e6).
    """

    estimator: str
    log_geometric_means: pd.Series | None = None
    scale: float | None = None


def reference(counts: pd.DataFrame, estimator: str) -> Reference:
    """The reference of the discovery size factors of ``counts`` (the kept miRNAs x the
    analysed samples), for the ``estimator`` that made them (size_factors.tsv's method),
    computed with the same arithmetic, so that :func:`size_factors_from_reference`
    reproduces the discovery factors exactly."""
    if estimator == "median_of_ratios":
        logmeans, usable = deseq2_norm_fit(counts.T)
        means = pd.Series(np.asarray(logmeans, dtype=float), index=counts.index)
        return Reference(estimator, means[np.asarray(usable, dtype=bool)])
    if estimator == "poscounts":
        log_geo, usable, factors = _poscounts_parts(counts)
        means = pd.Series(log_geo[usable], index=counts.index[usable])
        return Reference(estimator, means, float(np.exp(np.mean(np.log(factors)))))
    if estimator == "upper_quartile":
        quartiles = counts.apply(lambda col: np.quantile(col[col > 0], 0.75))
        return Reference(estimator, scale=float(np.exp(np.mean(np.log(quartiles)))))
    if estimator == "cpm":
        return Reference(estimator)
    raise ValueError(f"no reference for size factors by {estimator!r}; use one of {REFERENCE_ESTIMATORS}")


def size_factors_from_reference(counts: pd.DataFrame, ref: Reference, library_sizes: pd.Series) -> pd.Series:
    """Size factors of (new) samples against a locked :class:`Reference`; ``counts`` holds
    the locked miRNAs (those the filter kept in discovery) x the samples, ``library_sizes``
    each sample's total count over all its miRNAs (as the discovery's).

    Median of ratios is DESeq2's ``estimateSizeFactorsForMatrix(geoMeans=)``: per sample,
    exp(median of log(count) - log geometric mean over the reference miRNAs with a positive
    count). Unlike R, the factors are NOT rescaled to a geometric mean of 1 over the new
    samples: each sample's factor is its own, whatever cohort it comes with (R's rescaling
    would move every new sample, and with it the meaning of a locked cut-off, with the new
    cohort's composition). poscounts: the same over positive counts, divided by the discovery
    ``scale``. A sample with no positive count in any reference miRNA gets NaN."""
    if ref.estimator == "cpm":
        return (library_sizes[counts.columns].astype(float) / 1e6).rename("size_factor")
    if ref.estimator == "upper_quartile":
        quartiles = counts.apply(lambda col: np.quantile(col[col > 0], 0.75) if (col > 0).any() else np.nan)
        return (quartiles / ref.scale).rename("size_factor")
    if ref.estimator not in ("median_of_ratios", "poscounts") or ref.log_geometric_means is None:
        raise ValueError(f"no size factors from a reference of {ref.estimator!r}")
    means = ref.log_geometric_means
    values = counts.loc[means.index].to_numpy(dtype=float)
    with np.errstate(divide="ignore"):
        ratios = np.log(values) - means.to_numpy(dtype=float)[:, None]
    factors = np.full(values.shape[1], np.nan)
    for j in range(values.shape[1]):
        positive = values[:, j] > 0
        if positive.any():
            factors[j] = np.exp(np.median(ratios[positive, j]))
    if ref.estimator == "poscounts":
        factors = factors / ref.scale
    return pd.Series(factors, index=counts.columns, name="size_factor")
