"""Which library code a rule runs, as one short fingerprint per rule, so that editing a
module re-makes exactly the tables it shapes.

Snakemake re-runs a job when its rule script changes, not when a module that the script
imports changes. Each rule therefore carries, as a ``params:`` value, the fingerprint of
the library modules its script imports, directly or through other library modules (found
by reading the ``import`` statements, without importing anything). The fingerprint is the
SHA-256 of each module's code with its docstrings and comments left out (``ast.unparse``
of the docstring-free syntax tree), so a comment or a docstring re-runs nothing, and the
modules of :data:`PLUMBING` (logging, error messages, the runner: they change no number)
are left out too. The paths of the modules are never inputs: a finished study folder
moved or copied elsewhere has nothing to do.
"""

from __future__ import annotations

import ast
import hashlib
import subprocess
from functools import cache
from pathlib import Path

PACKAGE = "mirflow"
# Modules that change no number: the package's own description, error messages, the rule
# scripts' runner (logging, exit codes) and this module. They import only the standard
# library and each other (tests/architecture checks it), so they cannot reach a statistic.
PLUMBING = frozenset({"mirflow", "mirflow.errors", "mirflow.fingerprint", "mirflow.steps.runner"})


@cache
def _module_file(root: Path, dotted: str) -> Path | None:
    """The file of a ``mirflow.*`` module (a package's ``__init__.py``), if it exists."""
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@cache
def _parsed(path: Path, root: Path, version: tuple[int, int]) -> tuple[frozenset[str], str]:
    """The library modules that one version (modification time, size) of ``path`` imports
    (with their parent packages), and its code without docstrings and comments."""
    tree = _tree(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
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
    return frozenset(found), ast.unparse(_without_docstrings(tree))


def _without_docstrings(tree: ast.Module) -> ast.Module:
    """``tree`` with the docstring of the module, and of every class and function, removed."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def _read(path: Path, root: Path) -> tuple[frozenset[str], str]:
    status = path.stat()
    return _parsed(path, root, (status.st_mtime_ns, status.st_size))


def imported_modules(script: str | Path, root: str | Path) -> list[str]:
    """Sorted dotted names of every library module that ``script`` imports, directly or
    through other library modules; ``root`` holds the ``mirflow`` package."""
    root = Path(root)
    seen: set[str] = set()
    pending = set(_read(Path(script), root)[0])
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        module = _module_file(root, name)
        if module is not None:
            pending |= _read(module, root)[0] - seen
    return sorted(seen)


def fingerprint(script: str | Path, root: str | Path) -> str:
    """The code fingerprint of a rule script: SHA-256 (first 16 hex digits) of the code of
    every library module it imports, but :data:`PLUMBING`, without docstrings and comments."""
    root = Path(root)
    digest = hashlib.sha256()
    for name in imported_modules(script, root):
        if name in PLUMBING:
            continue
        module = _module_file(root, name)
        assert module is not None
        digest.update(f"{name}\n{_read(module, root)[1]}\n".encode())
    return digest.hexdigest()[:16]


def workflow_version(directory: str | Path) -> str:
    """``git describe --always --dirty`` of the workflow's checkout, or 'unknown'."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"
