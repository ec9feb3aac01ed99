"""The demo on a real one-node SLURM cluster through the SLURM profile.

Starts munged, slurmctld and slurmd on localhost (tests/slurm/cluster.sh installs slurm-wlm
and munge with apt when missing), runs the workflow with
``--workflow-profile workflow/profiles/slurm`` plus the no-slurmdbd options, checks that the
jobs went through sbatch and that every table equals the local run's byte for byte, and
stops what it started. Skipped, with the reason, where that cannot be done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, demo_config, run_workflow
from test_workflow import _checksums

CLUSTER = ROOT / "tests" / "slurm" / "cluster.sh"
CONF = Path("/etc/slurm/slurm.conf")


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "needs root to install and start SLURM daemons"
    if shutil.which("sbatch") is None and shutil.which("apt-get") is None:
        return "no SLURM installed and no apt-get to install it"
    if CONF.exists() and "mirflow tests/slurm/cluster.sh" not in CONF.read_text():
        return f"{CONF} belongs to a real cluster: not replacing it"
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        return "snakemake-executor-plugin-slurm is not installed (requirements-dev.txt)"
    return None


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    state = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(["bash", str(CLUSTER), "start", str(state)], capture_output=True, text=True)
    if started.returncode != 0:
        subprocess.run(["bash", str(CLUSTER), "stop", str(state)], check=False)
        pytest.fail(f"could not start the local SLURM cluster:\n{started.stdout}\n{started.stderr}")
    yield state
    subprocess.run(["bash", str(CLUSTER), "stop", str(state)], check=False)


def test_demo_on_slurm_equals_local_run(cluster, demo, tmp_path):
    jobs_before = _slurm_job_ids()
    result = run_workflow(
        tmp_path,
        "--workflow-profile",
        str(ROOT / "workflow/profiles/slurm"),
        "--slurm-status-command",
        "squeue",
        "--slurm-no-account",
        configfile=demo_config(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-4000:]
    submitted = _slurm_job_ids() - jobs_before
    rules = {
        "import_counts",
        "qc",
        "normalise",
        "cohort",
        "deseq2",
        "wilcoxon",
        "candidates",
        "de_figures",
        "logistic",
        "roc",
        "panel",
        "diagnostic_figures",
        "prognostic",
        "provenance",
    }
    assert len(submitted) >= len(rules), f"only {len(submitted)} SLURM jobs seen"
    assert "SLURM jobid" in result.stderr or "SLURM run ID" in result.stderr
    assert _checksums(tmp_path / "results") == _checksums(demo)


def _slurm_job_ids() -> set[str]:
    """Job ids slurmctld knows (MinJobAge keeps finished jobs for 5 minutes)."""
    shown = subprocess.run(["scontrol", "-o", "show", "jobs"], capture_output=True, text=True, check=False)
    return {
        part.split("=", 1)[1]
        for line in shown.stdout.splitlines()
        for part in line.split()
        if part.startswith("JobId=")
    }
