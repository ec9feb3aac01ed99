"""mirflow.fingerprint: which library code a rule script runs (its imports, followed through
the library) and one fingerprint of that code, blind to docstrings, comments, the plumbing
modules and where the workflow sits (what re-runs a rule: tests/workflow/test_rerun.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import LIBRARY

from mirflow.fingerprint import PLUMBING, fingerprint, imported_modules, workflow_version


@pytest.fixture
def library(tmp_path) -> Path:
    """A copy of workflow/scripts (rule scripts and the library) to edit."""
    copy = tmp_path / "scripts"
    shutil.copytree(LIBRARY, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_imported_modules_follow_imports_through_the_library():
    roc = imported_modules(LIBRARY / "roc.py", LIBRARY)
    assert {"mirflow.stats.roc", "mirflow.analyses.diagnostic", "mirflow.steps.roc"} <= set(roc)
    assert "mirflow.steps.runner" in roc
    assert roc == sorted(roc) and "mirflow" in roc  # parent packages count
    deseq2 = imported_modules(LIBRARY / "deseq2.py", LIBRARY)
    assert "mirflow.stats.deseq2" in deseq2 and "mirflow.stats.roc" not in deseq2


def test_every_rule_script_has_a_fingerprint_of_16_hex_digits():
    prints = {script.name: fingerprint(script, LIBRARY) for script in sorted(LIBRARY.glob("*.py"))}
    assert len(prints) > 20
    assert all(len(value) == 16 and int(value, 16) >= 0 for value in prints.values())
    assert prints["roc.py"] != prints["deseq2.py"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def test_comments_and_docstrings_change_no_fingerprint(library):
    before = fingerprint(library / "roc.py", library)
    module = library / "mirflow/stats/roc.py"
    module.write_text(module.read_text() + "\n# a comment at the end\n")
    _edit(module, '"""', '"""An edited module docstring. ')
    assert fingerprint(library / "roc.py", library) == before


def test_a_code_change_changes_the_fingerprint_of_the_scripts_that_import_it(library):
    before = {name: fingerprint(library / name, library) for name in ("roc.py", "deseq2.py", "prognostic.py")}
    module = library / "mirflow/stats/roc.py"
    module.write_text(module.read_text() + "\nUNUSED_CONSTANT = 1\n")
    after = {name: fingerprint(library / name, library) for name in before}
    assert after["roc.py"] != before["roc.py"]
    assert after["prognostic.py"] != before["prognostic.py"]  # its landmark ROC
    assert after["deseq2.py"] == before["deseq2.py"]


def test_the_plumbing_modules_change_no_fingerprint(library):
    assert {"mirflow", "mirflow.errors", "mirflow.fingerprint", "mirflow.steps.runner"} == PLUMBING
    before = fingerprint(library / "roc.py", library)
    for name in PLUMBING:
        parts = name.split(".")
        path = library.joinpath(*parts).with_suffix(".py")
        if not path.exists():
            path = library.joinpath(*parts, "__init__.py")
        path.write_text(path.read_text() + "\nPLUMBING_EDIT = True\n")
    assert fingerprint(library / "roc.py", library) == before


def test_the_fingerprint_does_not_depend_on_where_the_workflow_is(library):
    for script in ("roc.py", "validation_cohort.py", "provenance.py"):
        assert fingerprint(library / script, library) == fingerprint(LIBRARY / script, LIBRARY)


def test_workflow_version_outside_a_checkout_is_unknown(tmp_path):
    assert workflow_version(tmp_path) == "unknown"
    assert workflow_version(tmp_path / "nothere") == "unknown"
