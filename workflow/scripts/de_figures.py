"""Rule de_figures: volcano and MA plots, heatmap and box plots of the candidates."""

from mirflow.settings import ContrastSettings, DESettings
from mirflow.steps.de_figures import run_de_figures
from mirflow.steps.runner import run

run(
    run_de_figures,
    snakemake.log[0],
    settings=DESettings.from_params(snakemake.params.de),
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    transform=snakemake.params.transform,
    covariates=snakemake.params.covariates,
    seed=snakemake.params.seed,
    samples_path=snakemake.input.samples,
    candidates_path=snakemake.input.candidates,
    transformed_path=snakemake.input.transformed,
    covariates_path=snakemake.input.covariates,
    fits=dict(zip(snakemake.params.fits, snakemake.input.fits, strict=True)),
    figures={name: snakemake.output[name] for name in snakemake.output.keys()},
)
