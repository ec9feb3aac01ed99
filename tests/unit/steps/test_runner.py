"""mirflow.steps.runner: what every rule script calls. An input error is one line; a bug is
one plain line on the terminal and a traceback in the rule's log, never on the terminal; a
step that succeeds logs its wall time and peak memory (what tools/benchmark.py reads); the
bundled files are found by their place in the workflow, wherever it is."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from conftest import ROOT

from mirflow.errors import InputError
from mirflow.steps.runner import bundled, run, workflow_root


def _bad_input() -> None:
    raise InputError("samples.tsv", "no column 'group'", "add the column", where="row 1")


def _bug() -> None:
    return {}["missing"]


def test_input_error_is_one_line_and_exit_1(tmp_path, capsys):
    log = tmp_path / "step.log"
    with pytest.raises(SystemExit) as stop:
        run(_bad_input, str(log))
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "samples.tsv (row 1): no column 'group'. Fix: add the column" in err
    assert "Traceback" not in err and "Traceback" not in log.read_text()


def test_internal_error_names_the_log_and_keeps_the_traceback_there(tmp_path, capsys):
    log = tmp_path / "step.log"
    with pytest.raises(SystemExit) as stop:
        run(_bug, str(log))
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "internal error in _bug (KeyError: 'missing')" in err
    assert f"the traceback is in {log}" in err and "Traceback" not in err
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "KeyError" in text


def test_success_logs_wall_time_and_peak_memory(tmp_path, capsys):
    log = tmp_path / "step.log"
    run(lambda: None, str(log))
    line = log.read_text().strip().splitlines()[-1]
    assert re.search(
        r"INFO mirflow: done in \d+\.\d s \(since process start\), CPU \d+\.\d s, peak memory \d+ MB$", line
    )
    seconds = float(line.split("done in ")[1].split()[0])
    assert 0 < seconds < 3600
    assert int(line.split("peak memory ")[1].split()[0]) > 0
    assert "done in" in capsys.readouterr().err


def test_wall_time_since_start_is_measured_to_the_clock_tick():
    """A process that sleeps 0.3 s reports at least 0.3 s and no more than its parent saw
    pass from before it was spawned until it ended (psutil's create_time, with Linux's boot
    time in whole seconds, could report up to a second more)."""
    code = (
        "import time; time.sleep(0.3); from mirflow.steps.runner import seconds_since_start as s; print(s())"
    )
    scripts = str(ROOT / "workflow" / "scripts")
    before = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"PYTHONPATH": scripts},
    )
    elapsed = time.monotonic() - before
    reported = float(result.stdout)
    assert 0.3 <= reported <= elapsed + 0.02  # one clock tick (1/100 s) of each reading


def test_arguments_arrive_as_built_in_types(tmp_path):
    class Named(str):
        """Like Snakemake's path strings and named lists: subclasses of the built-ins."""

    seen = {}

    def step(path, paths, nested):
        seen.update(path=path, paths=paths, nested=nested)

    run(step, str(tmp_path / "log"), path=Named("a.tsv"), paths=[Named("b.tsv")], nested={"k": [Named("c")]})
    assert seen == {"path": "a.tsv", "paths": ["b.tsv"], "nested": {"k": ["c"]}}
    assert type(seen["path"]) is str and type(seen["paths"][0]) is str and type(seen["nested"]["k"][0]) is str


def test_bundled_files_are_found_from_the_rule_scripts_folder(tmp_path):
    snakemake = SimpleNamespace(
        scriptdir=str(ROOT / "workflow" / "scripts"),
        params=SimpleNamespace(bundled={"mirbase_v22": {"path": "resources/mirbase/mirbase_v22_hsa.csv"}}),
    )
    assert workflow_root(snakemake) == ROOT
    path = bundled(snakemake, "mirbase_v22")
    assert path == str(ROOT / "resources/mirbase/mirbase_v22_hsa.csv")
    moved = SimpleNamespace(
        scriptdir=str(tmp_path / "study" / "workflow" / "scripts" / "."), params=snakemake.params
    )
    assert bundled(moved, "mirbase_v22") == str(tmp_path / "study/resources/mirbase/mirbase_v22_hsa.csv")


def _full_disk_in_context() -> None:
    """As matplotlib's PDF writer: its own error raised while a full disk's OSError is handled."""
    try:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "results/figures/roc.pdf")
    except OSError:
        raise ValueError("I/O operation on closed file")  # noqa: B904 (the context is the point)


def test_a_full_disk_in_the_error_chain_is_named_as_the_machines_problem(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        run(_full_disk_in_context, str(tmp_path / "step.log"))
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "the disk is full (results/figures/roc.pdf): this is a problem of the machine" in err
    assert "bug" not in err and "Traceback" not in err


def _terminated() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def test_sigterm_is_said_as_a_stop_not_as_a_failure(tmp_path, capsys):
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as stop:
            run(_terminated, str(tmp_path / "step.log"))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "stopped by SIGTERM (Ctrl-C, or Snakemake or the cluster ending the job)" in err
    assert "run the same command again to resume" in err and "memory" not in err


def _reads_a_vanished_input(qc_path: str) -> None:
    with open(qc_path):
        pass


def test_an_input_gone_mid_run_is_said_as_another_run_not_as_a_bug(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "step.log"
    with pytest.raises(SystemExit) as stop:
        run(_reads_a_vanished_input, str(log), qc_path="results/validation/qc/samples.tsv")
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert (
        "results/validation/qc/samples.tsv disappeared while this job needed it: another snakemake run" in err
    )
    assert "(one started with --nolock)" in err and "internal error" not in err and "Traceback" not in err
    assert "FileNotFoundError" in log.read_text()


def _reads_a_file_it_was_not_given(qc_path: str) -> None:
    with open("results/elsewhere.tsv"):
        pass


def test_a_missing_file_the_rule_did_not_hand_over_is_a_bug(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        run(_reads_a_file_it_was_not_given, str(tmp_path / "step.log"), qc_path="results/qc.tsv")
    assert "internal error in _reads_a_file_it_was_not_given (FileNotFoundError" in capsys.readouterr().err
