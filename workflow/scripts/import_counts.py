"""Rule import_counts: read, harmonise and match the count table(s)."""

from mirflow.settings import CountsSettings
from mirflow.steps.counts import import_counts
from mirflow.steps.runner import bundled, run

run(
    import_counts,
    snakemake.log[0],
    counts=CountsSettings.from_params(snakemake.params.counts),
    count_files=list(snakemake.input.counts),
    samples_path=snakemake.input.samples,
    mirbase_v21=bundled(snakemake, "mirbase_v21"),
    mirbase_v22=bundled(snakemake, "mirbase_v22"),
    out_counts=snakemake.output.counts,
    out_report=snakemake.output.report,
    out_unmatched=snakemake.output.unmatched,
)
