"""Sample sheet: reading, checks against the config and the count table, contrast labels.

Positions in messages are the ones a spreadsheet shows when it opens the file: "row N" is
line N of the file (comment lines and the header line count, so with no comment lines
the header is row 1 and the first sample row 2) and columns are lettered A, B, ... AA.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.io.text import LINE_BREAK, binary_kind, column_letter, decode
from mirflow.settings import ContrastSettings, EndpointSettings, SurvivalSettings

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
UNKNOWN_WORDS = frozenset(w.casefold() for w in NA_WORDS) | {
    "-",
    "--",
    "?",
    ".",
    "unknown",
    "missing",
    "n.a.",
    "nd",
    "n.d.",
}
# A column whose filled cells are at least this share numbers is numeric: its other
# cells are errors (a decimal comma, "n/a"), not a reason to read it as text categories.
NUMERIC_SHARE = 0.8
# Columns that identify rather than describe: always read as text, never as numbers.
ID_COLUMNS = ("sample", "file")
# A landmark beyond the follow-up of more than this share of the patients is warned about.
FOLLOWED_SHARE = 0.25
SAVE_AS = (
    "save the sheet as UTF-8 text, tab-separated (LibreOffice: Save As 'Text CSV', character set "
    "'Unicode (UTF-8)', field delimiter {Tab}; Excel: Save As 'Unicode Text', which is also read)"
)
SHOWN = 10


# --- positions -------------------------------------------------------------------------


def _rows_text(numbers: Iterable[int | None]) -> str:
    """``row 3`` / ``rows 3, 5 and 9`` (the first few, then how many in all)."""
    rows = [str(n) for n in numbers if n is not None]
    if not rows:
        return ""
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) > SHOWN:
        return f"rows {', '.join(rows[:SHOWN])}, ... ({len(rows)} in all)"
    return f"rows {', '.join(rows[:-1])} and {rows[-1]}"


def _column(sheet: pd.DataFrame, column: str) -> str:
    """``column C 'age'`` (without the letter when the sheet was not read from a file)."""
    letter = sheet.attrs.get("letters", {}).get(column)
    return f"column {letter} '{column}'" if letter else f"column '{column}'"


def _row(sheet: pd.DataFrame, sample: object) -> int | None:
    return sheet.attrs.get("rows", {}).get(sample)


def _cells(sheet: pd.DataFrame, samples: Sequence[object], column: str) -> str:
    """Where some cells of one column are: rows, column and (for one cell) the sample."""
    rows = _rows_text(_row(sheet, s) for s in samples)
    parts = [rows] if rows else []
    parts.append(_column(sheet, column))
    if len(samples) == 1:
        parts.append(f"sample '{samples[0]}'")
    return ", ".join(parts)


def _number(value: float) -> str:
    """``6`` for 6.0, else the shortest form that reads back as the same number."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _show(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return f"'{int(value)}'"
    return f"'{value}'"


# --- reading ---------------------------------------------------------------------------


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


def _finite(values: pd.Series) -> pd.Series:
    """Per cell: a finite number (as text or already a number)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return pd.Series(np.isfinite(numbers.to_numpy(dtype=float)), index=values.index)


def _numbers_if_all(values: pd.Series) -> pd.Series:
    present = values.dropna()
    if len(present) and _finite(present).all():
        return pd.to_numeric(values)
    return values


# --- checks against the settings -------------------------------------------------------


def _require_columns(sheet: pd.DataFrame, path: Path, columns: Mapping[str, str]) -> None:
    for column, key in columns.items():
        if column not in sheet.columns:
            merged = [c for c in sheet.columns if column in re.split(r"\s*[,;]\s*", str(c)) and c != column]
            fix = (
                f"separate the columns with tabs: column '{merged[0]}' holds several names"
                if merged
                else f"add the column or change {key}; columns are: {', '.join(map(str, sheet.columns))}"
            )
            where = (
                f"row {sheet.attrs['header_row']}, the header" if "header_row" in sheet.attrs else "header"
            )
            raise InputError(path, f"no column '{column}' (named by {key} in the config)", fix, where=where)


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


def _check_level_case(sheet: pd.DataFrame, path: Path, contrast: ContrastSettings) -> None:
    """A cell that differs from a level only in letter case would silently fall out of
    the contrast: refused, naming the rows."""
    values = sheet[contrast.column]
    if is_numeric_dtype(values):
        return
    text = values.dropna().astype(str)
    levels = {contrast.case, contrast.control}
    for key, level in (("contrast.case", contrast.case), ("contrast.control", contrast.control)):
        near = text[(text.str.casefold() == level.casefold()) & ~text.isin(levels)]
        if len(near):
            spellings = " or ".join(f"'{v}'" for v in sorted(set(near)))
            raise InputError(
                path,
                f"{len(near)} sample(s) have {contrast.column} = {spellings}, which differs from {key} "
                f"'{level}' only in letter case: they would be left out of the contrast",
                f"write '{level}' in these cells (letter case matters), or set {key} to the sheet's spelling",
                where=_cells(sheet, list(near.index), contrast.column),
            )


def _used_columns(
    sheet: pd.DataFrame,
    contrast: ContrastSettings,
    covariates: Sequence[str],
    survival: SurvivalSettings,
    variables: str | Sequence[str],
) -> list[str]:
    """The columns the run describes or models (not the contrast, ids or endpoints)."""
    endpoints = {c for e in survival.endpoints.values() for c in (e.time, e.event)}
    skip = {contrast.column, *ID_COLUMNS, *endpoints}
    described = [c for c in sheet.columns if c not in skip] if variables == "auto" else list(variables)
    return list(dict.fromkeys([*covariates, *survival.adjust_for, *described]))


def _check_numbers(sheet: pd.DataFrame, path: Path, column: str) -> None:
    """A column that is numbers except for a few cells: those cells are errors."""
    values = sheet[column]
    if is_numeric_dtype(values):
        return
    present = values.dropna().astype(str)
    finite = _finite(present)
    stray = present[~finite]
    if not len(stray) or finite.sum() < NUMERIC_SHARE * len(present):
        return
    shown = ", ".join(
        f"'{v}' ({_rows_text([_row(sheet, s)]) or f'sample {s}'})" for s, v in stray.head(SHOWN).items()
    )
    fixes = []
    for value in stray:
        if re.fullmatch(r"[-+]?\d+,\d+", value):
            fixes.append(f"write {value.replace(',', '.')}, not {value} (a decimal point, not a comma)")
            break
    fixes.append("write NA (or leave the cell empty) for an unknown value")
    raise InputError(
        path,
        f"{len(stray)} cell(s) of {_column(sheet, column)} are not numbers ({shown}) while the other "
        f"{int(finite.sum())} are: the column would be read as text categories",
        "; ".join(fixes),
        where=_cells(sheet, list(stray.index[:1]), column),
    )


def _check_varies(sheet: pd.DataFrame, path: Path, column: str, key: str, mask: pd.Series, who: str) -> None:
    """A covariate must be known for some of ``who`` and take two values or more."""
    values = sheet.loc[mask, column].dropna()
    if values.empty:
        raise InputError(
            path,
            f"{key} names '{column}', but it is missing (empty or NA) for all {int(mask.sum())} {who}",
            f"fill in the column or remove '{column}' from {key}",
            where=_column(sheet, column),
        )
    if values.nunique() == 1:
        raise InputError(
            path,
            f"{key} names '{column}', but it is {_show(values.iloc[0])} for all {len(values)} {who} "
            "with a value: a constant cannot be adjusted for",
            f"remove '{column}' from {key}",
            where=_column(sheet, column),
        )


def _warn_unknown_words(sheet: pd.DataFrame, path: Path, column: str) -> None:
    """Text such as ``n/a`` or ``unknown`` is a category of its own, not a missing value."""
    values = sheet[column]
    if is_numeric_dtype(values):
        return
    text = values.dropna().astype(str)
    words = text[text.str.casefold().isin(UNKNOWN_WORDS)]
    if len(words):
        log.warning(
            "%s: %s has %s (%s): read as a category of its own, not as missing; write NA or "
            "leave the cell empty if the value is unknown",
            path,
            _column(sheet, column),
            ", ".join(f"'{w}'" for w in sorted(set(words))),
            _rows_text(_row(sheet, s) for s in words.index),
        )


def check_sample_sheet(
    sheet: pd.DataFrame,
    path: str | Path,
    contrast: ContrastSettings,
    covariates: Sequence[str],
    survival: SurvivalSettings,
    exclude: Mapping[str, str],
    variables: str | Sequence[str] = "auto",
) -> None:
    """Stop on every sheet problem the settings make visible, before anything runs.

    ``variables`` is ``cohort.variables``: with ``auto`` every column but the contrast,
    ids and endpoints is described, so each is checked for stray non-numbers.
    """
    path = Path(path)
    needed = {contrast.column: "contrast.column"}
    needed |= {c: "covariates" for c in covariates}
    needed |= {c: "survival.adjust_for" for c in survival.adjust_for}
    for name, endpoint in survival.endpoints.items():
        needed |= {endpoint.time: f"survival.endpoints.{name}.time"}
        needed |= {endpoint.event: f"survival.endpoints.{name}.event"}
    if variables != "auto":
        needed |= {c: "cohort.variables" for c in variables if c not in needed}
    _require_columns(sheet, path, needed)
    _check_level_case(sheet, path, contrast)
    labels = contrast_labels(sheet, contrast)
    for level, key in ((CASE, "contrast.case"), (CONTROL, "contrast.control")):
        if not (labels == level).any():
            present = sorted(sheet[contrast.column].dropna().astype(str).unique())
            raise InputError(
                path,
                f"no sample has {contrast.column} = '{contrast.names[level]}' ({key})",
                f"set {key} to one of: {', '.join(present)}",
                where=_column(sheet, contrast.column),
            )
    unknown = sorted(set(exclude) - set(sheet.index))
    if unknown:
        raise InputError(
            path,
            f"qc.exclude names samples not in the sheet: {', '.join(unknown)}",
            "correct the ids in qc.exclude",
        )
    used = _used_columns(sheet, contrast, covariates, survival, variables)
    for column in used:
        _check_numbers(sheet, path, column)
    analysed = labels.notna().to_numpy() & ~sheet.index.isin(list(exclude))
    who = f"samples in the contrast ({contrast.column} '{contrast.case}' or '{contrast.control}')"
    for column in covariates:
        _check_varies(sheet, path, column, "covariates", pd.Series(analysed, index=sheet.index), who)
    cases = (labels == CASE).fillna(False).astype(bool)
    in_population = pd.Series(True, index=sheet.index) if survival.population == "all" else cases
    who = "samples" if survival.population == "all" else "cases"
    if survival.endpoints:
        for column in survival.adjust_for:
            _check_varies(sheet, path, column, "survival.adjust_for", in_population, who)
    for column in used:
        _warn_unknown_words(sheet, path, column)
    population = sheet[in_population]
    for name, endpoint in survival.endpoints.items():
        check_endpoint(population, path, name, endpoint, who)


def check_endpoint(
    sheet: pd.DataFrame, path: Path, name: str, endpoint: EndpointSettings, who: str = "patients"
) -> None:
    """Times finite numbers >= 0, events 0/1, not all missing, no event without a time,
    landmark within follow-up; a warning when the landmark catches no event or lies
    beyond the follow-up of most patients (a time-unit mix-up?)."""
    path = Path(path)
    time_col, event_col = endpoint.time, endpoint.event
    for column in (time_col, event_col):
        raw = sheet[column]
        bad = raw.notna() & ~_finite(raw)
        if bad.any():
            sample = bad.index[bad.to_numpy().argmax()]
            value = sheet.at[sample, column]
            if column == event_col:
                problem, fix = (
                    f"'{value}' is not an event code",
                    f"code 1 (event) or 0 (censored) in {event_col}, NA when unknown",
                )
            elif pd.notna(pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]):
                problem, fix = (
                    f"'{value}' is not a finite time",
                    f"give the last follow-up time, with {event_col} 0 when no event was seen "
                    "(NA when unknown)",
                )
            else:
                problem, fix = f"'{value}' is not a number", f"write {column} as a number (NA when unknown)"
            raise InputError(path, f"endpoint {name}: {problem}", fix, where=_cells(sheet, [sample], column))
    time = pd.to_numeric(sheet[time_col]).astype(float)
    event = pd.to_numeric(sheet[event_col]).astype(float)
    for column, values in ((time_col, time), (event_col, event)):
        if values.isna().all():
            raise InputError(
                path,
                f"endpoint {name}: {column} is missing (empty or NA) for all {len(values)} {who}",
                f"fill in {column} or remove {name} from survival.endpoints",
                where=_column(sheet, column),
            )
    checks = (
        (time < 0, time_col, "a negative time", f"times in {time_col} must be >= 0"),
        (
            ~event.isin([0, 1]) & event.notna(),
            event_col,
            "an event code other than 0/1",
            f"code {event_col} as 1 (event) or 0 (censored)",
        ),
        (
            event.notna() & time.isna(),
            time_col,
            "an event status without a time",
            f"give the time in {time_col} or set {event_col} to NA",
        ),
    )
    for mask, column, problem, fix in checks:
        if mask.any():
            sample = mask.index[mask.to_numpy().argmax()]
            raise InputError(
                path, f"{problem} for endpoint {name}", fix, where=_cells(sheet, [sample], column)
            )
    landmark = endpoint.landmark
    if landmark >= time.max():
        raise InputError(
            path,
            f"endpoint {name}: landmark {_number(landmark)} is beyond all follow-up "
            f"(longest {time_col} is {_number(time.max())})",
            f"set survival.endpoints.{name}.landmark below the longest follow-up, in the unit of {time_col}",
        )
    known = time.notna() & event.notna()
    followed = int((time > landmark).sum())
    if not (known & (event == 1) & (time <= landmark)).any():
        log.warning(
            "%s: endpoint %s: no event by the landmark %s (no %s = 1 with %s <= %s); are the times "
            "in the same unit as the landmark?",
            path,
            name,
            _number(landmark),
            event_col,
            time_col,
            _number(landmark),
        )
    elif followed < FOLLOWED_SHARE * time.notna().sum():
        log.warning(
            "%s: endpoint %s: the landmark %s is beyond the follow-up of most %s (only %d of %d have "
            "%s > %s); are the times in the same unit as the landmark?",
            path,
            name,
            _number(landmark),
            who,
            followed,
            int(time.notna().sum()),
            time_col,
            _number(landmark),
        )


def match_samples(
    sheet: pd.DataFrame, samples_path: str | Path, counts: pd.DataFrame, counts_path: str | Path
) -> tuple[pd.DataFrame, list[str]]:
    """Restrict the count table to the sheet's samples, in sheet order.

    A sheet sample missing from the table is an error listing the ids; table samples
    absent from the sheet are returned so the caller can log and report them.
    """
    missing = [s for s in sheet.index if s not in counts.columns]
    if missing:
        shown = ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else "")
        raise InputError(
            samples_path,
            f"{len(missing)} sample(s) are not in the count table {counts_path}: {shown}",
            "use the count table's sample ids in the 'sample' column (table columns look like: "
            + ", ".join(map(str, counts.columns[:5]))
            + ")",
            where="column 'sample'",
        )
    ignored = [str(s) for s in counts.columns if s not in sheet.index]
    return counts[list(sheet.index)], ignored
