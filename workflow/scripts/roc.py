"""Rule roc: AUC, CI and cut-off per marker; paired DeLong tests."""

from mirflow.settings import RocSettings
from mirflow.steps.roc import run_roc
from mirflow.steps.runner import run

run(
    run_roc,
    snakemake.log[0],
    settings=RocSettings.from_params(snakemake.params.roc),
    seed=snakemake.params.seed,
    normalised_path=snakemake.input.normalised,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    out_roc=snakemake.output.roc,
    out_comparisons=snakemake.output.comparisons,
)
