"""Sample quality control: library size, detected miRNAs, hemolysis, PCA, exclusion."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)
QC_COLUMNS = ["sample", "library_size", "detected", "hemolysis_log2", "excluded", "reason"]


def hemolysis_log2(counts: pd.DataFrame, numerator: str, denominator: str) -> pd.Series:
    """log2(numerator / denominator) per sample; NA where either miRNA is absent or 0.

    miR-451a is abundant in red cells and miR-23a-3p is not, so a high ratio marks a
    hemolysed serum sample (Blondal et al. 2013; a ratio above 7 on the log2 scale).
    """
    if numerator not in counts.index or denominator not in counts.index:
        log.warning("hemolysis ratio not computed: %s or %s not in the table", numerator, denominator)
        return pd.Series(np.nan, index=counts.columns, dtype=float)
    top = counts.loc[numerator].astype(float)
    bottom = counts.loc[denominator].astype(float)
    ratio = np.log2(top.where(top > 0) / bottom.where(bottom > 0))
    for sample in ratio.index[ratio.isna()]:
        log.warning(
            "hemolysis ratio of %s not computable (%s = %s, %s = %s)",
            sample,
            numerator,
            top[sample],
            denominator,
            bottom[sample],
        )
    return ratio


def column_sums(values: np.ndarray) -> np.ndarray:
    """Per-column sums of a features x samples array, each column summed along its own
    contiguous run, the order pandas sums a column in (floats give the same bits)."""
    return np.asfortranarray(values).sum(axis=0)


def qc_metrics(counts: pd.DataFrame, numerator: str, denominator: str) -> pd.DataFrame:
    """Library size (sum over miRNAs), miRNAs detected (count >= 1) and hemolysis."""
    values = counts.to_numpy()
    return pd.DataFrame(
        {
            "sample": counts.columns,
            "library_size": column_sums(values),
            "detected": (values >= 1).sum(axis=0),
            "hemolysis_log2": hemolysis_log2(counts, numerator, denominator).to_numpy(),
        }
    )


def exclusion_reasons(
    metrics: pd.DataFrame,
    labels: pd.Series,
    min_library_size: float | None,
    max_hemolysis_log2: float,
    manual: Mapping[str, str],
) -> pd.DataFrame:
    """Add ``excluded`` and ``reason`` (all reasons, '; '-joined) to the QC metrics.

    ``min_library_size`` None skips that check (values that are not counts). A library
    without any count (size 0) is always excluded, whatever the threshold: it has no
    composition to normalise (its size factor would be 0 or undefined).
    """
    reasons: list[str] = []
    for row in metrics.itertuples(index=False):
        why = []
        if pd.isna(labels[row.sample]):
            why.append("not in contrast")
        if min_library_size is not None and row.library_size == 0:
            why.append("library size 0")
        elif min_library_size is not None and row.library_size < min_library_size:
            why.append(f"library size {row.library_size:g} < {min_library_size:g}")
        if pd.notna(row.hemolysis_log2) and row.hemolysis_log2 > max_hemolysis_log2:
            why.append(f"hemolysed: log2 ratio {row.hemolysis_log2:.2f} > {max_hemolysis_log2:g}")
        if row.sample in manual:
            why.append(f"excluded in config: {manual[row.sample]}")
        reasons.append("; ".join(why))
    table = metrics.copy()
    table["excluded"] = [bool(r) for r in reasons]
    table["reason"] = reasons
    return table[QC_COLUMNS]


def log_cpm(counts: pd.DataFrame) -> pd.DataFrame:
    """log2(counts per million + 1): library-size-free values for PCA and plots; 0 where
    undefined (an empty library)."""
    values = counts.to_numpy()
    sizes = column_sums(values).astype(float)
    sizes[sizes == 0] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        cpm = np.log2(values / sizes * 1e6 + 1)
    cpm[np.isnan(cpm)] = 0.0
    return pd.DataFrame(cpm, index=counts.index, columns=counts.columns)


def row_variances(values: np.ndarray) -> np.ndarray:
    """Sample variance (ddof 1) of each row (no NaN), by pandas' two-pass formula and in
    its summation order for a table read from a TSV, so that the ranking of features by
    variance is the one ``DataFrame.var(axis=1)`` gave: floats row by row (C order),
    integers all rows at once, sample by sample (F order)."""
    values = np.asarray(values, dtype=float, order="C" if values.dtype.kind == "f" else "F")
    n = values.shape[1]
    means = values.sum(axis=1) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((means[:, None] - values) ** 2).sum(axis=1) / (n - 1)


def pca_scores(
    values: pd.DataFrame, n_top: int = 500, n_components: int = 2
) -> tuple[pd.DataFrame, np.ndarray]:
    """PCA of samples on the ``n_top`` most variable features (features x samples input).

    Returns per-sample scores (PC1, PC2, ...) and the explained variance ratios. The
    full SVD solver makes the result deterministic; the samples x features matrix is in
    C order, as the centring's sums (and so the bits) depend on it.
    """
    matrix = values.to_numpy()
    top = pd.Series(row_variances(matrix)).sort_values(ascending=False, kind="stable").index[:n_top]
    variable = np.ascontiguousarray(matrix[top].T, dtype=float)
    n_components = min(n_components, *variable.shape)
    from sklearn.decomposition import PCA  # only the QC figures' step computes it

    pca = PCA(n_components=n_components, svd_solver="full")
    scores = pca.fit_transform(variable)
    frame = pd.DataFrame(scores, index=values.columns, columns=[f"PC{i + 1}" for i in range(n_components)])
    frame.index.name = "sample"
    return frame, pca.explained_variance_ratio_
