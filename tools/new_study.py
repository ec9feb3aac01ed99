"""Start a study folder: its own config and sample sheet, the workflow used as a Snakemake
module from this checkout, so that the study's results and report stay in the study's
folder (``bin/new-study DIR``; see README, "Your own study").

The starter config sets only the inputs and the contrast: every other key takes the
schema's default, which makes no analysis choice (no covariates, no endpoints, markers
auto). With ``--counts``, the sample sheet lists the count table's sample ids, with an
empty group column to fill in.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

SNAKEFILE = """\
# A mirflow study: this folder holds its config, results and report. The workflow is the
# Snakemake module below (a checkout of mirflow); run `snakemake --cores N` in this folder.
import sys

sys.path.insert(0, "{library}")
from mirflow.io.config_file import read_config_file  # noqa: E402
from mirflow.errors import InputError  # noqa: E402

# The config read strictly first: a YAML mistake named by line and column, in one line.
try:
    read_config_file("config/config.yaml")
except InputError as error:
    print(f"error: {{error}}", file=sys.stderr)
    sys.exit(1)


configfile: "config/config.yaml"


module mirflow:
    snakefile:
        "{snakefile}"
    config:
        config


use rule * from mirflow
"""
CONFIG = """\
# This study's config. Every key, its default and what it changes: {docs}
# Only the inputs and the contrast are set here; every other key takes the schema's default,
# which makes no analysis choice (no covariates, no survival endpoints, markers: auto).
samples: config/samples.tsv  # the sample sheet (TSV): 'sample' (the count table's ids), 'group', ...
counts:
  path: {counts}  # the count table(s): a file, a glob pattern or a list of files
contrast:
  column: group  # the sheet column that holds the groups
  case: {case}  # the value of that column for cases (e.g. cancer)
  control: {control}  # the value for controls (e.g. healthy)
# Add what your data have (see {docs}):
# covariates: [age]  # sheet columns adjusted for in DESeq2 and the logistic models
# survival:
#   endpoints:
#     OS: {{time: os_months, event: os_event, landmark: 12}}
"""


def _config_path(path: Path, study: Path) -> str:
    """A path as the study's config gives it: relative to the study folder when inside it."""
    path = path.resolve()
    return os.path.relpath(path, study) if path.is_relative_to(study) else str(path)


def sample_ids(counts: Sequence[Path]) -> list[str]:
    """The sample ids of the count table(s), read with the workflow's readers."""
    from mirflow.io.counts import read_counts

    return [str(sample) for sample in read_counts(list(counts)).columns]


def new_study(study: Path, counts: Sequence[Path], case: str, control: str) -> list[Path]:
    """Write the study folder's files; the paths written."""
    study = study.resolve()
    if study.exists() and any(study.iterdir()):
        raise SystemExit(f"error: {study} exists and is not empty: give a new folder for the study")
    ids = sample_ids(counts) if counts else []
    (study / "workflow" / "profiles").mkdir(parents=True)
    (study / "config").mkdir()
    written = [
        study / "workflow" / "Snakefile",
        study / "config" / "config.yaml",
        study / "config" / "samples.tsv",
    ]
    written[0].write_text(
        SNAKEFILE.format(snakefile=ROOT / "workflow" / "Snakefile", library=ROOT / "workflow" / "scripts")
    )
    given = [_config_path(path, study) for path in counts]
    written[1].write_text(
        CONFIG.format(
            docs=ROOT / "config" / "README.md",
            counts=(given[0] if len(given) == 1 else "[" + ", ".join(given) + "]")
            if given
            else "COUNTS_FILE",
            case=case,
            control=control,
        )
    )
    rows = "".join(f"{sample}\t\n" for sample in ids)
    written[2].write_text(
        "# One row per sample of the count table: fill in 'group' (the contrast.case or contrast.control\n"
        "# value; empty for samples not to analyse) and add columns for covariates, endpoints, ...\n"
        f"sample\tgroup\n{rows}"
    )
    shutil.copytree(ROOT / "workflow" / "profiles" / "default", study / "workflow" / "profiles" / "default")
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bin/new-study", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the new study folder")
    parser.add_argument("--counts", type=Path, nargs="+", default=[], help="the count table(s)")
    parser.add_argument("--case", default="CASE", help="the group column's value for cases")
    parser.add_argument("--control", default="CONTROL", help="the group column's value for controls")
    args = parser.parse_args(argv)
    for path in args.counts:
        if not path.is_file():
            parser.error(f"--counts {path}: no such file")
    written = new_study(args.folder, args.counts, args.case, args.control)
    study = args.folder.resolve()
    print(f"wrote {', '.join(str(path.relative_to(study)) for path in written)} in {study}")
    print("next: fill in config/samples.tsv (the group column) and config/config.yaml (contrast), then")
    print(f"  cd {study} && {ROOT / '.venv' / 'bin' / 'snakemake'} --cores 4")


if __name__ == "__main__":
    main()
