"""Which library modules a rule script runs, so that editing one re-makes its tables.

Snakemake re-runs a job when its script changes, but not when a module that the script
imports changes. Each rule therefore lists, as inputs, the library files that its
script imports directly or through other library modules (found by reading the
``import`` statements, without importing anything).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

PACKAGE = "mirflow"
# A step as rule scripts name it for the runner: "mirflow.steps.<module>:<function>".
STEP = re.compile(rf"{PACKAGE}(?:\.\w+)+:\w+")


@cache
def _module_file(root: Path, dotted: str) -> Path | None:
    """The file of a ``mirflow.*`` module (a package's ``__init__.py``), if it exists."""
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(path: Path, root: Path) -> set[str]:
    """Dotted names of the library modules (and their parent packages) that ``path`` imports.

    Each file is parsed once per version (its modification time and size): every rule's
    ``code()`` walks the same modules, and parsing them again made the workflow's start
    (a no-op re-run) a second slower."""
    status = path.stat()
    return set(_parsed_imports(path, root, (status.st_mtime_ns, status.st_size)))


@cache
def _parsed_imports(path: Path, root: Path, version: tuple[int, int]) -> frozenset[str]:
    """:func:`_imported` of one version of ``path``; a step named as a string
    (``run("mirflow.steps.roc:run_roc", ...)``, imported when it runs) counts as imported."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and STEP.fullmatch(node.value):
            names = [node.value.partition(":")[0]]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != PACKAGE:
                continue
            for depth in range(1, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                if _module_file(root, prefix) is not None:
                    found.add(prefix)
    return frozenset(found)


def library_sources(script: str | Path, root: str | Path) -> list[str]:
    """Sorted paths of every library module that ``script`` depends on.

    ``root`` is the directory that holds the ``mirflow`` package.
    """
    root = Path(root)
    seen: set[str] = set()
    pending = _imported(Path(script), root)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        module = _module_file(root, name)
        if module is not None:
            pending |= _imported(module, root) - seen
    return sorted(str(_module_file(root, name)) for name in seen)
