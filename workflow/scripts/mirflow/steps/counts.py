"""Step of rule import_counts: read, harmonise and match the count table(s); the sheet
and count-file checks the workflow runs before any job."""

from __future__ import annotations

import glob
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from mirflow.errors import InputError
from mirflow.io.counts import read_counts
from mirflow.io.names import MirbaseNames, harmonise
from mirflow.io.sheet import check_sample_sheet, contrast_labels, match_samples, read_sample_sheet
from mirflow.io.tables import write_tsv
from mirflow.settings import CountsSettings, Settings, resolve_transform
from mirflow.stats import deseq2_design
from mirflow.stats.design import covariate_frame

log = logging.getLogger(__name__)


def count_paths(given: Sequence[str]) -> list[Path]:
    """``counts.path`` as a list of files; glob patterns are expanded and sorted.

    Runs when the workflow starts: a file that does not exist, a pattern that matches
    nothing, a directory, or a file given twice stops the run here.
    """
    paths: list[Path] = []
    seen: set[Path] = set()
    where = f"relative paths are taken from the working directory {Path.cwd()}"
    for entry in given:
        if glob.has_magic(entry):
            matches = sorted(glob.glob(entry))
            if not matches:
                raise InputError(
                    entry, "no file matches this pattern (counts.path)", f"check counts.path ({where})"
                )
        else:
            matches = [entry]
        for match in map(Path, matches):
            if match.is_dir():
                raise InputError(
                    match,
                    "is a directory, not a count file"
                    + (f" (matched by the pattern '{entry}')" if glob.has_magic(entry) else ""),
                    f"give the count file, or a pattern such as {match / '*.xlsx'} for per-sample exports"
                    if not glob.has_magic(entry)
                    else "make the pattern match only files, e.g. end it in *.xlsx or *.csv",
                )
            if not match.exists():
                raise InputError(match, "no such file", f"check counts.path in the config ({where})")
            if match.resolve() in seen:
                raise InputError(
                    match,
                    "is given twice in counts.path"
                    + (f" (again by the pattern '{entry}')" if glob.has_magic(entry) else ""),
                    "list every count file once",
                )
            paths.append(match)
            seen.add(match.resolve())
    return paths


def load_sheet(settings: Settings) -> tuple[pd.DataFrame, pd.Series]:
    """The sample sheet checked against every setting that names its columns or
    samples, and each sample's contrast label (case/control/NA).

    Called when the workflow is parsed, before logging is set up: its warnings
    (spaces removed, a landmark catching no event) then go to stderr with their level.
    """
    with _warnings_to_stderr():
        sheet = read_sample_sheet(settings.samples)
        check_sample_sheet(
            sheet,
            settings.samples,
            settings.contrast,
            settings.covariates,
            settings.survival,
            settings.qc.exclude,
            variables=settings.cohort_variables,
        )
        labels = contrast_labels(sheet, settings.contrast)
        check_design(sheet, labels, settings)
    return sheet, labels


def check_design(sheet: pd.DataFrame, labels: pd.Series, settings: Settings) -> None:
    """Stop before any job when the adjusted design (covariates + contrast) is not full
    rank on the contrast samples (those QC may exclude later are not known yet; DESeq2's
    step checks again on the analysed ones)."""
    if not settings.covariates:
        return
    samples = labels.dropna().index.difference(list(settings.qc.exclude), sort=False)
    covariates, _ = covariate_frame(sheet.loc[samples], list(settings.covariates))
    frame, formula, names = deseq2_design.design_frame(labels[samples], covariates)
    deseq2_design.check_full_rank(frame, formula, names, settings.samples)


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """While no logging is configured (the Snakefile being parsed), show the library's
    warnings on stderr as ``WARNING mirflow...: message``; else leave logging alone."""
    if logging.getLogger().handlers:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    library = logging.getLogger("mirflow")
    library.addHandler(handler)
    try:
        yield
    finally:
        library.removeHandler(handler)


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
    """Read the count table(s), harmonise names, keep the sheet's samples.

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
    write_tsv(matched, out_counts, index_label="mirna")
    write_tsv(report, out_report)
    write_tsv(
        pd.DataFrame({"sample": ignored, "reason": "in the count table, not in the sample sheet"}),
        out_unmatched,
    )
