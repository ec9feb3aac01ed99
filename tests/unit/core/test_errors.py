"""mirflow.errors: an input error is one message naming the file, the place and the fix."""

from __future__ import annotations

import pickle

from mirflow.errors import InputError


def test_an_input_error_names_file_place_problem_and_fix():
    error = InputError("samples.tsv", "no column 'group'", "add the column", where="row 1")
    assert str(error) == "samples.tsv (row 1): no column 'group'. Fix: add the column"


def test_an_input_error_crosses_a_process_boundary_as_itself():
    """A DESeq2 fit in a worker process raises it; pickled, it keeps its four parts."""
    error = InputError("config", "4 parameters but only 4 samples", "analyse more samples", where="contrast")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InputError and str(copy) == str(error) and copy.where == "contrast"
