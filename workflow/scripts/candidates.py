"""Rule candidates: the screened candidate miRNAs and the seed's Table 4."""

from mirflow.de_steps import run_candidates
from mirflow.runner import run

run(
    run_candidates,
    snakemake.log[0],
    config=snakemake.config,
    wilcoxon_path=snakemake.input.wilcoxon,
    normalised_path=snakemake.input.normalised,
    covariates_path=snakemake.input.covariates,
    out_candidates=snakemake.output.candidates,
    out_table4=snakemake.output.table4,
    deseq2_paths=list(snakemake.input.deseq2),
)
