"""Project hygiene that is not lint (ruff, snakefmt and snakemake --lint run in .ci/run): the
pinned versions of requirements.txt and environment.yml agree, and the notebooks are
committed without outputs (tests/workflow/test_notebooks.py runs them)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _pins(path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip()):
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_environment_yml_matches_requirements():
    pip = _pins(ROOT / "requirements.txt")
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):  # the pip: section, pinned with ==
            conda |= {n: v for n, _, v in (e.partition("==") for e in entry["pip"])}
        elif entry != "pip":
            name, _, version = entry.partition("=")
            conda[name.lower()] = version
    assert conda.pop("python") == "3.11"
    assert conda == pip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
