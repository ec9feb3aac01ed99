"""Each rule script is an adapter that imports its step and hands it to the runner:
``run(step_function, snakemake.log[0], **arguments)`` with the function itself, imported from
a ``mirflow.steps`` module (no step named by a string, no analysis in the script)."""

from __future__ import annotations

import ast

import pytest
from conftest import LIBRARY

SCRIPTS = sorted(LIBRARY.glob("*.py"))


def test_there_are_rule_scripts():
    assert len(SCRIPTS) > 20


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_the_rule_script_calls_its_imported_step(path):
    tree = ast.parse(path.read_text())
    imported = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            imported |= {alias.asname or alias.name: node.module for alias in node.names}
    assert imported.get("run") == "mirflow.steps.runner", "the script imports run from mirflow.steps.runner"
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "run"
    ]
    assert len(calls) == 1, "one call of run"
    step = calls[0].args[0]
    assert isinstance(step, ast.Name), f"run's step is {ast.unparse(step)}, not an imported function"
    assert imported.get(step.id, "").startswith("mirflow.steps."), (
        f"{step.id} is not imported from mirflow.steps"
    )
    assert imported[step.id] != "mirflow.steps.runner"
    assert not [
        node for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value == f"{step.id}"
    ], "the step is named by a string"
    # the script runs nothing else: imports, its docstring and the one run(...) call
    body = [node for node in tree.body if not isinstance(node, ast.Import | ast.ImportFrom)]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    assert len(body) == 1 and isinstance(body[0], ast.Expr) and body[0].value is calls[0]
