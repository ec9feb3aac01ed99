"""mirflow.errors: an input error is one message naming the file, the place and the fix."""

from __future__ import annotations

from mirflow.errors import InputError


def test_an_input_error_names_file_place_problem_and_fix():
    error = InputError("samples.tsv", "no column 'group'", "add the column", where="row 1")
    assert str(error) == "samples.tsv (row 1): no column 'group'. Fix: add the column"
