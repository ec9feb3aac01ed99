"""Step of rule validation_curves: decision curves (panel, each marker at its locked
cut-off, treat all, treat none), the panel's calibration curve, and their figures with the
validation ROC curves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirflow.analyses import diagnostic, validation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots import diagnostic as diagnostic_plots
from mirflow.plots import validation as validation_plots
from mirflow.plots.common import save
from mirflow.steps.validation import analysed, model_contrast


def run_validation_curves(
    prevalence: float | None,
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    markers_path: str,
    calls_path: str,
    panel_path: str,
    predictions_path: str,
    out_decision: str,
    out_calibration: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """Write decision_curve.tsv and calibration_curve.tsv and draw val_calibration,
    val_decision_curve and val_roc."""
    model, _, labels = analysed(samples_path, qc_path, model_path)
    names = model_contrast(model).names
    predictions = read_tsv(predictions_path)
    markers = read_tsv(markers_path)
    panel = read_tsv(panel_path).iloc[0]
    decision = validation.decision_curves(labels, read_tsv(calls_path), predictions, prevalence)
    calibration = validation.calibration_curve(predictions)
    write_tsv(decision, out_decision)
    write_tsv(calibration, out_calibration)
    save(
        validation_plots.calibration_plot(calibration, predictions, panel, names), *figures["val_calibration"]
    )
    save(validation_plots.decision_curve_plot(decision, prevalence, markers), *figures["val_decision_curve"])
    curves = diagnostic.roc_curve_table(read_tsv(normalised_path, index_col="mirna"), labels, markers)
    save(diagnostic_plots.roc_curves(curves, markers, names), *figures["val_roc"])
