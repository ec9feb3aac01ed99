"""Rule qc: QC metrics and exclusions."""

from mirflow.settings import ContrastSettings, QCSettings
from mirflow.steps.qc import run_qc
from mirflow.steps.runner import run

run(
    run_qc,
    snakemake.log[0],
    settings=QCSettings.from_params(snakemake.params.qc),
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    is_counts=snakemake.params.kind == "counts",
    samples_path=snakemake.input.samples,
    counts_path=snakemake.input.counts,
    out_samples=snakemake.output.samples,
)
