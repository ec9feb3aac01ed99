"""Step of rule validation_accuracy: each locked marker's likelihood ratios at its locked
cut-off and its partial AUC over the clinically useful specificity range, on the validation
cohort (apart from rule validation_results, so that its bootstrap does not hold them up)."""

from __future__ import annotations

import logging

from mirflow.analyses.cutoff_accuracy import marker_accuracy
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_accuracy(
    specificity: tuple[float, float],
    n_bootstrap: int,
    seed: int,
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    markers_path: str,
    out: str,
) -> None:
    """results/validation/marker_accuracy.tsv: LR+ and LR- (log-method 95% CIs) of the 2x2
    tables of results/validation/markers.tsv, and the McClish partial AUC over the
    ``specificity`` range in the locked direction with a seeded stratified bootstrap CI."""
    model, _, labels = analysed(samples_path, qc_path, model_path)
    values = read_tsv(normalised_path, index_col="mirna")
    table = marker_accuracy(
        values, labels, read_tsv(markers_path), model.markers, tuple(specificity), n_bootstrap, seed
    )
    for row in table.itertuples():
        log.info(
            "%s: LR+ %s (%s-%s), LR- %s (%s-%s); partial AUC (specificity %g-%g) %s (%s-%s) %s",
            row.mirna,
            row.lr_positive,
            row.lr_positive_ci_low,
            row.lr_positive_ci_high,
            row.lr_negative,
            row.lr_negative_ci_low,
            row.lr_negative_ci_high,
            row.specificity_low,
            row.specificity_high,
            row.partial_auc,
            row.partial_auc_ci_low,
            row.partial_auc_ci_high,
            row.reason,
        )
    write_tsv(table, out)
