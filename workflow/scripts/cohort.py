"""Rule cohort: the cohort characteristics table and the design covariates."""

from mirflow.runner import run
from mirflow.steps import run_cohort

run(
    run_cohort,
    snakemake.log[0],
    config=snakemake.config,
    qc_path=snakemake.input.qc,
    out_table=snakemake.output.table,
    out_covariates=snakemake.output.covariates,
)
