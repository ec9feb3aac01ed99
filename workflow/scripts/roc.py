"""Rule roc: AUC, CI and cut-off per marker; paired DeLong tests."""

from mirflow.diagnostic_steps import run_roc
from mirflow.runner import run

run(
    run_roc,
    snakemake.log[0],
    config=snakemake.config,
    normalised_path=snakemake.input.normalised,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    out_roc=snakemake.output.roc,
    out_comparisons=snakemake.output.comparisons,
)
