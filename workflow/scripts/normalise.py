"""Rule normalise: filter miRNAs, size factors, normalised and transformed tables."""

from mirflow.runner import run
from mirflow.steps import run_normalise

run(
    run_normalise,
    snakemake.log[0],
    config=snakemake.config,
    counts_path=snakemake.input.counts,
    qc_path=snakemake.input.qc,
    out_raw=snakemake.output.raw,
    out_normalised=snakemake.output.normalised,
    out_size_factors=snakemake.output.size_factors,
    out_filtered=snakemake.output.filtered,
    out_transformed=snakemake.output.transformed,
)
