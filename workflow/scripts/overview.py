"""Rule overview: the run's headline results (the report's front page)."""

from mirflow.overview import write_overview
from mirflow.runner import run

run(write_overview, snakemake.log[0], results="results", out=snakemake.output[0])
