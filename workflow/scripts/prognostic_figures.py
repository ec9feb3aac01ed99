"""Rule prognostic_figures: Kaplan-Meier and landmark ROC figures per endpoint."""

from mirflow.settings import SurvivalSettings
from mirflow.steps.prognostic_figures import run_prognostic_figures
from mirflow.steps.runner import run

run(
    run_prognostic_figures,
    snakemake.log[0],
    settings=SurvivalSettings.from_params(snakemake.params.survival),
    samples_path=snakemake.input.samples,
    normalised_path=snakemake.input.normalised,
    markers_path=snakemake.input.markers,
    covariates_path=snakemake.input.covariates,
    cutoffs_path=snakemake.input.cutoffs,
    km_path=snakemake.input.km,
    figures={name: snakemake.output[name] for name in snakemake.output.keys()},
)
