"""Rule validation_curves: decision and calibration curves, and the validation figures."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_curves:run_validation_curves",
    snakemake.log[0],
    prevalence=snakemake.params.prevalence,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    markers_path=snakemake.input.markers,
    calls_path=snakemake.input.calls,
    panel_path=snakemake.input.panel,
    predictions_path=snakemake.input.predictions,
    out_decision=snakemake.output.decision,
    out_calibration=snakemake.output.calibration,
    figures={name: snakemake.output[name] for name in snakemake.output.keys() if name.startswith("val_")},
)
