"""Rule logistic: covariate-adjusted logistic model per candidate; marker selection."""

from mirflow.steps.logistic import run_logistic
from mirflow.steps.runner import run

run(
    run_logistic,
    snakemake.log[0],
    markers=snakemake.params.markers,
    transformed_path=snakemake.input.transformed,
    candidates_path=snakemake.input.candidates,
    covariates_path=snakemake.input.covariates,
    filtered_path=snakemake.input.filtered,
    out_logistic=snakemake.output.logistic,
    out_markers=snakemake.output.markers,
)
