"""Step of rule import_counts: read, harmonise and match the count table(s); the sheet
and count-file checks the workflow runs before any job."""

from __future__ import annotations

import glob
import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from mirflow.errors import InputError
from mirflow.io.counts import read_counts
from mirflow.io.names import MirbaseNames, harmonise
from mirflow.io.sheet import check_sample_sheet, contrast_labels, match_samples, read_sample_sheet
from mirflow.io.tables import write_tsv
from mirflow.settings import CountsSettings, Settings

log = logging.getLogger(__name__)


def count_paths(given: Sequence[str]) -> list[Path]:
    """``counts.path`` as a list of files; glob patterns are expanded and sorted."""
    paths: list[Path] = []
    for entry in given:
        matches = sorted(glob.glob(entry)) if glob.has_magic(entry) else [entry]
        if not matches or not Path(matches[0]).exists():
            raise InputError(entry, "no such file", "check counts.path in the config")
        paths += [Path(m) for m in matches]
    return paths


def load_sheet(settings: Settings) -> tuple[pd.DataFrame, pd.Series]:
    """The sample sheet checked against every setting that names its columns or
    samples, and each sample's contrast label (case/control/NA)."""
    sheet = read_sample_sheet(settings.samples)
    check_sample_sheet(
        sheet,
        settings.samples,
        settings.contrast,
        settings.covariates,
        settings.survival,
        settings.qc.exclude,
    )
    return sheet, contrast_labels(sheet, settings.contrast)


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
    """Read the count table(s), harmonise names, keep the sheet's samples."""
    sheet = read_sample_sheet(samples_path)
    file_map = sheet["file"].dropna().astype(str) if "file" in sheet.columns else pd.Series(dtype=str)
    paths = [Path(p) for p in count_files]
    table = read_counts(
        paths, counts.format, counts.value, counts.kind, {name: sample for sample, name in file_map.items()}
    )
    harmonised, report = harmonise(table, MirbaseNames.from_files(mirbase_v21, mirbase_v22))
    for action, n in report["action"].value_counts().sort_index().items():
        log.info("harmonisation: %d feature(s) %s", n, action)
    matched, ignored = match_samples(sheet, samples_path, harmonised, paths[0])
    if ignored:
        log.warning(
            "%d count-table sample(s) not in the sample sheet are ignored: %s",
            len(ignored),
            ", ".join(ignored),
        )
    write_tsv(matched, out_counts, index_label="mirna")
    write_tsv(report, out_report)
    write_tsv(
        pd.DataFrame({"sample": ignored, "reason": "in the count table, not in the sample sheet"}),
        out_unmatched,
    )
