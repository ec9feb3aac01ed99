"""Interrupted runs and config semantics as a user meets them: from the repository root
Snakemake finds workflow/Snakefile and its default profile by itself, a killed run is
recovered by the README's commands, and a user's --configfile replaces the demo config
instead of inheriting its analysis choices."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import yaml
from conftest import ROOT, SNAKEMAKE, demo_config, run_workflow


def _tables(results: Path) -> dict[str, str]:
    return {
        str(p.relative_to(results)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(results.rglob("*.tsv"))
    }


def _from_root(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """Snakemake run from the repository root without -s, as the README runs it (outputs in
    ``workdir``)."""
    command = [*SNAKEMAKE, *args, "--directory", str(workdir)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_the_snakefile_and_default_profile_are_found_without_being_named(tmp_path):
    result = _from_root(tmp_path, "-n", "--cores", "1", "--configfile", str(demo_config(tmp_path)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Using workflow specific profile workflow/profiles/default" in result.stdout + result.stderr
    assert "localrule all:" in result.stdout or "rule all:" in result.stdout


def test_user_configfile_replaces_the_demo_config(tmp_path):
    """A config naming only an OS endpoint gets no PFS stage (the demo's); the demo config is
    not loaded at all (Snakemake says when it extends one; before, it did).
    tests/workflow/test_test_configs.py runs the minimal config: no covariates, no prognostic
    stage."""
    config = {
        "samples": str(ROOT / "config/samples.tsv"),
        "counts": {"path": str(ROOT / "resources/demo/demo_geneglobe.xlsx")},
        "contrast": {"column": "group", "case": "NEC", "control": "healthy"},
        "survival": {"endpoints": {"OS": {"time": "os_months", "event": "os_event", "landmark": 6}}},
    }
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(config))
    # a dry run writes no results
    result = _from_root(tmp_path, "-n", "--cores", "1", "--configfile", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "prog_km_OS" in result.stdout and "prog_km_PFS" not in result.stdout
    assert "is extended by additional config" not in result.stdout + result.stderr


def test_sigkill_mid_run_recovers_with_unlock_then_the_same_command(tmp_path, demo, snakefile):
    """SIGKILL leaves Snakemake's lock and incomplete outputs; `--unlock` once, then the
    same command finishes (rerun-incomplete in the default profile), tables as the demo's."""
    config = demo_config(tmp_path)
    command = [*SNAKEMAKE, "-s", str(snakefile), "--directory", str(tmp_path), "--cores", "2"]
    command += ["--configfile", str(config)]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    started = time.monotonic()
    try:
        while not (tmp_path / "results/counts/normalised.tsv").exists():
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() - started < 300, "the run did not get going"
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    locked = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert locked.returncode != 0 and "unlock" in (locked.stdout + locked.stderr).lower()
    unlocked = run_workflow(tmp_path, "--unlock", snakefile=snakefile, configfile=config)
    assert unlocked.returncode == 0, unlocked.stderr[-2000:]
    finished = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert _tables(tmp_path / "results") == _tables(demo)
