"""The plumbing modules (mirflow.fingerprint.PLUMBING: the package, error messages, the
fingerprint, the rule scripts' runner) change no number, so editing them re-runs nothing.
That holds because they import only the standard library and each other: they cannot reach a
statistic. Checked on their import statements (module level and inside functions) and on
what importing them loads in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest
from conftest import LIBRARY

from mirflow.fingerprint import PLUMBING

# A third-party import a plumbing module makes inside a function, with why it cannot reach a
# statistic: the runner measures the finished step's process (wall time since its start).
LAZY_THIRD_PARTY = {("mirflow.steps.runner", "psutil")}


def _path(module: str):
    base = LIBRARY.joinpath(*module.split("."))
    return base / "__init__.py" if (base / "__init__.py").is_file() else base.with_suffix(".py")


def _imports(module: str) -> list[tuple[str, bool]]:
    """(top-level module or library module name, imported at module level) of every import."""
    tree = ast.parse(_path(module).read_text())
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "mirflow" or node.module.startswith("mirflow."):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                names = [n if _path(n).is_file() else node.module for n in names]
        else:
            continue
        found += [(name, id(node) in top_level) for name in names]
    return found


@pytest.mark.parametrize("module", sorted(PLUMBING))
def test_plumbing_imports_only_the_standard_library_and_plumbing(module):
    for name, at_module_level in _imports(module):
        if name == "mirflow" or name.startswith("mirflow."):
            assert name in PLUMBING, f"{module} imports {name}, which is not plumbing"
        elif name.split(".")[0] not in sys.stdlib_module_names:
            assert not at_module_level and (module, name) in LAZY_THIRD_PARTY, f"{module} imports {name}"


@pytest.mark.parametrize("module", sorted(PLUMBING))
def test_importing_plumbing_loads_nothing_else(module):
    probe = f"import json, sys\nimport {module}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(LIBRARY), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stdout)
    library = {name for name in loaded if name == "mirflow" or name.startswith("mirflow.")}
    assert library <= PLUMBING | {"mirflow.steps"}, sorted(library - PLUMBING)
    third_party = {name.split(".")[0] for name in loaded} - set(sys.stdlib_module_names) - {"mirflow"}
    assert not {name for name in third_party if not name.startswith("_")}, sorted(third_party)
