"""Rule provenance: config, input and code checksums, versions and times of the run."""

from mirflow.steps.provenance import write_provenance
from mirflow.steps.runner import run

run(
    write_provenance,
    snakemake.log[0],
    config=snakemake.params.config,
    inputs=list(snakemake.input.data),
    code=snakemake.params.code,
    version=snakemake.params.version,
    started_path=snakemake.params.started,
    out=snakemake.output[0],
)
