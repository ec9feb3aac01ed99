"""The sample sheet checked against the settings that name its columns and samples
(contrast, covariates, endpoints, exclusions), and matched with the count table, before
any analysis (:mod:`mirflow.io.sheet` reads it). Every problem is an
:class:`~mirflow.errors.InputError` naming the file, the row and column as a spreadsheet
shows them, and the fix."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.io.sheet import ID_COLUMNS, NA_WORDS, SHOWN, contrast_labels, finite_numbers, rows_text
from mirflow.settings import ContrastSettings, EndpointSettings, SurvivalSettings

log = logging.getLogger(__name__)

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
FOLLOWED_SHARE = 0.25


def _column(sheet: pd.DataFrame, column: str) -> str:
    """``column C 'age'`` (without the letter when the sheet was not read from a file)."""
    letter = sheet.attrs.get("letters", {}).get(column)
    return f"column {letter} '{column}'" if letter else f"column '{column}'"


def _row(sheet: pd.DataFrame, sample: object) -> int | None:
    return sheet.attrs.get("rows", {}).get(sample)


def _cells(sheet: pd.DataFrame, samples: Sequence[object], column: str) -> str:
    """Where some cells of one column are: rows, column and (for one cell) the sample."""
    rows = rows_text(_row(sheet, s) for s in samples)
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


def check_level_case(
    sheet: pd.DataFrame, path: str | Path, contrast: ContrastSettings, locked: str | None = None
) -> None:
    """A cell that differs from a level only in letter case would silently fall out of
    the contrast: refused, naming the rows. ``locked``: the locked model whose contrast a
    validation sheet must follow (the fix is then the sheet's, not the config's)."""
    values = sheet[contrast.column]
    if is_numeric_dtype(values):
        return
    text = values.dropna().astype(str)
    levels = {contrast.case, contrast.control}
    for key, level in (("contrast.case", contrast.case), ("contrast.control", contrast.control)):
        near = text[(text.str.casefold() == level.casefold()) & ~text.isin(levels)]
        if len(near):
            spellings = " or ".join(f"'{v}'" for v in sorted(set(near)))
            role = key.removeprefix("contrast.")
            raise InputError(
                path,
                f"{len(near)} sample(s) have {contrast.column} = {spellings}, which differs from "
                + (f"the {role} level '{level}' locked in {locked}" if locked else f"{key} '{level}'")
                + " only in letter case: they would be left out of the contrast",
                f"write '{level}' in these cells (letter case matters)"
                + ("" if locked else f", or set {key} to the sheet's spelling"),
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
    endpoints = {c for e in survival.endpoints.values() for c in (e.time, e.event, e.competing_event) if c}
    skip = {contrast.column, *ID_COLUMNS, *endpoints}
    described = [c for c in sheet.columns if c not in skip] if variables == "auto" else list(variables)
    return list(dict.fromkeys([*covariates, *survival.adjust_for, *described]))


def _check_numbers(sheet: pd.DataFrame, path: Path, column: str) -> None:
    """A column that is numbers except for a few cells: those cells are errors."""
    values = sheet[column]
    if is_numeric_dtype(values):
        return
    present = values.dropna().astype(str)
    finite = finite_numbers(present)
    stray = present[~finite]
    if not len(stray) or finite.sum() < NUMERIC_SHARE * len(present):
        return
    shown = ", ".join(
        f"'{v}' ({rows_text([_row(sheet, s)]) or f'sample {s}'})" for s, v in stray.head(SHOWN).items()
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
            rows_text(_row(sheet, s) for s in words.index),
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
        if endpoint.competing_event:
            needed |= {endpoint.competing_event: f"survival.endpoints.{name}.competing_event"}
    if variables != "auto":
        needed |= {c: "cohort.variables" for c in variables if c not in needed}
    _require_columns(sheet, path, needed)
    check_level_case(sheet, path, contrast)
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
        bad = raw.notna() & ~finite_numbers(raw)
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
    if endpoint.competing_event:
        _check_competing(sheet, path, name, endpoint, time, event, who)
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


def _check_competing(
    sheet: pd.DataFrame,
    path: Path,
    name: str,
    endpoint: EndpointSettings,
    time: pd.Series,
    event: pd.Series,
    who: str,
) -> None:
    """The competing-event column checked as the event column is: 0/1 codes (NA when
    unknown), not missing for everyone, never without a time, and never 1 together with
    the endpoint's own event (a patient has one first event)."""
    column, event_col = str(endpoint.competing_event), endpoint.event
    raw = sheet[column]
    bad = raw.notna() & ~finite_numbers(raw)
    if bad.any():
        sample = bad.index[bad.to_numpy().argmax()]
        raise InputError(
            path,
            f"endpoint {name}: '{sheet.at[sample, column]}' is not a competing-event code",
            f"code 1 (the competing event happened instead of {event_col}) or 0 (it did not) in {column}, "
            "NA when unknown",
            where=_cells(sheet, [sample], column),
        )
    competing = pd.to_numeric(raw).astype(float)
    if competing.isna().all():
        raise InputError(
            path,
            f"endpoint {name}: {column} (competing_event) is missing (empty or NA) for all "
            f"{len(competing)} {who}",
            f"fill in {column} or remove competing_event from survival.endpoints.{name}",
            where=_column(sheet, column),
        )
    checks = (
        (
            ~competing.isin([0, 1]) & competing.notna(),
            "a competing-event code other than 0/1",
            f"code {column} as 1 (the competing event happened instead of {event_col}) or 0",
        ),
        (
            competing.notna() & time.isna(),
            "a competing-event status without a time",
            f"give the time in {endpoint.time} or set {column} to NA",
        ),
        (
            (competing == 1) & (event == 1),
            f"both {event_col} and the competing event {column} = 1",
            f"a patient has one first event: keep {event_col} = 1 if the endpoint's event came first, "
            f"else set it to 0 and keep {column} = 1",
        ),
    )
    for mask, problem, fix in checks:
        if mask.any():
            sample = mask.index[mask.to_numpy().argmax()]
            raise InputError(
                path, f"{problem} for endpoint {name}", fix, where=_cells(sheet, [sample], column)
            )


def match_samples(
    sheet: pd.DataFrame, samples_path: str | Path, counts: pd.DataFrame, counts_path: str | Path
) -> tuple[pd.DataFrame, list[str]]:
    """Restrict the count table to the sheet's samples, in sheet order.

    A sheet sample missing from the table is an error listing the ids; table samples
    absent from the sheet are returned so the caller can log and report them.
    """
    missing = [s for s in sheet.index if s not in counts.columns]
    normal = {unicodedata.normalize("NFC", str(c)): str(c) for c in counts.columns}
    encoded = [
        (s, normal[unicodedata.normalize("NFC", s)])
        for s in missing
        if unicodedata.normalize("NFC", s) in normal
    ]
    if encoded:
        shown = ", ".join(f"'{s}' (table: '{c}')" for s, c in encoded[:10])
        raise InputError(
            samples_path,
            f"{len(encoded)} sample id(s) look the same as a count-table id but are encoded differently "
            "(Unicode normal forms NFC and NFD: e.g. 'ü' as one character or as 'u' + a combining mark): "
            f"{shown}",
            "retype these ids in the sheet, or save both files with the same editor, so that they match "
            f"{counts_path}",
            where="column 'sample'",
        )
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
