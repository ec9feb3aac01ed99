"""Step of rule panel: cross-validated AUC of the multi-marker panel."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import panel
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import PanelSettings
from mirflow.stats.panel import cross_validated_panel

log = logging.getLogger(__name__)


def run_panel(
    settings: PanelSettings,
    seed: int,
    transformed_path: str,
    markers_path: str,
    covariates_path: str,
    out_panel: str,
    out_predictions: str,
) -> None:
    """Cross-validated AUC of a Firth logistic model on all markers (and covariates)."""
    covariates, labels = read_design(covariates_path)
    markers = read_tsv(markers_path)["mirna"].tolist()
    values = read_tsv(transformed_path, index_col="mirna")
    if not markers:
        log.warning("no markers: the panel is not fitted")
        write_tsv(panel.panel_row(markers, covariates.columns, settings, None), out_panel)
        write_tsv(pd.DataFrame(columns=["sample", "repeat", "fold", "case", "probability"]), out_predictions)
        return
    x, y = panel.panel_design(values, covariates, labels, markers, settings.include_covariates)
    result = cross_validated_panel(x, y, settings.n_folds, settings.n_repeats, seed)
    row = panel.panel_row(markers, covariates.columns, settings, result)
    log.info(
        "panel of %d markers: cross-validated AUC %.3f (SD %.3f, %d x %d-fold); apparent AUC %.3f "
        "(optimistic)",
        len(markers),
        row["auc_cv"].iloc[0],
        row["auc_cv_sd"].iloc[0],
        result.n_repeats,
        result.n_folds,
        result.auc_apparent,
    )
    write_tsv(row, out_panel)
    write_tsv(result.predictions, out_predictions)
