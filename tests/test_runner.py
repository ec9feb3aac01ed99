"""The rule scripts' runner: an input error is one line; a bug is one plain line on the
terminal and a traceback in the rule's log, never on the terminal."""

from __future__ import annotations

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
