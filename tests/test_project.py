"""Project hygiene: pinned versions agree, code is formatted and lint-clean."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from conftest import ROOT, SNAKEMAKE


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


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_clean():
    for command in (["check", "."], ["format", "--check", "."]):
        result = _run(sys.executable, "-m", "ruff", *command)
        assert result.returncode == 0, result.stdout + result.stderr


def test_snakefmt_clean():
    result = _run(sys.executable, "-m", "snakefmt", "--check", "Snakefile", "workflow/rules")
    assert result.returncode == 0, result.stdout + result.stderr


def test_snakemake_lint_clean():
    result = _run(*SNAKEMAKE, "--lint")
    assert result.returncode == 0 and "Lints for" not in result.stdout + result.stderr, result.stdout
