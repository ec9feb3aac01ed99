"""Differential expression with DESeq2 (pydeseq2): the Wald tests (the design and its
rank check are in stats.deseq2_design).

pydeseq2 agrees with R's DESeq2 on the demo and on the real Lynch cohort well inside
the project's bars (tests/test_de.py); the remaining differences come from the
gene-wise dispersion optimiser on the most abundant miRNAs, not from the trend fit.
"""

from __future__ import annotations

import logging
import warnings

import pandas as pd
from formulaic import model_matrix
from pydeseq2.dds import DeseqDataSet
from pydeseq2.ds import DeseqStats

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.stats.deseq2_design import CONTRAST

log = logging.getLogger(__name__)
RESULT_COLUMNS = ["mirna", "base_mean", "log2_fold_change", "lfc_se", "stat", "p_value", "p_adjusted"]


# Below this many counts (miRNAs x samples) pydeseq2 runs in this process: starting its
# worker processes (joblib's loky, each importing pydeseq2 again) costs more than the fits
# (demo, 850 x 38: 3.4 s with 2 workers, 2.7 s with none). The per-miRNA fits are
# independent, so the results are the same either way.
PARALLEL_MIN_COUNTS = 1_000_000


def processes(n_counts: int, n_cpus: int) -> int:
    """pydeseq2's worker processes for a count table of ``n_counts`` values."""
    return n_cpus if n_counts >= PARALLEL_MIN_COUNTS else 1


def run_deseq2(
    counts: pd.DataFrame, frame: pd.DataFrame, formula: str, alpha: float, n_cpus: int = 1
) -> pd.DataFrame:
    """Wald test case vs control with DESeq2's defaults; the SPEC's result columns.

    Cook's distance outlier replacement/filtering and independent filtering as R's
    ``DESeq()`` + ``results(alpha = alpha)``. ``counts`` is miRNAs x samples; ``n_cpus``
    worker processes for large tables (:func:`processes`).
    """
    data = counts[frame.index].T
    n_cpus = processes(data.size, n_cpus)
    n_parameters = model_matrix(formula, frame).shape[1]
    if len(frame) <= n_parameters:
        raise InputError(
            "config",
            f"the design {formula} has {n_parameters} parameters but only {len(frame)} samples: "
            "DESeq2 cannot estimate dispersions without replicates",
            "analyse at least 2 samples per group (more than the design's parameters)",
            where="contrast/covariates",
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dds = DeseqDataSet(
            counts=data, metadata=frame, design=formula, quiet=True, n_cpus=n_cpus, refit_cooks=True
        )
        dds.deseq2()
        stats = DeseqStats(
            dds,
            contrast=[CONTRAST, CASE, CONTROL],
            alpha=alpha,
            cooks_filter=True,
            independent_filter=True,
            quiet=True,
            n_cpus=n_cpus,
        )
        stats.summary()
    for message in {str(w.message) for w in caught if not issubclass(w.category, DeprecationWarning)}:
        log.warning("pydeseq2: %s", message)
    table = stats.results_df.rename(
        columns={
            "baseMean": "base_mean",
            "log2FoldChange": "log2_fold_change",
            "lfcSE": "lfc_se",
            "pvalue": "p_value",
            "padj": "p_adjusted",
        }
    )
    table.insert(0, "mirna", table.index.astype(str))
    return table[RESULT_COLUMNS].reset_index(drop=True)
