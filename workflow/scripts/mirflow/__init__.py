"""mirflow: circulating-miRNA biomarker discovery from serum small-RNA count tables.

Pure functions on pandas/numpy objects; the Snakemake rule scripts in
``workflow/scripts/`` are thin adapters around :mod:`mirflow.steps`.
"""

__version__ = "0.1.0"
