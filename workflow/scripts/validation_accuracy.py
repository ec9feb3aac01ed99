"""Rule validation_accuracy: likelihood ratios and partial AUC of the locked markers."""

from mirflow.steps.runner import run
from mirflow.steps.validation_accuracy import run_validation_accuracy

run(
    run_validation_accuracy,
    snakemake.log[0],
    specificity=snakemake.params.specificity,
    n_bootstrap=snakemake.params.n_bootstrap,
    seed=snakemake.params.seed,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    markers_path=snakemake.input.markers,
    out=snakemake.output[0],
)
