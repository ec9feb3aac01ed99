"""Differential expression with DESeq2 (pydeseq2): design, rank check, Wald tests.

pydeseq2 agrees with R's DESeq2 on the demo and on the real Lynch cohort well inside
the project's bars (tests/test_de.py); the remaining differences come from the
gene-wise dispersion optimiser on the most abundant miRNAs, not from the trend fit.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
from formulaic import model_matrix
from pydeseq2.dds import DeseqDataSet
from pydeseq2.ds import DeseqStats

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL

log = logging.getLogger(__name__)
RESULT_COLUMNS = ["mirna", "base_mean", "log2_fold_change", "lfc_se", "stat", "p_value", "p_adjusted"]
CONTRAST = "contrast"


def design_frame(
    labels: pd.Series, covariates: pd.DataFrame | None
) -> tuple[pd.DataFrame, str, dict[str, str]]:
    """Metadata and formula for ``~ covariates + contrast``.

    Covariates are renamed ``cov1, cov2, ...`` so that any sheet column name is safe in
    a formula; the returned mapping translates back for messages. Samples with a
    missing covariate are dropped (and logged). The contrast is last in the design,
    as DESeq2 users write it.
    """
    frame = pd.DataFrame({CONTRAST: labels.astype(str)}, index=labels.index)
    names: dict[str, str] = {}
    if covariates is not None and covariates.shape[1]:
        renamed = covariates.loc[labels.index].copy()
        names = {f"cov{i + 1}": str(c) for i, c in enumerate(covariates.columns)}
        renamed.columns = list(names)
        frame = pd.concat([renamed, frame], axis=1)
        missing = frame.index[frame.isna().any(axis=1)]
        if len(missing):
            log.warning(
                "%d sample(s) with a missing covariate left out of the adjusted fit: %s",
                len(missing),
                ", ".join(map(str, missing)),
            )
            frame = frame.drop(index=missing)
    formula = "~" + " + ".join([*names, CONTRAST])
    return frame, formula, names


def check_full_rank(frame: pd.DataFrame, formula: str, names: dict[str, str], source: str) -> None:
    """Stop when the design is not full rank, naming the confounded columns."""
    matrix = model_matrix(
        formula, frame.assign(**{CONTRAST: pd.Categorical(frame[CONTRAST], categories=[CONTROL, CASE])})
    )
    values = np.asarray(matrix, dtype=float)
    rank = np.linalg.matrix_rank(values)
    if rank == values.shape[1]:
        return
    involved = [
        col
        for j, col in enumerate(matrix.columns)
        if np.linalg.matrix_rank(np.delete(values, j, axis=1)) == rank
    ]
    readable = []
    for column in involved:
        for code, name in names.items():
            column = column.replace(code, name)
        readable.append(column.replace(f"{CONTRAST}[T.{CASE}]", "case vs control"))
    raise InputError(
        source,
        f"the design {design_label(names)} is not full rank: "
        f"{', '.join(readable)} are confounded (one is a combination of the others)",
        "remove or merge the confounded covariate (e.g. a batch that holds only cases)",
        where="covariates",
    )


def design_label(names: dict[str, str]) -> str:
    """The design as a user reads it, e.g. '~ age + contrast'."""
    return "~ " + " + ".join([*names.values(), CONTRAST])


def run_deseq2(
    counts: pd.DataFrame, frame: pd.DataFrame, formula: str, alpha: float, n_cpus: int = 1
) -> pd.DataFrame:
    """Wald test case vs control with DESeq2's defaults; the SPEC's result columns.

    Cook's distance outlier replacement/filtering and independent filtering as R's
    ``DESeq()`` + ``results(alpha = alpha)``. ``counts`` is miRNAs x samples.
    """
    data = counts[frame.index].T
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
