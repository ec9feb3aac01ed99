"""Step of rule panel: cross-validated AUC of the multi-marker panel."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import panel
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import PanelSettings

log = logging.getLogger(__name__)
PREDICTION_COLUMNS = ["sample", "repeat", "fold", "case", "probability"]


def run_panel(
    settings: PanelSettings,
    seed: int,
    transformed_path: str,
    markers_path: str,
    covariates_path: str,
    out_panel: str,
    out_predictions: str,
    out_model: str | None = None,
) -> None:
    """Cross-validated AUC of a Firth logistic model on all markers (and covariates).

    When there is no panel to fit (no markers, too many predictors for the smaller
    group, a constant marker, a fold's fit failing), the table has one row with NA
    estimates and the ``reason``, and the predictions table is empty. ``out_model``: the
    final model's coefficients, fitted on all samples (:func:`panel.model_table`; empty
    without a panel), which the locked model carries."""
    covariates, labels = read_design(covariates_path)
    markers = read_tsv(markers_path)["mirna"].tolist()
    values = read_tsv(transformed_path, index_col="mirna")
    result, reason = None, "no markers"
    if markers:
        x, y = panel.panel_design(values, covariates, labels, markers, settings.include_covariates)
        result, reason = panel.fit_panel(x, y, settings, seed)
    optimism = panel.panel_optimism(x, y, settings.n_bootstrap, seed) if result is not None else {}
    row = panel.panel_row(markers, covariates.columns, settings, result, reason, optimism)
    write_tsv(row, out_panel)
    if out_model is not None:
        write_tsv(panel.model_table(result, markers, covariates), out_model)
    if result is None:
        log.warning("panel not fitted: %s", reason)
        write_tsv(pd.DataFrame(columns=PREDICTION_COLUMNS), out_predictions)
        return
    log.info(
        "panel of %d markers: cross-validated AUC %.3f (SD %.3f, %d x %d-fold); apparent AUC %.3f "
        "(optimistic), optimism-corrected %.3f (%d bootstrap samples)",
        len(markers),
        row["auc_cv"].iloc[0],
        row["auc_cv_sd"].iloc[0],
        result.n_repeats,
        result.n_folds,
        result.auc_apparent,
        row["auc_corrected"].iloc[0],
        settings.n_bootstrap,
    )
    write_tsv(result.predictions, out_predictions)
