"""The library reads bottom-up: core -> io -> stats -> analyses -> steps, plots beside the
analyses (they draw, never fit); no module reads the config; no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "workflow" / "scripts" / "mirflow"
CORE = {
    "mirflow",
    "errors",
    "estimates",
    "groups",
    "plan",
    "scheduler",
    "settings",
    "registry",
    "seeding",
    "sources",
}
# What each layer may import from the library (besides itself).
ALLOWED = {
    "core": {"core"},
    "io": {"core", "io"},
    "stats": {"core", "stats"},
    "analyses": {"core", "stats", "analyses"},
    "plots": {"core", "plots"},
    "steps": {"core", "io", "stats", "analyses", "plots", "steps"},
}


def layer(module: str) -> str:
    """``mirflow.stats.roc`` -> ``stats``; top-level modules are the core."""
    parts = module.split(".")
    return "core" if len(parts) < 3 and parts[-1] in CORE else parts[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The library modules a file imports (``from mirflow.stats import roc`` counts as
    ``mirflow.stats.roc``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mirflow")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mirflow"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return found


# The two modules whose job is the whole config: resolving it, and recording it.
WHOLE_CONFIG = {"mirflow.settings", "mirflow.steps.provenance"}
MODULES = modules()
GRAPH = {name: imports(path, set(MODULES)) - {name} for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_lower_layers(module):
    allowed = ALLOWED[layer(module)]
    wrong = {other for other in GRAPH[module] if layer(other) not in allowed and other != "mirflow"}
    assert not wrong, f"{module} ({layer(module)}) imports {sorted(wrong)}"


def test_no_import_cycles():
    visiting, done = set(), set()

    def visit(name: str, trail: list[str]) -> None:
        if name in done:
            return
        assert name not in visiting, " -> ".join([*trail, name])
        visiting.add(name)
        for other in GRAPH.get(name, ()):
            visit(other, [*trail, name])
        visiting.discard(name)
        done.add(name)

    for name in GRAPH:
        visit(name, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_library_module_reads_the_config_or_fixed_paths(module):
    """Settings arrive as typed sections and paths as arguments (the rule declares them)."""
    text = MODULES[module].read_text()
    # mirflow.scheduler names Snakemake's scheduler module: it cancels that module's timers.
    patterns = ['"results/', '"logs/'] + (["snakemake."] if module != "mirflow.scheduler" else [])
    if module not in WHOLE_CONFIG:
        patterns += ['config["', "config['"]
    for pattern in patterns:
        assert pattern not in text, f"{module} contains {pattern!r}"
