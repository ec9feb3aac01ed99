"""Step of rule roc: AUC, CI and cut-off per marker; paired DeLong tests."""

from __future__ import annotations

from mirflow.analyses import diagnostic
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import RocSettings


def run_roc(
    settings: RocSettings,
    seed: int,
    normalised_path: str,
    markers_path: str,
    covariates_path: str,
    out_roc: str,
    out_comparisons: str,
) -> None:
    """ROC per marker on the untransformed values (cut-offs in normalised counts) and
    paired DeLong tests between every pair of markers."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")
    markers = read_tsv(markers_path)["mirna"].tolist()
    table = diagnostic.roc_table(values, labels, markers, settings, seed)
    write_tsv(table, out_roc)
    write_tsv(diagnostic.roc_comparisons(values, labels, table), out_comparisons)
