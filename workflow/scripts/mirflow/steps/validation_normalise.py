"""Step of rule validation_normalise: the validation samples normalised against the LOCKED
reference (no size factor refitted on the new cohort) and transformed as locked."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import validation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_normalise(
    model_path: str,
    samples_path: str,
    counts_path: str,
    qc_path: str,
    out_normalised: str,
    out_transformed: str,
    out_size_factors: str,
) -> None:
    """Normalised and transformed values of the locked miRNAs for the samples that passed
    QC, and their size factors against the locked reference."""
    model, _, labels = analysed(samples_path, qc_path, model_path)
    counts = read_tsv(counts_path, index_col="mirna")[list(labels.index)]
    values, transformed, factors, estimator = validation.normalise_cohort(counts, model, counts_path)
    log.info(
        "size factors against the locked %s reference: %.3f-%.3f (%d samples)",
        estimator,
        factors.min(),
        factors.max(),
        len(factors),
    )
    write_tsv(values, out_normalised, index_label="mirna")
    write_tsv(transformed, out_transformed, index_label="mirna")
    write_tsv(
        pd.DataFrame({"sample": factors.index, "size_factor": factors.to_numpy(), "method": estimator}),
        out_size_factors,
    )
