"""Step of rule validation_markers: each locked marker at its locked cut-off and direction."""

from __future__ import annotations

import logging

from mirflow.analyses import validation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_markers(
    prevalence: float | None,
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    out_markers: str,
    out_calls: str,
) -> None:
    """AUC (DeLong, locked direction), 2x2 table, sensitivity, specificity, PPV, NPV with
    exact CIs (and at ``prevalence``), and every sample's call."""
    model, _, labels = analysed(samples_path, qc_path, model_path)
    values = read_tsv(normalised_path, index_col="mirna")
    table = validation.marker_table(values, labels, model["markers"], prevalence)
    for row in table.itertuples():
        log.info(
            "%s: AUC %.3f (%.3f-%.3f); at the locked cut-off %s: sensitivity %s, specificity %s",
            row.mirna,
            row.auc,
            row.auc_ci_low,
            row.auc_ci_high,
            row.cutoff,
            row.sensitivity,
            row.specificity,
        )
    write_tsv(table, out_markers)
    write_tsv(validation.marker_calls(values, labels, model["markers"]), out_calls)
