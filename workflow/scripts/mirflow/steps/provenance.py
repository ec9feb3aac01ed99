"""What a reviewer needs to re-run a result: config, input checksums, versions, times."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = [
    "snakemake",
    "pydeseq2",
    "anndata",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "scikit-learn",
    "firthmodels",
    "matplotlib",
    "seaborn",
    "openpyxl",
    "python-calamine",
    "PyYAML",
    "jsonschema",
]


def sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def config_hash(config: Mapping[str, Any]) -> str:
    """SHA-256 of the resolved config as canonical JSON (sorted keys)."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def workflow_version(directory: str | Path) -> str:
    """``git describe --always --dirty`` of the workflow's checkout, or 'unknown'."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"


def versions() -> dict[str, str]:
    """Python and every analysis library's installed version."""
    found = {"python": platform.python_version(), "platform": platform.platform()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def provenance(
    config: Mapping[str, Any],
    inputs: Sequence[str],
    code: Sequence[str],
    version: str,
    started: str | None,
) -> dict[str, Any]:
    """The provenance record: resolved config and its hash, input checksums, the
    checksums of the library code and rule scripts that made the tables, versions, the
    seed, the workflow version and the run's start and end time (UTC)."""
    return {
        "workflow": {"name": "mirflow", "version": version},
        "config_sha256": config_hash(config),
        "config": config,
        "seed": config["seed"],
        "inputs": {str(path): sha256(path) for path in inputs},
        "code": {str(path): sha256(path) for path in code},
        "versions": versions(),
        "started": started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_provenance(
    config: Mapping[str, Any],
    inputs: Sequence[str],
    code: Sequence[str],
    version: str,
    started_path: str,
    out: str,
) -> None:
    """Write the provenance record (the only output with timestamps)."""
    started = Path(started_path).read_text().strip() if Path(started_path).exists() else None
    record = provenance(config, inputs, code, version, started)
    Path(out).write_text(json.dumps(record, indent=2, sort_keys=False, default=str) + "\n")
