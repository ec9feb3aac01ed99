"""Rule provenance: config, input checksums, versions and times of the run."""

from mirflow.provenance import write_provenance
from mirflow.runner import run

run(
    write_provenance,
    snakemake.log[0],
    config=snakemake.config,
    inputs=list(snakemake.input.data),
    version=snakemake.params.version,
    started_path="logs/run_started.txt",
    out=snakemake.output[0],
)
