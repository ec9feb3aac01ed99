"""Rule validation_cohort: the validation cohort checked, read, QC'd and normalised as locked."""

from mirflow.settings import ValidationCountsSettings
from mirflow.steps.runner import bundled, run
from mirflow.steps.validation_cohort import run_validation_cohort

run(
    run_validation_cohort,
    snakemake.log[0],
    counts=ValidationCountsSettings.from_params(snakemake.params.counts),
    exclude=snakemake.params.exclude,
    allow_overlap=snakemake.params.allow_overlap,
    model_path=snakemake.input.model,
    schema_path=bundled(snakemake, "lock_schema"),
    samples_path=snakemake.input.samples,
    count_files=list(snakemake.input.counts),
    mirbase_v21=bundled(snakemake, "mirbase_v21"),
    mirbase_v22=bundled(snakemake, "mirbase_v22"),
    out_counts=snakemake.output.counts,
    out_report=snakemake.output.report,
    out_unmatched=snakemake.output.unmatched,
    out_qc=snakemake.output.qc,
    out_normalised=snakemake.output.normalised,
    out_transformed=snakemake.output.transformed,
    out_size_factors=snakemake.output.size_factors,
    out_overlap=snakemake.output.overlap,
    out_covariates=snakemake.output.covariates,
)
