"""Rule validation_counts: check the locked model and the validation sheet, read and
harmonise the validation counts."""

from mirflow.settings import ValidationCountsSettings
from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_counts:run_validation_counts",
    snakemake.log[0],
    counts=ValidationCountsSettings.from_params(snakemake.params.counts),
    exclude=snakemake.params.exclude,
    model_path=snakemake.input.model,
    schema_path=snakemake.input.schema,
    samples_path=snakemake.input.samples,
    count_files=list(snakemake.input.counts),
    mirbase_v21=snakemake.input.v21,
    mirbase_v22=snakemake.input.v22,
    out_counts=snakemake.output.counts,
    out_report=snakemake.output.report,
    out_unmatched=snakemake.output.unmatched,
)
