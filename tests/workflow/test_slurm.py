"""The demo on a real one-node SLURM cluster through the SLURM profile.

Starts munged, slurmctld and slurmd on localhost (tests/slurm/cluster.sh), runs the workflow
with ``--workflow-profile workflow/profiles/slurm`` plus the no-slurmdbd options, checks that
the jobs went through sbatch and that every table equals the local run's byte for byte, and
stops what it started. slurm-wlm and munge are installed system-wide (apt, as root) and the
local cluster started only when MIRFLOW_SLURM_INSTALL=1 (.ci/run sets it); without it the test
runs only where a SLURM controller is already running, and otherwise is skipped saying how to
enable it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, demo_config, run_workflow

CLUSTER = ROOT / "tests" / "slurm" / "cluster.sh"
CONF = Path("/etc/slurm/slurm.conf")
INSTALL = "MIRFLOW_SLURM_INSTALL"


def _installed() -> bool:
    return all(shutil.which(name) for name in ("sbatch", "slurmctld", "slurmd", "munged"))


def _running() -> bool:
    """A SLURM controller answers (sinfo; without a slurm.conf it would search DNS for one)."""
    if shutil.which("sinfo") is None or not CONF.exists():
        return False
    try:
        return subprocess.run(["sinfo", "-h"], capture_output=True, check=False, timeout=10).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def _why_not() -> str | None:
    if os.environ.get(INSTALL) != "1" and not (_installed() and _running()):
        return (
            f"no running SLURM; set {INSTALL}=1 to let this test install slurm-wlm and munge "
            "system-wide with apt-get (as root) where missing and start a local one-node cluster "
            "(.ci/run does)"
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
    jobs_before = _slurm_job_ids()
    result = run_workflow(
        tmp_path,
        "--workflow-profile",
        str(snakefile.parent / "profiles/slurm"),
        "--slurm-status-command",
        "squeue",
        "--slurm-no-account",
        snakefile=snakefile,
        configfile=demo_config(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-4000:]
    seen = _slurm_job_ids() - jobs_before
    # Snakemake's log names each job: "rule X:" went to SLURM, "localrule X:" ran here; and
    # each submission's SLURM job id
    remote = re.findall(r"^rule (\w+):", result.stderr, flags=re.MULTILINE)
    assert len(remote) > 20 and {"import_counts", "deseq2", "roc", "lock"} <= set(remote), remote
    submitted = set(re.findall(r"submitted with SLURM jobid (\d+)", result.stderr))
    assert len(submitted) == len(remote), f"{len(submitted)} SLURM jobs for {len(remote)} jobs"
    # slurmctld ran them (it forgets finished jobs after MinJobAge: the last ones at least)
    assert seen and seen <= submitted
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
