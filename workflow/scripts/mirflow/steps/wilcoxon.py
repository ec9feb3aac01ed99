"""Step of rule wilcoxon: Shapiro-Wilk and Wilcoxon-Mann-Whitney per miRNA."""

from __future__ import annotations

from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.stats import wilcoxon


def run_wilcoxon(normalised_path: str, covariates_path: str, out: str) -> None:
    """Shapiro-Wilk and Wilcoxon-Mann-Whitney per miRNA on normalised values, BH."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")[labels.index]
    write_tsv(wilcoxon.wilcoxon_table(values, labels), out)
