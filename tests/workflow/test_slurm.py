"""The demo on a real one-node SLURM cluster through the SLURM profile.

Starts munged, slurmctld and slurmd on localhost (tests/slurm/cluster.sh), runs the workflow
with ``--workflow-profile workflow/profiles/slurm`` plus the no-slurmdbd options, checks that
the jobs went through sbatch and that every table equals the local run's byte for byte, and
stops what it started. slurm-wlm and munge are installed system-wide (apt, as root) only when
MIRFLOW_SLURM_INSTALL=1 (.ci/run sets it); without it the test runs only where SLURM is
already installed, and otherwise is skipped saying how to enable it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, demo_config, run_workflow, scheduled

CLUSTER = ROOT / "tests" / "slurm" / "cluster.sh"
CONF = Path("/etc/slurm/slurm.conf")
INSTALL = "MIRFLOW_SLURM_INSTALL"


def _installed() -> bool:
    return all(shutil.which(name) for name in ("sbatch", "slurmctld", "slurmd", "munged"))


def _why_not() -> str | None:
    if not _installed() and os.environ.get(INSTALL) != "1":
        return (
            f"SLURM is not installed; set {INSTALL}=1 to let this test install slurm-wlm and munge "
            "system-wide with apt-get (as root) and start a local one-node cluster (.ci/run does)"
        )
    if os.geteuid() != 0:
        return "needs root to install and start SLURM daemons"
    if not _installed() and shutil.which("apt-get") is None:
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


def _checksums(results: Path) -> dict[str, str]:
    return {
        str(p.relative_to(results)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(results.rglob("*.tsv"))
    }


def test_demo_on_slurm_equals_local_run(cluster, demo, snakefile, tmp_path):
    config = demo_config(tmp_path)
    dry = run_workflow(tmp_path, "-n", snakefile=snakefile, configfile=config)
    assert dry.returncode == 0, dry.stderr[-3000:]
    jobs = sum(scheduled(dry.stdout).values())
    jobs_before = _slurm_job_ids()
    result = run_workflow(
        tmp_path,
        "--workflow-profile",
        str(snakefile.parent / "profiles/slurm"),
        "--slurm-status-command",
        "squeue",
        "--slurm-no-account",
        snakefile=snakefile,
        configfile=config,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    submitted = _slurm_job_ids() - jobs_before
    local = {"deseq2_as_adjusted"}  # the workflow's local rules (rule all is not counted)
    assert len(submitted) >= jobs - sum(scheduled(dry.stdout).get(rule, 0) for rule in local) > 20
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
