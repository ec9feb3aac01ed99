"""Rule validation_figures: the validation cohort's figures (QC, PCA, ROC, calibration,
decision curves, KM at the locked cut-offs)."""

from mirflow.steps.runner import run
from mirflow.steps.validation_figures import run_validation_figures

run(
    run_validation_figures,
    snakemake.log[0],
    prevalence=snakemake.params.prevalence,
    exclude=snakemake.params.exclude,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    counts_path=snakemake.input.counts,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    markers_path=snakemake.input.markers,
    panel_path=snakemake.input.panel,
    predictions_path=snakemake.input.predictions,
    km_path=snakemake.input.km,
    decision_path=snakemake.input.decision,
    calibration_path=snakemake.input.calibration,
    out_pca=snakemake.output.pca,
    figures={name: snakemake.output[name] for name in snakemake.output.keys() if name.startswith("val_")},
)
