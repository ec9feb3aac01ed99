"""Rule time_roc: AUC(t), Uno's C, Brier scores, cumulative incidence and Gray's test."""

from mirflow.settings import EndpointSettings
from mirflow.steps.runner import run
from mirflow.steps.time_roc import run_time_roc

run(
    run_time_roc,
    snakemake.log[0],
    population=snakemake.params.population,
    endpoints={name: EndpointSettings.from_params(e) for name, e in snakemake.params.endpoints.items()},
    adjust_for=snakemake.params.adjust_for,
    time_grid=snakemake.params.time_grid,
    samples_path=snakemake.input.samples,
    normalised_path=snakemake.input.normalised,
    transformed_path=snakemake.input.transformed,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    cutoffs_path=snakemake.input.cutoffs,
    panel_model_path=snakemake.input.panel_model,
    out_time_roc=snakemake.output.time_roc,
    out_concordance=snakemake.output.concordance,
    out_cumulative_incidence=snakemake.output.cumulative_incidence,
    out_gray=snakemake.output.gray,
    out_cox_baseline=snakemake.output.cox_baseline,
)
