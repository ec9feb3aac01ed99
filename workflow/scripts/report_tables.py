"""Rule report_tables: every table of the report as a readable HTML view."""

from mirflow.steps.report_tables import run_report_tables
from mirflow.steps.runner import run

run(
    run_report_tables,
    snakemake.log[0],
    tables=snakemake.params.tables,
    outputs={name: snakemake.output[name] for name in snakemake.output.keys()},
)
