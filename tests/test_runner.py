"""The rule scripts' runner: an input error is one line; a bug is one plain line on the
terminal and a traceback in the rule's log, never on the terminal; a step that succeeds logs
its wall time and peak memory (what tools/benchmark.py reads)."""

from __future__ import annotations

import re

import pytest

from mirflow.errors import InputError
from mirflow.steps.runner import run


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


def test_an_input_error_crosses_a_process_boundary_as_itself():
    """A DESeq2 fit in a worker process raises it; pickled, it keeps its four parts."""
    import pickle

    error = InputError("config", "4 parameters but only 4 samples", "analyse more samples", where="contrast")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InputError and str(copy) == str(error) and copy.where == "contrast"


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
