"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# The settings the sample-sheet checks read (tests of io.sheet), in config form.
SHEET_CONFIG = {
    "contrast": {"column": "group", "case": "NEC", "control": "healthy"},
    "covariates": ["age"],
    "qc": {"exclude": {}},
    "survival": {
        "ci_transform": "log-log",
        "cutoff": "landmark_roc",
        "n_permutations": 100,
        "population": "cases",
        "adjust_for": [],
        "endpoints": {"PFS": {"time": "pfs", "event": "pfs_event", "landmark": 6}},
    },
}
# The rules of the validation stage (each reads the locked model).
VALIDATION_RULES = frozenset(
    {
        "validation_counts",
        "validation_qc",
        "validation_normalise",
        "validation_markers",
        "validation_panel",
        "validation_prognostic",
        "validation_curves",
    }
)


def real_file(relative: str) -> Path:
    """A file of ../shared/data/real, or skip the test saying what is missing."""
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real data not available: {path} (the shared/ folder beside the project)")
    return path


@pytest.fixture(scope="session")
def mirbase():
    from mirflow.io.names import MirbaseNames

    return MirbaseNames.from_files(
        ROOT / "resources/mirbase/mirbase_v21_hsa.csv", ROOT / "resources/mirbase/mirbase_v22_hsa.csv"
    )


def run_workflow(
    workdir: Path,
    *args: str,
    configfile: Path | None = None,
    cores: int = 2,
    snakefile: Path = ROOT / "Snakefile",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run the workflow with working directory ``workdir`` (outputs land there); ``args``
    (targets, options) come first, before ``--configfile`` takes the rest of the line;
    ``env`` adds to the environment."""
    command = [
        *SNAKEMAKE,
        *args,
        "-s",
        str(snakefile),
        "--directory",
        str(workdir),
        "--cores",
        str(cores),
    ]
    if configfile is not None:
        command += ["--configfile", str(configfile)]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, **(env or {})},
    )


def demo_config(workdir: Path, **changes) -> Path:
    """The demo config (discovery and validation) with absolute input paths, optionally
    changed, in ``workdir``; a change to None removes the key (``validation=None``: discovery
    only). validation.model stays relative: the run's own lock, in ``workdir``."""
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    config["samples"] = str(ROOT / config["samples"])
    config["counts"]["path"] = str(ROOT / config["counts"]["path"])
    validation = config["validation"]
    validation["samples"] = str(ROOT / validation["samples"])
    validation["counts"]["path"] = str(ROOT / validation["counts"]["path"])
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("demo")
    result = run_workflow(workdir, configfile=demo_config(workdir))
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "results"


def prepare_cohort(counts, sheet, contrast: dict, covariates: list[str], mirbase):
    """What the workflow does before DE, with the library: harmonise, QC, filter, scale.

    Returns the filtered raw counts of the analysed samples, their case/control labels
    and the design covariates (continuous ones centred and scaled).
    """
    from mirflow.io.names import harmonise
    from mirflow.io.sheet import contrast_labels
    from mirflow.settings import ContrastSettings
    from mirflow.stats import normalise, qc
    from mirflow.stats.design import covariate_frame

    harmonised, _ = harmonise(counts, mirbase)
    labels = contrast_labels(sheet, ContrastSettings.from_params(contrast))
    metrics = qc.qc_metrics(harmonised, "hsa-miR-451a", "hsa-miR-23a-3p")
    table = qc.exclusion_reasons(metrics, labels, 50000, 7, {})
    kept = table.loc[~table["excluded"], "sample"].tolist()
    filtered, _ = normalise.filter_mirnas(harmonised[kept], labels, 10, 0.5)
    frame, _ = covariate_frame(sheet.loc[kept], covariates)
    return filtered, labels[kept].astype(str), frame
