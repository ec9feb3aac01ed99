"""Step of rule import_counts: read, harmonise and match the count table(s)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mirflow.errors import InputError
from mirflow.io.counts import read_counts
from mirflow.io.names import MirbaseNames, harmonise
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.sheet_checks import match_samples
from mirflow.io.tables import write_tsv
from mirflow.settings import CountsSettings, resolve_transform

log = logging.getLogger(__name__)


def _names_file(entry: str, path: Path) -> bool:
    """Whether a sheet ``file`` entry names this count file (as :func:`sample_for_file` matches)."""
    return entry in (str(path), path.name, path.stem)


def _sheet_cell(sheet: pd.DataFrame, sample: str, column: str) -> str:
    """A sheet cell as a spreadsheet shows it (row and column letter), when the sheet
    reader recorded them; else the sample and column names."""
    row = sheet.attrs.get("rows", {}).get(sample)
    letter = sheet.attrs.get("letters", {}).get(column)
    if row is None or letter is None:
        return f"sample '{sample}', column '{column}'"
    return f"row {row}, column {letter} '{column}'"


def _file_column(sheet: pd.DataFrame, samples_path: str, paths: Sequence[Path]) -> pd.Series:
    """The sheet's ``file`` column (sample -> file entry), refusing two samples that name
    the same count file: one of them would silently take the other's counts."""
    files = sheet["file"].dropna().astype(str) if "file" in sheet.columns else pd.Series(dtype=str)
    for path in paths:
        named = [str(sample) for sample, entry in files.items() if _names_file(entry, path)]
        if len(named) > 1:
            raise InputError(
                samples_path,
                f"samples {', '.join(named)} all name the count file {path} in column 'file'",
                "give each sample its own export in the 'file' column",
                where=_sheet_cell(sheet, named[1], "file"),
            )
    return files


def _check_missing_exports(
    sheet: pd.DataFrame, samples_path: str, files: pd.Series, paths: Sequence[Path], table: pd.DataFrame
) -> None:
    """Sheet samples missing from the table because their ``file`` entry names no count
    file: say so, with the file entries, rather than that the ids are wrong."""
    missing = [s for s in sheet.index if s not in table.columns and s in files.index]
    unnamed = [(s, files[s]) for s in missing if not any(_names_file(files[s], p) for p in paths)]
    if unnamed:
        shown = ", ".join(f"{s} ('{entry}')" for s, entry in unnamed[:20]) + (
            " ..." if len(unnamed) > 20 else ""
        )
        given = ", ".join(p.name for p in paths[:5]) + (" ..." if len(paths) > 5 else "")
        raise InputError(
            samples_path,
            f"{len(unnamed)} sample(s) have a 'file' entry that names none of the {len(paths)} count "
            f"file(s) of counts.path: {shown}",
            "add the missing export(s) to counts.path, or correct the 'file' entries (a file name or stem "
            f"as counts.path gives them: {given})",
            where=_sheet_cell(sheet, unnamed[0][0], "file"),
        )


def _table_name(counts: CountsSettings, paths: Sequence[Path]) -> str:
    """The count table(s) as messages name them: the file, or counts.path and how many files."""
    return str(paths[0]) if len(paths) == 1 else f"{', '.join(counts.path)} ({len(paths)} files)"


def _refuse_copies(table: pd.DataFrame, samples_path: str) -> None:
    """Refuse sheet samples whose libraries have exactly the same counts as another's (every
    miRNA): the same library listed twice, which would pass as independent samples and make
    the statistics confident and wrong. Empty libraries (no count) are alike and left to QC."""
    values = table.to_numpy()
    seen: dict[bytes, str] = {}
    copies: dict[str, list[str]] = {}
    for i, sample in enumerate(table.columns):
        column = np.ascontiguousarray(values[:, i])
        if not column.any():
            continue
        key = column.tobytes()
        if key in seen:
            copies.setdefault(seen[key], []).append(str(sample))
        else:
            seen[key] = str(sample)
    if copies:
        shown = "; ".join(f"{', '.join(twins)} = {first}" for first, twins in list(copies.items())[:5])
        raise InputError(
            samples_path,
            f"{sum(map(len, copies.values()))} sample(s) have exactly the counts of another sample in every "
            f"miRNA (the same library listed twice?): {shown}",
            "give each sample its own library, or remove the copies from the sheet",
        )


@dataclass(frozen=True)
class ImportedCounts:
    """The sheet's samples' counts (miRNA x sample, sheet order), the harmonisation report
    and the table's samples not in the sheet."""

    matched: pd.DataFrame
    report: pd.DataFrame
    ignored: list[str]

    def write(self, out_counts: str, out_report: str, out_unmatched: str) -> None:
        """The three tables of rule import_counts."""
        write_tsv(self.matched, out_counts, index_label="mirna")
        write_tsv(self.report, out_report)
        write_tsv(
            pd.DataFrame({"sample": self.ignored, "reason": "in the count table, not in the sample sheet"}),
            out_unmatched,
        )


def read_sheet_counts(
    counts: CountsSettings,
    count_files: Sequence[str],
    samples_path: str,
    mirbase_v21: str,
    mirbase_v22: str,
) -> ImportedCounts:
    """Read the count table(s), harmonise names, keep the sheet's samples; writes nothing.

    Everything that would make a later stage fail or mislead stops here with the file
    and place named: with a log2 modelling scale, negative expression values too.
    """
    sheet = read_sample_sheet(samples_path, warn=False)
    paths = [Path(p) for p in count_files]
    file_map = _file_column(sheet, samples_path, paths)
    table = read_counts(
        paths,
        counts.format,
        counts.value,
        counts.kind,
        {name: sample for sample, name in file_map.items()},
        transform=resolve_transform(counts.transform, counts.kind),
    )
    harmonised, report = harmonise(table, MirbaseNames.from_files(mirbase_v21, mirbase_v22))
    for action, n in report["action"].value_counts().sort_index().items():
        log.info("harmonisation: %d feature(s) %s", n, action)
    if harmonised.empty:
        shown = ", ".join(f"'{name}'" for name in table.index[:3])
        raise InputError(
            _table_name(counts, paths),
            f"no miRNA rows: all {len(table)} feature names were set aside as not human miRNAs "
            f"(first: {shown}; see the log)",
            "name the rows with miRBase names such as hsa-miR-21-5p",
        )
    if len(harmonised) < 2:
        raise InputError(
            _table_name(counts, paths),
            f"has 1 miRNA ({harmonised.index[0]}) after harmonisation: normalisation, the PCA and the "
            "comparisons need at least 2",
            "give the whole count table (every miRNA the assay measured)",
        )
    _check_missing_exports(sheet, samples_path, file_map, paths, harmonised)
    matched, ignored = match_samples(sheet, samples_path, harmonised, _table_name(counts, paths))
    if ignored:
        log.warning(
            "%d count-table sample(s) not in the sample sheet are ignored: %s",
            len(ignored),
            ", ".join(ignored),
        )
    if counts.kind == "counts":
        empty = [str(s) for s in matched.columns[~matched.to_numpy().any(axis=0)]]
        if empty:
            log.warning(
                "%d sample(s) have no miRNA counts (every miRNA is 0), empty libraries that sample QC "
                "excludes: %s",
                len(empty),
                ", ".join(empty),
            )
    _refuse_copies(matched, samples_path)
    return ImportedCounts(matched, report, ignored)


def import_counts(
    counts: CountsSettings,
    count_files: Sequence[str],
    samples_path: str,
    mirbase_v21: str,
    mirbase_v22: str,
    out_counts: str,
    out_report: str,
    out_unmatched: str,
) -> None:
    """Rule import_counts: :func:`read_sheet_counts`, then its three tables."""
    read_sheet_counts(counts, count_files, samples_path, mirbase_v21, mirbase_v22).write(
        out_counts, out_report, out_unmatched
    )
