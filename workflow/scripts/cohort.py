"""Rule cohort: the cohort characteristics table (Table 3)."""

from mirflow.settings import ContrastSettings
from mirflow.steps.cohort import run_cohort
from mirflow.steps.runner import run

run(
    run_cohort,
    snakemake.log[0],
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    variables=snakemake.params.variables,
    endpoint_columns=snakemake.params.endpoint_columns,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    out_table=snakemake.output.table,
)
