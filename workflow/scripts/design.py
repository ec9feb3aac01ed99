"""Rule design: the analysed samples' labels and design covariates, centred and scaled."""

from mirflow.settings import ContrastSettings
from mirflow.steps.design import run_design
from mirflow.steps.runner import run

run(
    run_design,
    snakemake.log[0],
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    covariates=snakemake.params.covariates,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    out_covariates=snakemake.output.covariates,
    out_scaling=snakemake.output.scaling,
)
