"""Rule prognostic: cut-offs, KM strata, log-rank, Cox, corrected p, Table 5."""

from mirflow.settings import SurvivalSettings
from mirflow.steps.prognostic import run_prognostic
from mirflow.steps.runner import run

run(
    run_prognostic,
    snakemake.log[0],
    settings=SurvivalSettings.from_params(snakemake.params.survival),
    seed=snakemake.params.seed,
    samples_path=snakemake.input.samples,
    normalised_path=snakemake.input.normalised,
    transformed_path=snakemake.input.transformed,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    out_cutoffs=snakemake.output.cutoffs,
    out_km=snakemake.output.km,
    out_cox=snakemake.output.cox,
    out_table5=snakemake.output.table5,
)
