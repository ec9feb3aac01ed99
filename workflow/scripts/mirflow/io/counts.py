"""Readers for miRNA count tables: GeneGlobe workbooks/CSV, per-sample exports, matrices.

Every reader returns a features x samples DataFrame (index: the feature names as given,
columns: sample ids) and raises :class:`InputError` naming the file, row and column of
anything it cannot use. Names are harmonised later (:mod:`mirflow.names`).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from mirflow.errors import InputError

log = logging.getLogger(__name__)

Format = Literal["geneglobe", "geneglobe_sample", "matrix"]
GENEGLOBE_SHEET = "miRNA_piRNA"
_SUFFIX = {"umis": "-UMIs", "reads": "-READs"}
_SUFFIX_RE = re.compile(r"-(UMIs|READs)$", re.IGNORECASE)
_EXCEL = {".xlsx", ".xlsm", ".xls"}


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in _EXCEL


def _delimiter(path: Path) -> str:
    """Tab for .tsv/.txt or a first line holding tabs, comma otherwise."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        first = handle.readline()
    return "\t" if "\t" in first or path.suffix.lower() == ".tsv" else ","


def _excel_sheet(path: Path) -> str | int:
    """The GeneGlobe miRNA sheet when present, otherwise the first sheet."""
    from python_calamine import CalamineWorkbook

    names = CalamineWorkbook.from_path(str(path)).sheet_names
    return GENEGLOBE_SHEET if GENEGLOBE_SHEET in names else 0


def _read_raw(path: Path) -> pd.DataFrame:
    """All cells of the table as objects, header row included as row 0.

    Text files: an R-style header (one field fewer than the data rows) gets an empty
    leading cell so that the first column always holds the names.
    """
    if not path.exists():
        raise InputError(path, "file not found", "check counts.path in the config")
    if _is_excel(path):
        try:
            raw = pd.read_excel(
                path,
                sheet_name=_excel_sheet(path),
                header=None,
                dtype=object,
                engine="calamine",
            )
        except Exception as exc:  # calamine raises its own types for broken files
            raise InputError(
                path,
                f"cannot be read as an Excel workbook ({exc})",
                "export the sheet again from GeneGlobe or save it as CSV",
            ) from exc
        return raw.where(raw.notna(), "")
    delimiter = _delimiter(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle, delimiter=delimiter) if any(row)]
    if len(rows) < 2:
        raise InputError(path, "has no data rows", "point counts.path at the count table")
    if len(rows[0]) == len(rows[1]) - 1:
        rows[0] = ["", *rows[0]]
    width = len(rows[0])
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise InputError(
                path,
                f"has {len(row)} fields where the header has {width}",
                "make every row as long as the header",
                where=f"line {line}",
            )
    return pd.DataFrame(rows, dtype=object)


def _header(raw: pd.DataFrame) -> list[str]:
    return [str(cell).strip() for cell in raw.iloc[0]]


def detect_format(path: str | Path) -> Format:
    """Tell a GeneGlobe sheet, a GeneGlobe per-sample export or a plain matrix apart."""
    path = Path(path)
    header = _header(_read_raw(path).iloc[:1])
    lowered = [cell.lower() for cell in header]
    if "name" in lowered and "count" in lowered:
        return "geneglobe_sample"
    if any(_SUFFIX_RE.search(cell) for cell in header[1:]):
        return "geneglobe"
    return "matrix"


def _cell_name(path: Path, row: int, column: str, position: int) -> str:
    """Where a cell is, in the user's terms: Excel row/column letter or text line."""
    if _is_excel(path):
        letters = ""
        index = position + 1
        while index:
            index, rest = divmod(index - 1, 26)
            letters = chr(65 + rest) + letters
        return f"row {row + 1}, column {letters} '{column}'"
    return f"line {row + 1}, column '{column}'"


def _numeric(
    raw: pd.DataFrame, path: Path, kind: str, rows: pd.Index, columns: Sequence[int]
) -> pd.DataFrame:
    """Convert the given raw cells to numbers, failing on the first unusable cell."""
    block = raw.loc[rows, list(columns)]
    numbers = block.apply(lambda col: pd.to_numeric(col.astype(str).str.strip(), errors="coerce"))
    header = _header(raw)
    bad = numbers.isna() | ~np.isfinite(numbers.astype(float))
    if bad.to_numpy().any():
        row, col = next(zip(*np.nonzero(bad.to_numpy()), strict=True))
        value = block.iat[row, col]
        problem = "an empty cell" if str(value).strip() in ("", "nan") else f"the value '{value}'"
        raise InputError(
            path,
            f"{problem} where a number is expected",
            "fill in 0 for an undetected miRNA and remove text from the count columns",
            where=_cell_name(path, block.index[row], header[columns[col]], columns[col]),
        )
    if kind == "counts":
        values = numbers.to_numpy(dtype=float)
        for test, problem, fix in (
            (values < 0, "a negative count", "counts must be >= 0; check the export"),
            (
                values != np.round(values),
                "a count that is not a whole number",
                "for already normalised values set counts.kind: expression",
            ),
        ):
            if test.any():
                row, col = next(zip(*np.nonzero(test), strict=True))
                raise InputError(
                    path,
                    f"{problem} ({block.iat[row, col]})",
                    fix,
                    where=_cell_name(path, block.index[row], header[columns[col]], columns[col]),
                )
        return numbers.astype(np.int64)
    return numbers.astype(float)


def _frame(
    raw: pd.DataFrame,
    path: Path,
    kind: str,
    rows: pd.Index,
    columns: Sequence[int],
    samples: Sequence[str],
) -> pd.DataFrame:
    """Build the features x samples table, refusing duplicate names and sample ids."""
    names = raw.loc[rows, 0].astype(str).str.strip()
    empty = names == ""
    if empty.any():
        raise InputError(
            path,
            "a row without a miRNA name",
            "give every row a name in the first column",
            where=_cell_name(path, names.index[empty.argmax()], "name", 0),
        )
    duplicated = names[names.duplicated()]
    if len(duplicated):
        raise InputError(
            path,
            f"the miRNA name '{duplicated.iloc[0]}' appears more than once",
            "keep one row per miRNA (sum or drop duplicated rows upstream)",
            where=_cell_name(path, duplicated.index[0], "name", 0),
        )
    seen = pd.Index(samples)
    if seen.has_duplicates:
        dup = seen[seen.duplicated()][0]
        raise InputError(
            path,
            f"the sample column '{dup}' appears more than once",
            "give every sample a unique column name",
            where="header",
        )
    values = _numeric(raw, path, kind, rows, columns)
    values.index = pd.Index(names.to_numpy(), name="feature")
    values.columns = pd.Index(list(samples), name="sample")
    return values


def read_geneglobe(path: str | Path, value: str = "umis", kind: str = "counts") -> pd.DataFrame:
    """GeneGlobe 'QIAseq miRNA Quantification' sheet (xlsx or CSV).

    Takes the ``<sample>-UMIs`` (or ``-READs``) columns and drops the ``piRNA``
    separator row; the piRNAs below it keep their names and are set aside later.
    """
    path = Path(path)
    raw = _read_raw(path)
    header = _header(raw)
    suffix = _SUFFIX[value]
    columns = [i for i, cell in enumerate(header) if i and cell.lower().endswith(suffix.lower())]
    if not columns:
        found = sorted({m.group(1) for c in header if (m := _SUFFIX_RE.search(c))})
        raise InputError(
            path,
            f"no '<sample>{suffix}' columns (found: {', '.join(found) or 'none'})",
            "set counts.value to the kind of column the export has (umis or reads)",
            where="header",
        )
    body = raw.iloc[1:]
    first = body[0].astype(str).str.strip()
    rest_empty = body.drop(columns=0).astype(str).apply(lambda c: c.str.strip() == "").all(axis=1)
    separator = (first.str.lower() == "pirna") & rest_empty
    rows = body.index[~separator & ~((first == "") & rest_empty)]
    samples = [header[i][: -len(suffix)] for i in columns]
    return _frame(raw, path, kind, rows, columns, samples)


def read_geneglobe_sample(path: str | Path, sample: str, kind: str = "counts") -> pd.DataFrame:
    """One newer GeneGlobe per-sample export (``Name, Count, CPM``) as a one-column table."""
    path = Path(path)
    raw = _read_raw(path)
    lowered = [cell.lower() for cell in _header(raw)]
    if "name" not in lowered or "count" not in lowered:
        raise InputError(
            path,
            "is not a per-sample export (needs columns Name and Count)",
            "use counts.format: matrix or geneglobe for this file",
            where="header",
        )
    raw = raw[[lowered.index("name"), lowered.index("count")]]
    raw.columns = [0, 1]
    return _frame(raw, path, kind, raw.index[1:], [1], [sample])


def read_matrix(path: str | Path, kind: str = "counts") -> pd.DataFrame:
    """CSV/TSV matrix: first column names, one column per sample (R-style headers too)."""
    path = Path(path)
    raw = _read_raw(path)
    header = _header(raw)
    columns = list(range(1, len(header)))
    empty = [i for i in columns if header[i] == ""]
    if empty:
        raise InputError(
            path,
            "a sample column without a name",
            "name every sample column",
            where=f"header, column {empty[0] + 1}",
        )
    return _frame(raw, path, kind, raw.index[1:], columns, [header[i] for i in columns])


def sample_for_file(path: Path, file_to_sample: Mapping[str, str]) -> str:
    """Sample id of a per-sample export: the sheet's ``file`` mapping, else the file stem."""
    for key in (str(path), path.name, path.stem):
        if key in file_to_sample:
            return file_to_sample[key]
    return path.stem


def read_counts(
    paths: Sequence[str | Path],
    fmt: str = "auto",
    value: str = "umis",
    kind: str = "counts",
    file_to_sample: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read one or several count files into one features x samples table.

    Several files are joined on the feature name; a feature absent from a file is 0
    there (GeneGlobe lists only detected features), and how many were filled is logged.
    """
    tables = []
    for path in map(Path, paths):
        detected = detect_format(path) if fmt == "auto" else fmt
        if fmt == "geneglobe" and detect_format(path) == "geneglobe_sample":
            detected = "geneglobe_sample"
        log.info("reading %s as %s", path, detected)
        if detected == "geneglobe":
            table = read_geneglobe(path, value, kind)
        elif detected == "geneglobe_sample":
            table = read_geneglobe_sample(path, sample_for_file(path, file_to_sample or {}), kind)
        else:
            table = read_matrix(path, kind)
        log.info("%s: %d features x %d samples", path, *table.shape)
        tables.append((path, table))
    seen: dict[str, Path] = {}
    for path, table in tables:
        for sample in table.columns:
            if sample in seen:
                raise InputError(
                    path,
                    f"sample '{sample}' is also in {seen[sample]}",
                    "give every sample a unique id across the count files "
                    "(for per-sample exports map files to ids in the sheet's 'file' column)",
                )
            seen[sample] = path
    if len(tables) == 1:
        return tables[0][1]
    merged = pd.concat([table for _, table in tables], axis=1, join="outer")
    filled = int(merged.isna().to_numpy().sum())
    if filled:
        log.info("%d feature/sample cells absent from a file were set to 0", filled)
    merged = merged.fillna(0)
    return merged.astype(np.int64) if kind == "counts" else merged
