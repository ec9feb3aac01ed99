"""TSV in and out, the same way everywhere: full precision, ``NA`` for missing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_tsv(table: pd.DataFrame, path: str | Path, index_label: str | None = None) -> None:
    """Write a table; with ``index_label`` the index becomes the first column.

    Floats are written in their shortest round-trip form, so two runs that compute
    the same numbers write the same bytes.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(
        path,
        sep="\t",
        na_rep="NA",
        index=index_label is not None,
        index_label=index_label,
        lineterminator="\n",
    )


def read_tsv(path: str | Path, index_col: str | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_tsv` (sample ids stay strings)."""
    table = pd.read_csv(path, sep="\t", na_values=["NA", ""], keep_default_na=False, dtype={"sample": str})
    if index_col is not None:
        table = table.set_index(index_col)
        table.columns = table.columns.astype(str)
    return table


def read_design(covariates_path: str | Path) -> tuple[pd.DataFrame, pd.Series]:
    """``results/cohort/covariates.tsv``: the analysed samples' design covariates (centred,
    scaled) and their case/control labels."""
    table = read_tsv(covariates_path).set_index("sample")
    return table.drop(columns="group"), table["group"]
