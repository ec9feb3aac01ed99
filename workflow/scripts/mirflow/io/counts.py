"""Readers for miRNA count tables: GeneGlobe workbooks/CSV, per-sample exports, matrices.

Every reader returns a features x samples DataFrame (index: the feature names as given,
columns: sample ids) and raises :class:`InputError` naming the file (and sheet), the row
and column as a spreadsheet or text editor shows them (1-based), and the fix for anything
it cannot use: nothing is dropped, renamed or reinterpreted silently. Names are harmonised
later (:mod:`mirflow.io.names`).

Text files are read as UTF-8 (with or without a byte-order mark) or UTF-16 / UTF-32 with a
byte-order mark. Workbooks: the GeneGlobe sheet ``miRNA_piRNA`` when present, otherwise
the first visible sheet that looks like a count table; the sheet read is always logged.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from mirflow.errors import InputError
from mirflow.io import upstream
from mirflow.io.names import MIRNA_LIKE
from mirflow.io.text import binary_kind, column_letter, decode

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

log = logging.getLogger(__name__)

# The problem of a count that is not a whole number (normalised or log values read as counts).
NOT_WHOLE = "a count that is not a whole number"

# GeneGlobe, a plain matrix, or an upstream pipeline's own table (mirflow.io.upstream.FORMATS)
Format = Literal[
    "geneglobe", "geneglobe_sample", "matrix", "smrnaseq", "mirtop", "mirge3", "srnabench", "mirdeep2"
]
GENEGLOBE_SHEET = "miRNA_piRNA"
_SUFFIX = {"umis": "-UMIs", "reads": "-READs"}
_SUFFIX_RE = re.compile(r"-(UMIs|READs)$", re.IGNORECASE)
_EXCEL = {".xlsx", ".xlsm", ".xls"}
# Doubles hold every whole number up to 2^53 exactly; a count beyond it is not a count.
MAX_EXACT = 2**53
# what a binary file given as a count table probably is -> the fix
_BINARY_FIX = {
    "a zip archive (an .xlsx workbook?)": "name it .xlsx if it is a workbook",
    "an old-style Office file (an .xls workbook?)": "name it .xls if it is a workbook",
    "gzip-compressed": "decompress it (gunzip)",
    "a PDF document": "point counts.path at the count table",
}
FILL_ZERO = "fill in 0 for an undetected miRNA and remove text from the count columns"
PASTE_VALUES = (
    "open the workbook in Excel and save it (Excel then stores each formula's result), or "
    "replace the formulas by their values (Copy, then Paste Special > Values)"
)


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in _EXCEL


def _cell(value: object) -> object:
    """A cell as messages show it, and as pandas' workbook reader gave it: a whole-number
    float as an int (2024, not 2024.0), a date as a datetime."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _text(value: object) -> str:
    """A cell's text (see :func:`_cell`)."""
    return value if isinstance(value, str) else str(_cell(value))


_texts = np.frompyfunc(_text, 1, 1)
# A space (any Unicode whitespace) at the start or end of a cell, in cells joined by NUL.
_EDGE_SPACE = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")
# Cells joined by NUL that are all plain whole numbers which an int64 holds (no cell holds
# NUL: text files with one are refused, and a workbook cannot hold it).
_PLAIN_INTEGERS = re.compile(r"[0-9]{1,18}(?:\x00[0-9]{1,18})*")


def _filled(value: object) -> bool:
    """Whether a cell holds anything but spaces (numbers and dates always do)."""
    return not isinstance(value, str) or value.strip() != ""


def _stripped_texts(cells: np.ndarray) -> np.ndarray:
    """The cells' texts without surrounding spaces (an object array of str)."""
    texts = cells if pd.api.types.infer_dtype(cells, skipna=False) == "string" else _texts(cells)
    if _EDGE_SPACE.search("\x00".join(texts)):
        texts = np.array([text.strip() for text in texts], dtype=object)
    return texts


@dataclass(frozen=True)
class _Table:
    """The cells of one count file (or workbook sheet) and how to name a place in it.

    ``raw`` holds every cell as an object ("" when empty), header row first: the text of a
    text file, a workbook's values as calamine reads them (numbers as floats; :func:`_text`
    is a cell's text). Its index is the 0-based line (text) or row (sheet) of the file, its
    columns 0, 1, ...; in a sheet raw column 0 is sheet column ``first_column`` (0-based).
    """

    path: Path
    raw: pd.DataFrame
    sheet: str | None = None
    first_column: int = 0

    @property
    def header(self) -> list[str]:
        return [_text(cell).strip() for cell in self.raw.iloc[0]]

    @property
    def header_row(self) -> int:
        return int(self.raw.index[0])

    @property
    def label(self) -> str:
        return f"{self.path}, sheet '{self.sheet}'" if self.sheet is not None else str(self.path)

    def column(self, column: int) -> str:
        """Sheet column letter (or, in a text file, the 1-based field number)."""
        return column_letter(column + self.first_column)

    def where(self, row: int, column: int | None = None, name: str | None = None) -> str:
        """A cell as the user sees it: sheet, row and column letter, or text line and column."""
        if self.sheet is None:
            place = f"line {row + 1}"
            return place if name is None else f"{place}, column '{name}'"
        place = f"sheet '{self.sheet}', row {row + 1}"
        if column is None:
            return place
        return f"{place}, column {self.column(column)}" + (f" '{name}'" if name else "")

    def header_where(self, column: int | None = None) -> str:
        if self.sheet is None:
            where = f"header, line {self.header_row + 1}"
            return where if column is None else f"{where}, column {column + 1}"
        where = f"sheet '{self.sheet}', header row {self.header_row + 1}"
        return where if column is None else f"{where}, column {self.column(column)}"


# ---- text files ---------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> str:
    """The text of a CSV/TSV file, refusing an empty or binary file (:func:`mirflow.io.text.decode`)."""
    if not data.strip():
        raise InputError(
            path,
            "is empty" + (" (0 bytes)" if not data else " (only blank space)"),
            "export the count table again, or point counts.path at the right file",
        )
    what = binary_kind(data)
    if what is not None:
        raise InputError(
            path, f"is {what}, not a CSV/TSV text table", f"{_BINARY_FIX[what]}, or export the table as CSV"
        )
    return decode(path, data)


def _read_text(path: Path) -> _Table:
    """Cells of a CSV/TSV file; blank lines are skipped, the index keeps the line numbers.

    An R-style header (one field fewer than the data rows) gets an empty leading cell so
    that the first column always holds the names.
    """
    text = _decode(path, path.read_bytes())
    first = io.StringIO(text, newline="").readline()
    delimiter = "\t" if "\t" in first or path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 0
    try:
        for row in reader:
            if any(row):
                rows.append(row)
                lines.append(start)
            start = reader.line_num
    except csv.Error as exc:
        raise InputError(
            path,
            f"cannot be split into fields ({exc})",
            'check the quotes on this line (a field opened with " must be closed)',
            where=f"line {start + 1}",
        ) from None
    if not rows:
        raise InputError(path, "has no rows (only empty fields)", "point counts.path at the count table")
    if len(rows) < 2:
        raise InputError(path, "has no data rows", "point counts.path at the count table")
    separator = "tab" if delimiter == "\t" else "comma"
    if len(rows[0]) == 1 and len(rows[1]) == 1:
        semicolon = ";" in rows[0][0]
        raise InputError(
            path,
            "has a single column"
            + (
                ": its fields are separated by ';'"
                if semicolon
                else f" (fields separated by {separator} expected)"
            ),
            "save it with commas or tabs between fields and '.' as decimal point"
            + (" (Excel in some languages writes ';' and decimal commas)" if semicolon else ""),
            where=f"line {lines[0] + 1}",
        )
    if len(rows[0]) == len(rows[1]) - 1:
        rows[0] = ["", *rows[0]]
    width = len(rows[0])
    for line, row in zip(lines[1:], rows[1:], strict=True):
        if len(row) != width:
            raise InputError(
                path,
                f"has {len(row)} fields where the header has {width} ({separator}-separated)",
                "make every row as long as the header",
                where=f"line {line + 1}",
            )
    return _Table(path, pd.DataFrame(np.array(rows, dtype=object), index=lines, copy=False))


# ---- workbooks ----------------------------------------------------------------------


def _sheet_table(path: Path, workbook: CalamineWorkbook, sheet: str) -> _Table:
    """One sheet's cells; blank rows dropped, leading blank columns trimmed.

    The cells are read once, as calamine gives them (no cell-by-cell conversion): a
    workbook of thousands of libraries has tens of millions of cells.
    """
    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own types for broken files
        raise InputError(
            path,
            f"sheet '{sheet}' cannot be read ({exc})",
            "open the workbook in Excel and save it again as .xlsx, or save the sheet as CSV",
        ) from exc
    # any() stops at a row's first filled cell: a data row costs one cell
    kept = [i for i, row in enumerate(rows) if any(map(_filled, row))]
    width = max((len(rows[i]) for i in kept), default=0)
    cells = np.full((len(kept), width), "", dtype=object)
    for k, i in enumerate(kept):
        cells[k, : len(rows[i])] = rows[i]
    del rows
    first = next((j for j in range(width) if any(map(_filled, cells[:, j]))), 0)
    raw = pd.DataFrame(cells[:, first:], index=kept, columns=range(width - first), copy=False)
    return _Table(path, raw, sheet, first)


def _check_workbook_file(path: Path) -> None:
    """Refuse files named like workbooks that are not workbooks, before calamine sees them."""
    if path.name.startswith("~$"):
        raise InputError(
            path,
            "is the lock file Excel keeps while a workbook is open, not a workbook",
            "close the workbook in Excel (the ~$ file then disappears), or make counts.path not match it",
        )
    with path.open("rb") as handle:
        head = handle.read(512)
    if not head:
        raise InputError(path, "is empty (0 bytes)", "export the workbook again")
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return
    text = head.decode("utf-8-sig", errors="replace")
    if "\x00" in text or "\ufffd" in text[:-3] or not text.strip():
        raise InputError(
            path,
            f"is not a valid {path.suffix} workbook (not a zip or Office file)",
            "export the workbook again, or save the count sheet as CSV",
        )
    start = next(line for line in text.splitlines() if line.strip())[:40]
    raise InputError(
        path,
        f"is named {path.suffix} but is a text file (it starts '{start}')",
        "rename it to .csv or .tsv (or open it in Excel and save it as a workbook)",
    )


def _looks_like_counts(table: _Table) -> str | None:
    """Why the cells are not a count table (None when they may be one).

    A count table has a header, data rows and, in its name column (``Name`` of a per-sample
    export, else the first), at least one human miRNA name.
    """
    if table.raw.empty:
        return "it is empty"
    if len(table.raw) < 2:
        return "it has a header but no data rows"
    lowered = [cell.lower() for cell in table.header]
    column = lowered.index("name") if "name" in lowered and "count" in lowered else 0
    names = pd.Series(_stripped_texts(table.raw.iloc[1:, column].to_numpy()))
    if not names.map(lambda name: bool(MIRNA_LIKE.match(name))).any():
        shown = ", ".join(f"'{name}'" for name in names[names != ""].head(3))
        place = f"column {table.column(column)}" if table.sheet is not None else f"column {column + 1}"
        return f"no name in {place} is a human miRNA name such as hsa-miR-21-5p (first: {shown or 'none'})"
    if table.raw.shape[1] < 2:
        return "it has only one column"
    return None


def _not_counts_fix(n_files: int, fix: str) -> str:
    """The fix for a file that is not a count table: among several files (a pattern), take
    it out; alone, ``fix``."""
    if n_files > 1:
        return (
            "remove it from counts.path, or narrow the pattern so that it matches only the count "
            f"files ({n_files} files given)"
        )
    return fix


def _read_excel(path: Path, n_files: int = 1) -> _Table:
    """The count sheet of a workbook: GeneGlobe's ``miRNA_piRNA`` sheet, else the first
    visible sheet that looks like a count table; hidden sheets only with a warning."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    _check_workbook_file(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [
            (meta.name, meta.visible == SheetVisibleEnum.Visible)
            for meta in workbook.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]
    except Exception as exc:  # calamine raises its own types for broken files
        raise InputError(
            path,
            f"is not a valid Excel workbook ({exc}); a password-protected workbook cannot be read either",
            "open it in Excel, remove any password and save it again as .xlsx, "
            "or save the count sheet as CSV",
        ) from exc
    names = [name for name, _ in sheets]
    listing = ", ".join(f"'{name}'" + ("" if visible else " (hidden)") for name, visible in sheets)
    if GENEGLOBE_SHEET in names:
        if not dict(sheets)[GENEGLOBE_SHEET]:
            log.warning(
                "%s: sheet '%s' is hidden; reading it as GeneGlobe's miRNA sheet", path, GENEGLOBE_SHEET
            )
        log.info(
            "%s: reading sheet '%s' (GeneGlobe's miRNA sheet; sheets: %s)", path, GENEGLOBE_SHEET, listing
        )
        return _sheet_table(path, workbook, GENEGLOBE_SHEET)
    reasons: dict[str, str] = {}
    for name in (name for name, visible in sheets if visible):
        table = _sheet_table(path, workbook, name)
        reason = _looks_like_counts(table)
        if reason is None:
            log.info(
                "%s: reading sheet '%s' (no sheet '%s'; the first visible sheet that looks like "
                "a count table; sheets: %s)",
                path,
                name,
                GENEGLOBE_SHEET,
                listing,
            )
            return table
        reasons[name] = reason
    # No visible sheet will do: read the hidden ones only to say whether one would.
    hidden = [
        name
        for name, visible in sheets
        if not visible and _looks_like_counts(_sheet_table(path, workbook, name)) is None
    ]
    found = "; ".join(f"'{name}': " + reasons.get(name, "hidden") for name, _ in sheets)
    if hidden:
        raise InputError(
            path,
            f"sheet '{hidden[0]}' looks like a count table but is hidden, and no visible sheet does "
            f"(sheets: {found})",
            f"if sheet '{hidden[0]}' holds the counts, unhide it in Excel (right-click a sheet tab > Unhide) "
            f"or name it {GENEGLOBE_SHEET}",
        )
    raise InputError(
        path,
        f"does not look like a miRNA count table: no sheet does (sheets: {found or 'none'})",
        _not_counts_fix(
            n_files,
            "put the counts on a visible sheet (first column miRNA names, one column per sample) "
            f"or name the sheet {GENEGLOBE_SHEET}",
        ),
    )


def _excel_formula(table: _Table, row: int, column: int) -> tuple[str | None, object]:
    """The formula of an xlsx cell and the result Excel saved for it (None when none)."""
    if table.sheet is None or table.path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return None, None
    import openpyxl

    found = []
    for data_only in (False, True):
        try:
            workbook = openpyxl.load_workbook(table.path, read_only=True, data_only=data_only)
            try:
                value = workbook[table.sheet].cell(row=row + 1, column=table.first_column + column + 1).value
            finally:
                workbook.close()
        except Exception:  # the cell is only described; calamine has read the workbook
            return None, None
        found.append(getattr(value, "text", value))
    formula, saved = found
    return (formula, saved) if isinstance(formula, str) and formula.startswith("=") else (None, None)


def _empty_cell(table: _Table, row: int, column: int, what: str, fix: str) -> tuple[str, str]:
    """Problem and fix for a cell that read as empty: really empty, or a formula whose
    result was not saved (calamine reads those, and Excel errors, as empty)."""
    formula, saved = _excel_formula(table, row, column)
    if formula is None:
        return what, fix
    if saved is None:
        return f"a formula ({formula}) without a saved result", PASTE_VALUES
    return (
        f"the Excel error {saved} from the formula {formula}",
        "correct the formula, or replace the formulas by their values (Copy, then Paste Special > Values)",
    )


def _read_table(path: Path, n_files: int = 1) -> _Table:
    if not path.exists():
        raise InputError(path, "file not found", "check counts.path in the config")
    if path.is_dir():
        raise InputError(path, "is a directory, not a count file", "give the count file(s) in counts.path")
    return _read_excel(path, n_files) if _is_excel(path) else _read_text(path)


# ---- formats ------------------------------------------------------------------------


def _detect(header: Sequence[str]) -> Format:
    lowered = [cell.lower() for cell in header]
    if "name" in lowered and "count" in lowered:
        return "geneglobe_sample"
    if any(_SUFFIX_RE.search(cell) for cell in header[1:]):
        return "geneglobe"
    return "matrix"


def detect_format(path: str | Path) -> Format:
    """Tell an upstream pipeline's table, a GeneGlobe sheet, a GeneGlobe per-sample export
    or a plain matrix apart."""
    return upstream.sniff(path) or _detect(_read_table(Path(path)).header)  # type: ignore[return-value]


def _column_numbers(cells: np.ndarray) -> np.ndarray:
    """One column's cells as numbers, as ``pd.to_numeric`` reads each cell's text without
    surrounding spaces (NaN where it is no number). The two common kinds of column take
    a shortcut to the same numbers: workbook numbers are taken as they are (a float's text
    reads back as that float; -0.0's text is "0"), and text all digits is read as int64."""
    kind = pd.api.types.infer_dtype(cells, skipna=False)
    if kind == "floating":
        return cells.astype(float) + 0.0
    if kind == "string" and _PLAIN_INTEGERS.fullmatch("\x00".join(cells)):
        return cells.astype(np.int64)
    return pd.to_numeric(_stripped_texts(cells), errors="coerce")


def _beyond_exact(numbers: np.ndarray) -> np.ndarray:
    """Which numbers lie beyond +-2^53, compared exactly (integers as integers)."""
    if numbers.dtype.kind == "i":
        return (numbers > MAX_EXACT) | (numbers < -MAX_EXACT)
    if numbers.dtype.kind in "uf":
        return np.abs(numbers) > MAX_EXACT
    return np.abs(numbers.astype(object)) > MAX_EXACT


def _numeric(
    table: _Table, kind: str, rows: pd.Index, columns: Sequence[int], transform: str = "none"
) -> np.ndarray:
    """Convert the given raw cells to numbers (int64 counts, or floats), failing on the
    first unusable cell (row by row)."""
    block = table.raw.loc[rows, list(columns)].to_numpy()
    numbers = [_column_numbers(block[:, j]) for j in range(block.shape[1])]
    header = table.header

    def cell(test: np.ndarray) -> tuple[int, int, str]:
        row, col = next(zip(*np.nonzero(test), strict=True))
        return int(row), int(col), table.where(rows[row], columns[col], header[columns[col]])

    floats = np.empty(block.shape)
    for j, column in enumerate(numbers):
        floats[:, j] = column
    bad = ~np.isfinite(floats)
    if bad.any():
        row, col, where = cell(bad)
        value = _cell(block[row, col])
        if _text(value).strip() in ("", "nan"):
            problem, fix = _empty_cell(table, rows[row], columns[col], "an empty cell", FILL_ZERO)
        elif np.isinf(floats[row, col]):
            problem, fix = f"the value '{value}', infinite or too large for a number", "write a finite number"
        else:
            problem, fix = f"the value '{value}'", FILL_ZERO
        if not problem.startswith(("a formula", "the Excel error")) and not np.isinf(floats[row, col]):
            problem += " where a number is expected"
        raise InputError(table.path, problem, fix, where=where)
    if kind == "counts":
        checks = (
            (
                np.column_stack([_beyond_exact(column) for column in numbers]),
                "a count too large to hold exactly ({value}; the limit is 2^53 = 9007199254740992)",
                "check the export: no sequencing count is this large",
            ),
            (floats < 0, "a negative count ({value})", "counts must be >= 0; check the export"),
            (
                floats != np.round(floats),
                NOT_WHOLE + " ({value})",
                "for already normalised values set counts.kind: expression",
            ),
        )
    else:
        checks = (
            (
                (floats < 0) & (transform == "log2"),
                "a negative value ({value}), which counts.transform: log2 (log2(x + 1)) cannot take",
                "values already on a log scale (such as -dCt) need counts.transform: none; "
                "otherwise correct the value",
            ),
        )
    for test, problem, fix in checks:
        if test.any():
            row, col, where = cell(test)
            raise InputError(table.path, problem.format(value=_cell(block[row, col])), fix, where=where)
    if kind == "counts":
        totals = floats.sum(axis=0)
        if (totals > MAX_EXACT).any():
            col = int(np.argmax(totals > MAX_EXACT))
            raise InputError(
                table.path,
                f"the counts of column '{header[columns[col]]}' add up to "
                f"{sum(int(count) for count in floats[:, col])}, beyond 2^53 "
                "(9007199254740992), where totals are no longer exact",
                "check the export: no library has this many reads",
                where=table.header_where(columns[col]),
            )
        return floats.astype(np.int64)
    return floats


def _frame(
    table: _Table,
    kind: str,
    rows: pd.Index,
    columns: Sequence[int],
    samples: Sequence[str],
    transform: str = "none",
    name_column: int = 0,
) -> pd.DataFrame:
    """Build the features x samples table, refusing duplicate names and sample ids."""
    if not len(rows):
        raise InputError(
            table.path,
            "has no data rows",
            "point counts.path at the count table",
            where=table.sheet and f"sheet '{table.sheet}'",
        )
    names = pd.Series(_stripped_texts(table.raw.loc[rows, name_column].to_numpy()), index=rows)
    empty = names == ""
    if empty.any():
        row = names.index[empty.argmax()]
        problem, fix = _empty_cell(
            table, row, name_column, "a row without a miRNA name", "give every row a name in the first column"
        )
        raise InputError(
            table.path, problem, fix, where=table.where(row, name_column, table.header[name_column] or "name")
        )
    duplicated = names[names.duplicated()]
    if len(duplicated):
        first = names.index[names == duplicated.iloc[0]][0]
        raise InputError(
            table.path,
            f"the miRNA name '{duplicated.iloc[0]}' appears more than once (first at {table.where(first)})",
            "keep one row per miRNA (sum or drop duplicated rows upstream)",
            where=table.where(duplicated.index[0], name_column, table.header[name_column] or "name"),
        )
    seen = pd.Index(samples)
    if seen.has_duplicates:
        dup = seen[seen.duplicated()][0]
        raise InputError(
            table.path,
            f"the sample column '{dup}' appears more than once",
            "give every sample a unique column name",
            where=table.header_where(),
        )
    return pd.DataFrame(
        _numeric(table, kind, rows, columns, transform),
        index=pd.Index(names.to_numpy(), name="feature"),
        columns=pd.Index(list(samples), name="sample"),
    )


def _geneglobe(table: _Table, value: str, kind: str, transform: str = "none") -> pd.DataFrame:
    raw, header = table.raw, table.header
    suffix = _SUFFIX[value]
    columns = [i for i, cell in enumerate(header) if i and cell.lower().endswith(suffix.lower())]
    if not columns:
        found = sorted({m.group(1) for c in header if (m := _SUFFIX_RE.search(c))})
        raise InputError(
            table.path,
            f"no '<sample>{suffix}' columns (found: {', '.join(found) or 'none'})",
            "set counts.value to the kind of column the export has (umis or reads)",
            where=table.header_where(),
        )
    body = raw.iloc[1:]
    first = pd.Series(_stripped_texts(body[0].to_numpy()), index=body.index)
    # any() stops at a row's first filled cell: a data row costs one cell
    rest_empty = np.array([not any(map(_filled, row)) for row in body.to_numpy()[:, 1:]], dtype=bool)
    separator = (first.str.lower() == "pirna") & rest_empty
    rows = body.index[~separator & ~((first == "") & rest_empty)]
    samples = [header[i][: -len(suffix)] for i in columns]
    return _frame(table, kind, rows, columns, samples, transform)


def _geneglobe_sample(table: _Table, sample: str, kind: str, transform: str = "none") -> pd.DataFrame:
    lowered = [cell.lower() for cell in table.header]
    if "name" not in lowered or "count" not in lowered:
        raise InputError(
            table.path,
            "is not a per-sample export (needs columns Name and Count)",
            "use counts.format: matrix or geneglobe for this file",
            where=table.header_where(),
        )
    name, count = lowered.index("name"), lowered.index("count")
    return _frame(table, kind, table.raw.index[1:], [count], [sample], transform, name_column=name)


def _matrix(table: _Table, kind: str, transform: str = "none") -> pd.DataFrame:
    header = table.header
    columns = list(range(1, len(header)))
    if not columns:
        raise InputError(
            table.path,
            "has no sample columns",
            "give one column per sample after the names",
            where=table.header_where(),
        )
    empty = [i for i in columns if header[i] == ""]
    if empty:
        raise InputError(
            table.path,
            "a sample column without a name",
            "name every sample column",
            where=table.header_where(empty[0]),
        )
    return _frame(table, kind, table.raw.index[1:], columns, [header[i] for i in columns], transform)


def read_geneglobe(path: str | Path, value: str = "umis", kind: str = "counts") -> pd.DataFrame:
    """GeneGlobe 'QIAseq miRNA Quantification' sheet (xlsx or CSV).

    Takes the ``<sample>-UMIs`` (or ``-READs``) columns and drops the ``piRNA``
    separator row; the piRNAs below it keep their names and are set aside later.
    """
    return _geneglobe(_read_table(Path(path)), value, kind)


def read_geneglobe_sample(path: str | Path, sample: str, kind: str = "counts") -> pd.DataFrame:
    """One newer GeneGlobe per-sample export (``Name, Count, CPM``) as a one-column table."""
    return _geneglobe_sample(_read_table(Path(path)), sample, kind)


def read_matrix(path: str | Path, kind: str = "counts") -> pd.DataFrame:
    """CSV/TSV matrix: first column names, one column per sample (R-style headers too)."""
    return _matrix(_read_table(Path(path)), kind)


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
    transform: str = "none",
) -> pd.DataFrame:
    """Read one or several count files into one features x samples table.

    Several files are joined on the feature name; a feature absent from a file is 0
    there (GeneGlobe lists only detected features), and how many were filled is logged.
    ``transform`` is the resolved modelling scale (``log2`` or ``none``): with ``log2``
    negative expression values are refused here, where the cell can be named.
    Every file must look like a count table (miRNA names in its name column), so that a
    pattern matching a summary or QC export stops with that file named.
    """
    paths = [Path(p) for p in paths]
    tables = []
    for path in paths:
        # an upstream pipeline's table first: smrnaseq's has its miRNA names in the header
        pipeline = fmt if fmt in upstream.FORMATS else upstream.sniff(path) if fmt == "auto" else None
        if pipeline is not None:
            sample = upstream.mapped_sample(path, file_to_sample or {})
            frame = upstream.read_upstream(path, pipeline, kind=kind, sample=sample)
            log.info("%s: %d features x %d samples", path, *frame.shape)
            tables.append((path, frame))
            continue
        table = _read_table(path, len(paths))
        reason = _looks_like_counts(table)
        if reason is not None:
            # a pipeline's own table read as another format (counts.format named it)
            written_by = upstream.sniff(path) if fmt != "auto" else None
            raise InputError(
                path,
                f"does not look like a miRNA count table: {reason}"
                + (
                    f"; it looks like {written_by}'s own table, read here as counts.format: {fmt}"
                    if written_by
                    else ""
                ),
                f"set counts.format: {written_by} (or auto)"
                if written_by
                else _not_counts_fix(
                    len(paths),
                    "point counts.path at the count table (first column miRNA names such as "
                    "hsa-miR-21-5p, then one column of counts per sample)",
                ),
                where=table.sheet and f"sheet '{table.sheet}'",
            )
        found = _detect(table.header)
        detected = found if fmt == "auto" or (found == "geneglobe_sample" and fmt == "geneglobe") else fmt
        try:
            if detected == "geneglobe":
                log.info("reading %s as %s", table.label, detected)
                frame = _geneglobe(table, value, kind, transform)
            elif detected == "geneglobe_sample":
                sample = sample_for_file(path, file_to_sample or {})
                log.info("reading %s as %s (sample '%s')", table.label, detected, sample)
                frame = _geneglobe_sample(table, sample, kind, transform)
            else:
                log.info("reading %s as %s", table.label, detected)
                frame = _matrix(table, kind, transform)
        except InputError as error:
            # a cell that does not fit, in a pipeline's own table read as another format: the
            # format is the cause, not the cell
            written_by = upstream.sniff(path) if fmt != "auto" else None
            if written_by is None:
                raise
            raise InputError(
                error.path,
                f"{error.problem}; it looks like {written_by}'s own table, read here as counts.format: {fmt}",
                f"set counts.format: {written_by} (or auto)",
                error.where,
            ) from None
        log.info("%s: %d features x %d samples", path, *frame.shape)
        tables.append((path, frame))
    seen: dict[str, Path] = {}
    for path, frame in tables:
        for sample in frame.columns:
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
    merged = pd.concat([frame for _, frame in tables], axis=1, join="outer")
    filled = int(merged.isna().to_numpy().sum())
    if filled:
        log.info("%d feature/sample cells absent from a file were set to 0", filled)
    merged = merged.fillna(0)
    return merged.astype(np.int64) if kind == "counts" else merged
