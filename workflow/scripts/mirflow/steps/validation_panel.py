"""Step of rule validation_panel: the locked panel's predictions on the validation cohort,
their discrimination and calibration."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import validation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_panel(
    model_path: str,
    samples_path: str,
    qc_path: str,
    transformed_path: str,
    out_panel: str,
    out_predictions: str,
) -> None:
    """Predicted probabilities from the locked coefficients (nothing refitted), AUC,
    calibration-in-the-large, calibration slope and Brier score; without a locked panel a
    row with the reason and an empty predictions table."""
    model, sheet, labels = analysed(samples_path, qc_path, model_path)
    if model["panel"] is None:
        log.warning("no locked panel: %s", model["panel_reason"])
        write_tsv(validation.panel_row(model, None), out_panel)
        write_tsv(pd.DataFrame(columns=validation.PREDICTION_COLUMNS), out_predictions)
        return
    coded = validation.code_covariates(sheet.loc[labels.index], model, samples_path)
    x = validation.panel_design(read_tsv(transformed_path, index_col="mirna"), coded, model["panel"])
    missing = len(labels) - len(x)
    if missing:
        log.warning("%d sample(s) miss a covariate of the panel and are left out of it", missing)
    predictions = validation.panel_predictions(x, labels, model["panel"])
    row = validation.panel_row(model, predictions, missing)
    first = row.iloc[0]
    log.info(
        "panel: AUC %.3f (%.3f-%.3f), calibration intercept %.3f, slope %.3f, Brier %.3f",
        first["auc"],
        first["auc_ci_low"],
        first["auc_ci_high"],
        first["calibration_intercept"],
        first["calibration_slope"],
        first["brier"],
    )
    write_tsv(row, out_panel)
    write_tsv(predictions, out_predictions)
