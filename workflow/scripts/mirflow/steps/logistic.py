"""Step of rule logistic: covariate-adjusted logistic model per candidate; the markers."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from mirflow.analyses import markers as marker_selection
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.stats import logistic

log = logging.getLogger(__name__)


def run_logistic(
    markers: str | Sequence[str],
    transformed_path: str,
    candidates_path: str,
    covariates_path: str,
    out_logistic: str,
    out_markers: str,
) -> None:
    """Logistic model per candidate (and configured marker); select the markers."""
    covariates, labels = read_design(covariates_path)
    values = read_tsv(transformed_path, index_col="mirna")
    candidates = read_tsv(candidates_path)["mirna"].tolist()
    listed = marker_selection.configured_markers(markers, values.index)
    table = logistic.logistic_table(values, labels, covariates, list(dict.fromkeys(candidates + listed)))
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
