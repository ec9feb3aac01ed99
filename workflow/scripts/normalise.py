"""Rule normalise: filter miRNAs, size factors, normalised and transformed tables."""

from mirflow.settings import ContrastSettings, FilterSettings
from mirflow.steps.normalise import run_normalise
from mirflow.steps.runner import run

run(
    run_normalise,
    snakemake.log[0],
    settings=FilterSettings.from_params(snakemake.params.filter),
    method=snakemake.params.normalisation,
    kind=snakemake.params.kind,
    transform=snakemake.params.transform,
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    samples_path=snakemake.input.samples,
    counts_path=snakemake.input.counts,
    qc_path=snakemake.input.qc,
    out_raw=snakemake.output.raw,
    out_normalised=snakemake.output.normalised,
    out_size_factors=snakemake.output.size_factors,
    out_filtered=snakemake.output.filtered,
    out_transformed=snakemake.output.transformed,
)
