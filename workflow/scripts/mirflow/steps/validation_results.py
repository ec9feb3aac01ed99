"""Step of rule validation_results: the locked model scored on the validation cohort,
nothing refitted: each locked marker at its locked cut-off and direction, the locked
panel's predictions with their discrimination and calibration, KM, log-rank and hazard
ratios at the LOCKED prognostic cut-offs (no new search), and the decision and calibration
curves. One job: every part only follows the lock and the cohort."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import validation
from mirflow.analyses.validation_cohort import code_covariates
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_results(
    prevalence: float | None,
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    transformed_path: str,
    covariates_path: str,
    out_markers: str,
    out_calls: str,
    out_panel: str,
    out_predictions: str,
    out_km: str,
    out_table5: str,
    out_decision: str,
    out_calibration: str,
) -> None:
    """markers.tsv and marker_calls.tsv (AUC in the locked direction, 2x2 tables with exact
    CIs, PPV/NPV at ``prevalence``), panel.tsv and panel_predictions.tsv, km.tsv and
    table5.tsv, decision_curve.tsv and calibration_curve.tsv."""
    model, sheet, labels = analysed(samples_path, qc_path, model_path)
    values = read_tsv(normalised_path, index_col="mirna")
    markers = validation.marker_table(values, labels, model.markers, prevalence)
    for row in markers.itertuples():
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
    calls = validation.marker_calls(values, labels, model.markers)
    write_tsv(markers, out_markers)
    write_tsv(calls, out_calls)

    if model.panel is None:
        log.warning("no locked panel: %s", model.panel_reason)
        panel = validation.panel_row(model, None)
        predictions = pd.DataFrame(columns=validation.PREDICTION_COLUMNS)
    else:
        coded = code_covariates(sheet.loc[labels.index], model, samples_path)
        x = validation.panel_design(read_tsv(transformed_path, index_col="mirna"), coded, model.panel)
        missing = len(labels) - len(x)
        if missing:
            left_out = labels.index.difference(x.index, sort=False)
            per_covariate = [f"{c} {int(coded.loc[left_out, c].isna().sum())}" for c in coded.columns]
            per_group = [f"{n} {group}" for group, n in labels[left_out].value_counts(sort=False).items()]
            log.warning(
                "%d sample(s) (%s) miss a covariate of the panel (missing: %s) and are left out of it",
                missing,
                ", ".join(per_group),
                ", ".join(per_covariate),
            )
        predictions = validation.panel_predictions(x, labels, model.panel)
        shift = read_tsv(covariates_path)
        scale_notes = [
            f"covariate {row.covariate}: {row.note} (results/validation/covariates.tsv)"
            for row in shift.itertuples()
            if row.covariate in model.panel.covariates and isinstance(row.note, str) and row.note
        ]
        panel = validation.panel_row(model, predictions, missing, scale_notes)
        first = panel.iloc[0]
        log.info(
            "panel: AUC %.3f (%.3f-%.3f), calibration intercept %.3f, slope %.3f, Brier %.3f",
            first["auc"],
            first["auc_ci_low"],
            first["auc_ci_high"],
            first["calibration_intercept"],
            first["calibration_slope"],
            first["brier"],
        )
    write_tsv(panel, out_panel)
    write_tsv(predictions, out_predictions)
    # the tables as the later steps read them back (the decision curves need the files' types)
    predictions = read_tsv(out_predictions)

    km, table5 = validation.prognostic_tables(sheet, labels, values, model.prognostic)
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

    write_tsv(validation.decision_curves(labels, read_tsv(out_calls), predictions, prevalence), out_decision)
    write_tsv(validation.calibration_curve(predictions), out_calibration)
