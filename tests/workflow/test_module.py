"""The workflow as a Snakemake module of a study folder: deployed with snakedeploy from a local
clone, and made by bin/new-study; each runs a test config in its own folder, and nothing of
it lands in the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _config(study: Path) -> None:
    """.test/config_minimal.yaml (the SIMULATED demo, only the required keys) with absolute
    paths, as the study's config."""
    config = yaml.safe_load((ROOT / ".test/config_minimal.yaml").read_text())
    config["samples"] = str(ROOT / config["samples"])
    config["counts"]["path"] = str(ROOT / config["counts"]["path"])
    (study / "config").mkdir(exist_ok=True)
    (study / "config/config.yaml").write_text(yaml.safe_dump(config))


def _run(study: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "snakemake"), "--cores", "2", *args],
        cwd=study,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )


def _finished(study: Path, result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("overview.tsv", "provenance.json", "model/locked_model.json", "report/front_page.rst"):
        assert (study / "results" / name).is_file(), name
    # a study of the SIMULATED demo says so, on its own front page
    assert "SIMULATED" in (study / "results/report/front_page.rst").read_text()


def test_snakedeploy_from_a_local_clone_runs_a_test_config_in_the_study(tmp_path):
    source = tmp_path / "mirflow"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(source)], check=True)
    study = tmp_path / "study"
    deployed = subprocess.run(
        [str(BIN / "snakedeploy"), "deploy-workflow", str(source), str(study), "--branch", "main"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert deployed.returncode == 0, deployed.stderr[-2000:]
    snakefile = study / "workflow/Snakefile"
    text = snakefile.read_text()
    # snakedeploy 0.17.1 writes a local source's module path relative to that source (README,
    # "As a Snakemake module"): point it at the clone
    assert '"workflow/Snakefile"' in text
    snakefile.write_text(text.replace('"workflow/Snakefile"', f'"{source / "workflow/Snakefile"}"'))
    _config(study)
    before = sorted(p.name for p in ROOT.iterdir())
    _finished(study, _run(study))
    assert sorted(p.name for p in ROOT.iterdir()) == before
    # a finished study has nothing to do
    assert "Nothing to be done" in _run(study, "-n").stdout


def test_new_study_writes_a_study_that_runs(tmp_path):
    study = tmp_path / "my-study"
    made = subprocess.run(
        [sys.executable, str(ROOT / "tools/new_study.py"), str(study), "--counts",
         str(ROOT / "resources/demo/demo_geneglobe.xlsx"), "--case", "NEC", "--control", "healthy"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    sheet = (study / "config/samples.tsv").read_text().splitlines()
    ids = [line.split("\t")[0] for line in sheet if line and not line.startswith("#")][1:]
    assert len(ids) == 39 and all(line.endswith("\t") for line in sheet[-39:])
    config = yaml.safe_load((study / "config/config.yaml").read_text())
    assert set(config) == {"samples", "counts", "contrast"}  # no analysis choice
    # the user's step 2: the groups, from the demo's own sheet
    demo = {
        row.split("\t")[0]: row.split("\t")[1]
        for row in (ROOT / "config/samples.tsv").read_text().splitlines()
        if row and not row.startswith(("#", "sample\t"))
    }
    header = next(line for line in sheet if line.startswith("sample\t"))
    rows = [f"{sample}\t{demo[sample]}" for sample in ids]
    (study / "config/samples.tsv").write_text("\n".join([header, *rows]) + "\n")
    _finished(study, _run(study))
