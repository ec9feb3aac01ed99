"""DESeq2's design: the metadata frame and formula of ``~ covariates + contrast``, and its
rank check. Apart from the fit (stats.deseq2) so that the check the workflow runs when it
starts, before any job, does not import pydeseq2."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from formulaic import model_matrix

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL

log = logging.getLogger(__name__)
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
