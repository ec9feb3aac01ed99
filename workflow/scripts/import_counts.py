"""Rule import_counts: read, harmonise and match the count table(s)."""

from mirflow.runner import run
from mirflow.steps import import_counts

run(
    import_counts,
    snakemake.log[0],
    config=snakemake.config,
    mirbase_v21=snakemake.input.v21,
    mirbase_v22=snakemake.input.v22,
    out_counts=snakemake.output.counts,
    out_report=snakemake.output.report,
    out_unmatched=snakemake.output.unmatched,
)
