"""Step of rule validation_prognostic: KM, log-rank and hazard ratios at the LOCKED
prognostic cut-offs (no new search), and the validation Table 5."""

from __future__ import annotations

import logging

from mirflow.analyses import validation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_prognostic(
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    out_km: str,
    out_table5: str,
) -> None:
    """KM strata per locked endpoint and marker, and Table 5 (empty tables when the model
    has no endpoints)."""
    model, sheet, labels = analysed(samples_path, qc_path, model_path)
    values = read_tsv(normalised_path, index_col="mirna")
    km, table5 = validation.prognostic_tables(sheet, labels, values, model["prognostic"])
    for row in km.drop_duplicates(["endpoint", "mirna"]).itertuples():
        log.info(
            "%s %s: log-rank p %s at the locked cut-off %s %s",
            row.endpoint,
            row.mirna,
            row.logrank_p,
            row.cutoff,
            row.reason or "",
        )
    write_tsv(km, out_km)
    write_tsv(table5, out_table5)
