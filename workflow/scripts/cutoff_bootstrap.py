"""Rule cutoff_bootstrap: the out-of-bag bootstrap of each marker's discovery cut-off."""

from mirflow.steps.cutoff_bootstrap import run_cutoff_bootstrap
from mirflow.steps.runner import run

run(
    run_cutoff_bootstrap,
    snakemake.log[0],
    method=snakemake.params.method,
    n_bootstrap=snakemake.params.n_bootstrap,
    seed=snakemake.params.seed,
    normalised_path=snakemake.input.normalised,
    roc_path=snakemake.input.roc,
    covariates_path=snakemake.input.covariates,
    out=snakemake.output.bootstrap,
    out_resamples=snakemake.output.resamples,
)
