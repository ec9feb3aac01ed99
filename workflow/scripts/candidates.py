"""Rule candidates: the screened candidate miRNAs and the seed's Table 4."""

from mirflow.settings import DESettings
from mirflow.steps.candidates import run_candidates
from mirflow.steps.runner import run

run(
    run_candidates,
    snakemake.log[0],
    settings=DESettings.from_params(snakemake.params.de),
    wilcoxon_path=snakemake.input.wilcoxon,
    normalised_path=snakemake.input.normalised,
    covariates_path=snakemake.input.covariates,
    out_candidates=snakemake.output.candidates,
    out_table4=snakemake.output.table4,
    deseq2_paths=list(snakemake.input.deseq2),
)
