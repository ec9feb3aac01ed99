"""Step of rule logistic: covariate-adjusted logistic model per candidate; the markers."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from mirflow.analyses import markers as marker_selection
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.stats import logistic

log = logging.getLogger(__name__)


def logistic_models(
    values: pd.DataFrame, labels: pd.Series, covariates: pd.DataFrame, mirnas: list[str]
) -> pd.DataFrame:
    """:func:`mirflow.stats.logistic.logistic_table` per miRNA; a miRNA that gives no model
    (constant over the samples, or a design that is not full rank) gets NA values and the
    reason instead of stopping the run."""
    frames = []
    for mirna in mirnas:
        complete = logistic.design(values.loc[mirna, labels.index], covariates.loc[labels.index])
        reason = ""
        if len(complete) and np.ptp(complete["marker"].to_numpy()) == 0:
            reason = f"no model: {mirna} is constant over the {len(complete)} samples"
        else:
            try:
                frames.append(logistic.logistic_table(values, labels, covariates, [mirna]))
                continue
            except (np.linalg.LinAlgError, ValueError) as error:
                reason = f"no model: {type(error).__name__}: {error}"
        log.warning("%s: %s", mirna, reason)
        frames.append(
            pd.DataFrame([{"mirna": mirna, "n": len(complete), "reason": reason}], columns=logistic.COLUMNS)
        )
    if not frames:
        return pd.DataFrame(columns=logistic.COLUMNS)
    return pd.concat(frames, ignore_index=True)


def run_logistic(
    markers: str | Sequence[str],
    transformed_path: str,
    candidates_path: str,
    covariates_path: str,
    filtered_path: str,
    out_logistic: str,
    out_markers: str,
) -> None:
    """Logistic model per candidate (and configured marker); select the markers."""
    covariates, labels = read_design(covariates_path)
    values = read_tsv(transformed_path, index_col="mirna")
    candidates = read_tsv(candidates_path)["mirna"].tolist()
    listed = marker_selection.configured_markers(markers, values.index, read_tsv(filtered_path))
    table = logistic_models(values, labels, covariates, list(dict.fromkeys(candidates + listed)))
    chosen = marker_selection.select_markers(table, candidates, listed)
    firth = table.loc[table["method"] == "firth", "mirna"].tolist()
    log.info(
        "logistic models: %d fitted, %d with Firth's correction (%s)",
        len(table),
        len(firth),
        ", ".join(firth) or "none",
    )
    log.info("markers (%s): %s", "config" if listed else "auto", ", ".join(chosen["mirna"]) or "none")
    write_tsv(table, out_logistic)
    write_tsv(chosen, out_markers)
