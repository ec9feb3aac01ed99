"""What a reviewer needs to re-run a result: config, input checksums, versions, times."""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from mirflow.checksums import config_hash, sha256

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
    code: Mapping[str, Any],
    version: str,
    started: str | None,
) -> dict[str, Any]:
    """The provenance record: resolved config and its hash, input checksums, the code that
    made the tables (``code``: each rule's code fingerprint, and the SHA-256 of the library
    modules, rule scripts and bundled files by their place in the workflow), versions, the
    seed, the workflow version and the run's start and end time (UTC)."""
    return {
        "workflow": {"name": "mirflow", "version": version},
        "config_sha256": config_hash(config),
        "config": config,
        "seed": config["seed"],
        "inputs": {str(path): sha256(path) for path in inputs},
        "code": dict(code),
        "versions": versions(),
        "started": started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_provenance(
    config: Mapping[str, Any],
    inputs: Sequence[str],
    code: Mapping[str, Any],
    version: str,
    started_path: str,
    out: str,
) -> None:
    """Write the provenance record (the only output with timestamps)."""
    started = Path(started_path).read_text().strip() if Path(started_path).exists() else None
    record = provenance(config, inputs, code, version, started)
    Path(out).write_text(json.dumps(record, indent=2, sort_keys=False, default=str) + "\n")
