"""Step of rule cutoff_bootstrap: the out-of-bag bootstrap of each marker's discovery cut-off
(apart from rule roc, so that the ROC table does not wait for it)."""

from __future__ import annotations

import logging

from mirflow.analyses.cutoff_accuracy import cutoff_bootstrap
from mirflow.io.tables import read_design, read_tsv, write_tsv

log = logging.getLogger(__name__)


def run_cutoff_bootstrap(
    method: str,
    n_bootstrap: int,
    seed: int,
    normalised_path: str,
    roc_path: str,
    covariates_path: str,
    out: str,
    out_resamples: str,
) -> None:
    """results/diagnostic/cutoff_bootstrap.tsv (per marker: the cut-off's median and
    quartiles over the bootstrap samples, in-bag and out-of-bag sensitivity and specificity,
    their optimism) and the resamples' table, on the normalised values the ROC used."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")
    summary, resamples = cutoff_bootstrap(values, labels, read_tsv(roc_path), method, n_bootstrap, seed)
    for row in summary.itertuples():
        log.info(
            "%s: cut-off %s (bootstrap median %s, IQR %s); optimism of sensitivity %s, specificity %s",
            row.mirna,
            row.cutoff,
            row.cutoff_median,
            row.cutoff_iqr,
            row.optimism_sensitivity,
            row.optimism_specificity,
        )
    write_tsv(summary, out)
    write_tsv(resamples, out_resamples)
