"""TSV in and out, the same way everywhere: full precision, ``NA`` for missing."""

from __future__ import annotations

import re
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

NA = "NA"
# What makes the csv module quote a field here (tab-separated, '"' quotes, '\n' ends lines).
_QUOTED = re.compile(r'[\t"\r\n]')
# Cells converted to text, or joined into lines, at a time: bounds the scratch memory.
_CHUNK_CELLS = 1 << 18


def write_tsv(table: pd.DataFrame, path: str | Path, index_label: str | None = None) -> None:
    """Write a table; with ``index_label`` the index becomes the first column.

    Floats are written in their shortest round-trip form, so two runs that compute
    the same numbers write the same bytes. The bytes are pandas' ``to_csv``'s: a table
    of numbers, booleans and strings (every table of the workflow) is converted here,
    each distinct number once, many times faster than ``to_csv`` for a wide table built
    column by column; anything else (other dtypes, a cell the csv module would quote,
    one field a line, where it quotes an empty cell) is left to ``to_csv``.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not _write_plain(table, Path(path), index_label):
        table.to_csv(
            path,
            sep="\t",
            na_rep=NA,
            index=index_label is not None,
            index_label=index_label,
            lineterminator="\n",
        )


def _plain(dtype: object) -> bool:
    """Whether :func:`_cells` writes values of this dtype as ``to_csv`` does."""
    if isinstance(dtype, np.dtype):
        return dtype.kind in "iubO" or (dtype.kind == "f" and dtype.itemsize <= 8)
    return isinstance(dtype, pd.StringDtype)


def _cells(values: np.ndarray) -> np.ndarray:
    """Cells (any shape) as ``to_csv`` writes them, an object array of str: numbers and
    booleans as numpy's text (floats in their shortest round-trip form), ``NA`` for
    missing; other objects as the csv module writes them (:func:`_object_cell`)."""
    if values.dtype.kind in "fiub":
        return _number_cells(values)
    text = _object_text(values)
    text[pd.isna(values)] = NA
    return text


def _number_cells(values: np.ndarray) -> np.ndarray:
    """Numbers as numpy's text, each distinct value converted once: a table of counts or
    of normalised counts repeats most of its values, and the conversion is the cost of
    writing it. Floats are told apart by their bits, so -0.0 stays apart from 0.0."""
    floats = values.dtype.kind == "f"
    keys = np.ascontiguousarray(values).view(f"i{values.dtype.itemsize}") if floats else values
    distinct, where = np.unique(keys, return_inverse=True)
    if floats:
        distinct = distinct.view(values.dtype)
    text = distinct.astype(str)
    if floats:
        text[np.isnan(distinct)] = NA
    return text.astype(object)[where.reshape(-1)].reshape(values.shape)


def _block_text(values: np.ndarray) -> np.ndarray:
    """:func:`_cells` of a 2-D block, a few columns (all their rows) at a time: a column
    repeats its values, and the conversion's scratch memory stays small."""
    text = np.empty(values.shape, dtype=object)
    step = max(1, _CHUNK_CELLS // max(1, len(values)))
    for first in range(0, values.shape[1], step):
        text[:, first : first + step] = _cells(values[:, first : first + step])
    return text


def _object_cell(value: object) -> str:
    """One object as the csv module writes it: a string as is, a float (numpy's too) by
    ``float.__repr__``, anything else by ``str``."""
    if isinstance(value, str):
        return value
    return float.__repr__(value) if isinstance(value, float) else str(value)


_object_text = np.frompyfunc(_object_cell, 1, 1)


def _write_plain(table: pd.DataFrame, path: Path, index_label: str | None) -> bool:
    """Write the table with :func:`_cells`; False (nothing written) when it is not such a
    table or a cell would need quotes."""
    with_index = index_label is not None
    dtypes = table.dtypes.tolist()
    labels = [*dtypes, table.columns.dtype, *([table.index.dtype] if with_index else [])]
    if (
        len(dtypes) + with_index < 2
        or isinstance(table.columns, pd.MultiIndex)
        or (with_index and isinstance(table.index, pd.MultiIndex))
        or not all(map(_plain, labels))
    ):
        return False
    header = ([index_label] if with_index else []) + _cells(table.columns.to_numpy()).tolist()
    # The fields in blocks converted at once: the index, then runs of columns of one dtype
    # (one copy of the values: a table built column by column is a block per column).
    starts = [j for j in range(len(dtypes)) if j == 0 or dtypes[j] != dtypes[j - 1]]
    ends = [*starts[1:], len(dtypes)]
    blocks = [table.iloc[:, start:end].to_numpy() for start, end in zip(starts, ends, strict=True)]
    blocks = ([table.index.to_numpy()[:, None]] if with_index else []) + blocks
    texts = [_block_text(block) for block in blocks]
    words = (
        cell
        for block, text in zip(blocks, texts, strict=True)
        if block.dtype == object
        for cell in text.ravel()
    )
    if _QUOTED.search("\x00".join(chain(header, words))):
        return False
    rows = max(1, _CHUNK_CELLS // len(header))
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\t".join(header) + "\n")
        for first in range(0, len(table), rows):
            lines = zip(*(text[first : first + rows].tolist() for text in texts), strict=True)
            out.write("".join("\t".join(chain.from_iterable(line)) + "\n" for line in lines))
    return True


def read_tsv(path: str | Path, index_col: str | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_tsv` (sample ids and endpoint names stay strings:
    an endpoint named "2" or "True" must still match its config key)."""
    table = pd.read_csv(
        path, sep="\t", na_values=["NA", ""], keep_default_na=False, dtype={"sample": str, "endpoint": str}
    )
    if index_col is not None:
        table = table.set_index(index_col)
        table.columns = table.columns.astype(str)
    return table


def read_design(covariates_path: str | Path) -> tuple[pd.DataFrame, pd.Series]:
    """``results/cohort/covariates.tsv``: the analysed samples' design covariates (centred,
    scaled) and their case/control labels."""
    table = read_tsv(covariates_path).set_index("sample")
    return table.drop(columns="group"), table["group"]
