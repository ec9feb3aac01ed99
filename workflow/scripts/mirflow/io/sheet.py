"""Sample sheet: reading (the checks against the settings are :mod:`mirflow.io.sheet_checks`)
and the contrast labels.

Positions in messages are the ones a spreadsheet shows when it opens the file: "row N" is
line N of the file (comment lines and the header line count, so with no comment lines
the header is row 1 and the first sample row 2) and columns are lettered A, B, ... AA.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.io.text import LINE_BREAK, binary_kind, column_letter, decode
from mirflow.settings import ContrastSettings

log = logging.getLogger(__name__)

# Cells (after removing surrounding spaces) that are missing values.
MISSING = frozenset({"", "NA"})
# Words pandas, R and spreadsheets read as missing: refused as sample ids, because every
# results table (and R) would read such an id back as a missing value.
NA_WORDS = frozenset(
    {
        "#N/A",
        "#N/A N/A",
        "#NA",
        "-1.#IND",
        "-1.#QNAN",
        "-NaN",
        "-nan",
        "1.#IND",
        "1.#QNAN",
        "<NA>",
        "N/A",
        "NA",
        "NULL",
        "NaN",
        "None",
        "n/a",
        "nan",
        "null",
    }
)
# Cell text that probably means "unknown" but is read as text (compared case-insensitively).
ID_COLUMNS = ("sample", "file")
# A landmark beyond the follow-up of more than this share of the patients is warned about.
SAVE_AS = (
    "save the sheet as UTF-8 text, tab-separated (LibreOffice: Save As 'Text CSV', character set "
    "'Unicode (UTF-8)', field delimiter {Tab}; Excel: Save As 'Unicode Text', which is also read)"
)
SHOWN = 10


def rows_text(numbers: Iterable[int | None]) -> str:
    """``row 3`` / ``rows 3, 5 and 9`` (the first few, then how many in all)."""
    rows = [str(n) for n in numbers if n is not None]
    if not rows:
        return ""
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) > SHOWN:
        return f"rows {', '.join(rows[:SHOWN])}, ... ({len(rows)} in all)"
    return f"rows {', '.join(rows[:-1])} and {rows[-1]}"


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(
            path,
            "is a directory, not a sample sheet file",
            "set 'samples' in the config to the sheet's file (e.g. config/samples.tsv)",
        )
    if not path.exists():
        raise InputError(path, "file not found", "check 'samples' in the config")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(
            path,
            f"cannot be read ({error.strerror or error})",
            "check the file's permissions and 'samples' in the config",
        ) from None
    if not raw.strip():
        raise InputError(
            path,
            "the sheet is empty",
            "write a header line (sample, the group column, ... separated by tabs) and one line per sample",
        )
    kind = binary_kind(raw)
    if kind is not None:
        raise InputError(path, f"is {kind}, not a tab-separated text file", SAVE_AS)
    return raw


def _lines(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every line that is not blank, empty cells only or a comment."""
    rows = []
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader([line], delimiter="\t", strict=True))
        except csv.Error as error:
            raise InputError(
                path,
                f'a double quote (") is not used as in a tab-separated file ({error})',
                "remove the quote characters, or put the whole cell in double quotes",
                where=f"row {number}",
            ) from None
        rows.append((number, cells))
    return rows


def _not_tab_separated(cell: str) -> str | None:
    """``comma`` or ``semicolon`` when a single cell looks like a whole delimited line."""
    for mark, name in ((",", "comma"), (";", "semicolon")):
        if mark in cell:
            return name
    return None


def _spaced(number: int, cells: list[str], columns: list[str]) -> list[str]:
    """The cells of one row with spaces around their text: ``row 4, column B 'group': 'NEC '``."""
    return [
        f"row {number}, {column}: '{cell}'"
        for column, cell in zip(columns, cells, strict=False)
        if cell.strip() and cell != cell.strip()
    ]


def _header(path: Path, rows: list[tuple[int, list[str]]]) -> tuple[int, list[str], list[str]]:
    """The header's row number, stripped names and the cells that had spaces around them."""
    if not rows:
        raise InputError(
            path,
            "the sheet has no header line (only comments or blank lines)",
            "write a header line (sample, the group column, ... separated by tabs) and one line per sample",
        )
    number, cells = rows[0]
    names = [c.strip() for c in cells]
    if len(names) == 1 and (mark := _not_tab_separated(names[0])):
        shown = names[0] if len(names[0]) <= 60 else names[0][:57] + "..."
        raise InputError(
            path,
            f"the sheet is not tab-separated: the header is one column named '{shown}' "
            f"(it looks {mark}-separated)",
            f"separate the columns with tabs: {SAVE_AS}",
            where=f"row {number}",
        )
    return number, names, _spaced(number, cells, [f"column {column_letter(i)}" for i in range(len(cells))])


def finite_numbers(values: pd.Series) -> pd.Series:
    """Per cell: a finite number (as text or already a number)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return pd.Series(np.isfinite(numbers.to_numpy(dtype=float)), index=values.index)


def _numbers_if_all(values: pd.Series) -> pd.Series:
    present = values.dropna()
    if len(present) and finite_numbers(present).all():
        return pd.to_numeric(values)
    return values


def read_sample_sheet(path: str | Path, *, warn: bool = True) -> pd.DataFrame:
    """Read the TSV sample sheet.

    UTF-8 (with or without a byte-order mark) or UTF-16/32 with one; lines starting with
    ``#`` are comments, blank lines are skipped; empty cells and ``NA`` are missing.
    Spaces around cells are removed (logged as a warning when ``warn``). ``sample`` and
    ``file`` stay text; another column becomes numbers when every filled cell is a
    finite number, else it stays text as written. Every problem is an
    :class:`InputError` naming the row and column as a spreadsheet shows them.

    Returns the sheet indexed by ``sample``; ``attrs['rows']`` maps each sample to its
    row and ``attrs['letters']`` each column to its letter, for messages.
    """
    path = Path(path)
    rows = _lines(path, decode(path, _read_bytes(path)))
    header_row, names, spaced = _header(path, rows)
    width = len(names)
    places = [f"column {column_letter(i)} '{name}'" for i, name in enumerate(names)]
    data: list[tuple[int, list[str]]] = []
    for number, cells in rows[1:]:
        if width > 1 and len(cells) == 1 and (mark := _not_tab_separated(cells[0])):
            raise InputError(
                path,
                f"the row is not tab-separated: it is one cell '{cells[0][:60]}' (it looks {mark}-separated)",
                f"separate the cells with tabs, as in the header (row {header_row})",
                where=f"row {number}",
            )
        extra = [i for i in range(width, len(cells)) if cells[i].strip()]
        if extra:
            raise InputError(
                path,
                f"the row has a cell in column {column_letter(extra[0])}, beyond the {width} columns "
                f"the header (row {header_row}) names",
                "remove the extra cells or name their column in the header (a tab typed inside "
                "a cell also makes an extra cell)",
                where=f"row {number}, column {column_letter(extra[0])}",
            )
        cells = [*cells[:width], *[""] * (width - len(cells))]
        spaced += _spaced(number, cells, places)
        data.append((number, [c.strip() for c in cells]))
    keep = _check_header(path, header_row, names, data)
    if not data:
        raise InputError(
            path,
            f"no sample rows below the header (row {header_row})",
            "add one line per sample below the header",
        )
    if spaced and warn:
        shown = "; ".join(spaced[:SHOWN]) + (f"; ... ({len(spaced)} in all)" if len(spaced) > SHOWN else "")
        log.warning(
            "%s: removed spaces around the text of %d cell(s), read without them: %s",
            path,
            len(spaced),
            shown,
        )
    sample = names.index("sample")
    _check_sample_ids(path, [(number, cells[sample]) for number, cells in data], column_letter(sample))
    columns = {}
    for i in keep:
        values = pd.Series([None if cells[i] in MISSING else cells[i] for _, cells in data], dtype="str")
        columns[names[i]] = values if names[i] in ID_COLUMNS else _numbers_if_all(values)
    sheet = pd.DataFrame(columns)
    sheet["sample"] = sheet["sample"].astype(str)
    sheet = sheet.set_index("sample")
    sheet.attrs["rows"] = {cells[sample]: number for number, cells in data}
    sheet.attrs["letters"] = {names[i]: column_letter(i) for i in keep}
    sheet.attrs["header_row"] = header_row
    return sheet


def _check_header(
    path: Path, header_row: int, names: list[str], data: list[tuple[int, list[str]]]
) -> list[int]:
    """The indices of the columns to keep: named ones. An unnamed column must be empty;
    names must be unique; one of them must be ``sample``."""
    keep = []
    for i, name in enumerate(names):
        if name:
            keep.append(i)
            continue
        filled = [number for number, cells in data if cells[i]]
        if filled:
            raise InputError(
                path,
                f"column {column_letter(i)} has values (first in row {filled[0]}) but no name in the header",
                f"name the column in row {header_row} or delete it",
                where=f"row {header_row}, column {column_letter(i)}",
            )
    seen: dict[str, int] = {}
    for i in keep:
        if names[i] in seen:
            first = column_letter(seen[names[i]])
            raise InputError(
                path,
                f"columns {first} and {column_letter(i)} are both named '{names[i]}'",
                "give every column its own name (rename or delete one of them)",
                where=f"row {header_row}, columns {first} and {column_letter(i)}",
            )
        seen[names[i]] = i
    if "sample" not in seen:
        similar = [
            names[i] for i in keep if names[i].casefold() in ("sample", "samples", "sample_id", "sampleid")
        ]
        raise InputError(
            path,
            f"no 'sample' column (columns: {', '.join(names[i] for i in keep)})",
            f"rename column '{similar[0]}' to 'sample' (lower case)"
            if similar
            else "name the first column 'sample' and separate columns with tabs",
            where=f"row {header_row}, the header",
        )
    return keep


def _check_sample_ids(path: Path, ids: list[tuple[int, str]], letter: str) -> None:
    """Every sample id filled, not a missing-value word, unique."""
    first: dict[str, int] = {}
    for number, sample in ids:
        where = f"row {number}, column {letter} 'sample'"
        if not sample:
            raise InputError(
                path,
                "empty sample id",
                "write the sample's id as in the count table, or delete the row",
                where=where,
            )
        if sample in NA_WORDS:
            raise InputError(
                path,
                f"the sample id '{sample}' reads as a missing value (in the results tables, in R, in pandas)",
                f"rename the sample (e.g. '{sample}_1') in the sheet and in the count table",
                where=where,
            )
        if sample in first:
            raise InputError(
                path,
                f"sample id '{sample}' appears more than once (rows {first[sample]} and {number})",
                "give every row a unique sample id",
                where=where,
            )
        first[sample] = number


def _level_matches(values: pd.Series, level: str) -> pd.Series:
    """Cells equal to a contrast level: as numbers in a numeric column (so ``1`` matches
    ``1.0``), else as text."""
    if is_numeric_dtype(values) and not is_bool_dtype(values):
        number = pd.to_numeric(pd.Series([level]), errors="coerce").iloc[0]
        return values == number if pd.notna(number) else pd.Series(False, index=values.index)
    return (values.astype("string") == level).fillna(False).astype(bool)


def contrast_labels(sheet: pd.DataFrame, contrast: ContrastSettings) -> pd.Series:
    """Per sample: ``case``, ``control`` or NA (not in the contrast)."""
    values = sheet[contrast.column]
    labels = pd.Series(pd.NA, index=sheet.index, dtype="string")
    labels[_level_matches(values, contrast.case)] = CASE
    labels[_level_matches(values, contrast.control)] = CONTROL
    return labels
