"""Rule de_figures: volcano and MA plots, heatmap and box plots of the candidates."""

from mirflow.de_steps import run_de_figures
from mirflow.runner import run

run(
    run_de_figures,
    snakemake.log[0],
    config=snakemake.config,
    candidates_path=snakemake.input.candidates,
    transformed_path=snakemake.input.transformed,
    covariates_path=snakemake.input.covariates,
    fits=dict(zip(snakemake.params.fits, snakemake.input.fits, strict=True)),
    figures={name: snakemake.output[name] for name in snakemake.output.keys()},
)
