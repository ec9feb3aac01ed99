"""Step of rule validation_figures: the validation cohort's QC and PCA figures (with the PCA
table), the ROC curves in the locked direction, the panel's calibration and decision
curves, and a KM figure per locked endpoint at the locked cut-offs. Apart from the tables
so that the report's tables need not wait for the drawing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirflow.analyses import diagnostic, prognostic, validation
from mirflow.io.tables import read_tsv
from mirflow.plots import diagnostic as diagnostic_plots
from mirflow.plots import validation as validation_plots
from mirflow.plots.common import save
from mirflow.plots.prognostic import km_figure, km_ticks
from mirflow.steps.lock import read_model
from mirflow.steps.qc_figures import run_qc_figures
from mirflow.steps.validation import analysed


def run_validation_figures(
    prevalence: float | None,
    exclude: Mapping[str, str],
    model_path: str,
    samples_path: str,
    counts_path: str,
    qc_path: str,
    normalised_path: str,
    markers_path: str,
    panel_path: str,
    predictions_path: str,
    km_path: str,
    decision_path: str,
    calibration_path: str,
    out_pca: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """Write the PCA table and draw every ``val_*`` figure (``figures``: name -> paths)."""
    model = read_model(model_path)
    run_qc_figures(
        model.qc(exclude),
        model.contrast,
        model.kind == "counts",
        samples_path,
        counts_path,
        qc_path,
        out_pca,
        figures["val_qc_samples"],
        figures["val_qc_pca"],
    )
    model, sheet, labels = analysed(samples_path, qc_path, model_path)
    names = model.contrast.names
    values = read_tsv(normalised_path, index_col="mirna")
    markers = read_tsv(markers_path)
    predictions = read_tsv(predictions_path)
    panel = read_tsv(panel_path).iloc[0]
    save(
        validation_plots.calibration_plot(read_tsv(calibration_path), predictions, panel, names),
        *figures["val_calibration"],
    )
    save(
        validation_plots.decision_curve_plot(read_tsv(decision_path), prevalence, markers),
        *figures["val_decision_curve"],
    )
    curves = diagnostic.roc_curve_table(values, labels, markers)
    save(diagnostic_plots.roc_curves(curves, markers, names), *figures["val_roc"])
    locked = model.prognostic
    km = read_tsv(km_path)
    for endpoint in locked.endpoints if locked else ():
        data = validation.endpoint_data(sheet, prognostic.population(labels, locked.population), endpoint)
        rows = km[km["endpoint"] == endpoint.name]
        stratified = rows[rows["stratum"].notna()]  # the others' panels say why not
        curves = prognostic.km_curve_table(
            data,
            {m: values.loc[m, data.time.index].astype(float) for m in stratified["mirna"].unique()},
            stratified,
            at=km_ticks(data.time.max() if len(data.time) else float("nan")),
        )
        population = {"population": f"{locked.population}, locked cut-offs"}
        save(km_figure(data, curves, rows, population, searched=False), *figures[f"val_km_{endpoint.name}"])
