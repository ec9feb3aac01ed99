"""Rule validation_qc: sample QC of the validation cohort with the locked thresholds."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_qc:run_validation_qc",
    snakemake.log[0],
    exclude=snakemake.params.exclude,
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    counts_path=snakemake.input.counts,
    out_samples=snakemake.output.samples,
    out_pca=snakemake.output.pca,
    fig_qc=snakemake.output.fig_qc,
    fig_pca=snakemake.output.fig_pca,
)
