"""The library reads bottom-up: core < io < stats < analyses < plots < steps. Each layer
imports only from the layers before it (and from itself); there are no import cycles; plots
only draw (they never fit); no module reads the config or a fixed results path.

The core is the package's top-level modules (settings, errors, registry, formatting,
targets, fingerprint, checksums, ...). One of them is the exception, by design:
``mirflow.plan`` is what the Snakefile calls when it starts (everything decided before any
job), and to decide it reads the sample sheet and checks it (io) and checks the design's rank
(stats). So plan may import io and stats, as parse-time helpers, but nothing in the library
may import plan (only workflow/rules/common.smk does): it is the core's entry point, not a
building block, and no cycle can pass through it. ``mirflow.targets`` is imported on every
start of Snakemake and imports nothing of the library.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import LIBRARY

PACKAGE = LIBRARY / "mirflow"
ORDER = ("core", "io", "stats", "analyses", "plots", "steps")
# Parse-time helpers in the core that may reach further up (see the module docstring).
PARSE_TIME = {"mirflow.plan": {"core", "io", "stats"}}
# What the plots may not import: they draw tables that the analyses computed.
NO_FITTING = (
    "statsmodels",
    "sklearn",
    "scipy",
    "firthmodels",
    "pydeseq2",
    "mirflow.stats",
    "mirflow.analyses",
)


def layer(module: str) -> str:
    """``mirflow.stats.roc`` -> ``stats``; top-level modules (and the package) are the core."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER[1:] else "core"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported_names(path: Path) -> list[str]:
    """Every name an import statement of the file names (``from a.b import c`` gives ``a.b``
    and ``a.b.c``), at module level or inside functions."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def library_imports(path: Path, known: set[str]) -> set[str]:
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


# The modules whose job is the whole config: resolving it (settings), deciding the run from it
# (plan), and recording it (provenance).
WHOLE_CONFIG = {"mirflow.settings", "mirflow.plan", "mirflow.steps.provenance"}
# The rule scripts' runner receives Snakemake's object (its log, script folder and params).
SNAKEMAKE_OBJECT = {"mirflow.steps.runner"}
# A string that is a path of a run's results or logs (a message may name one in its text).
FIXED_PATH = re.compile(r"(results|logs)/[\w./{}-]*")
MODULES = modules()
GRAPH = {name: library_imports(path, set(MODULES)) - {name} for name, path in MODULES.items()}


def allowed(module: str) -> set[str]:
    """The layers a module may import: its own and those before it (or its exception)."""
    return PARSE_TIME.get(module, set(ORDER[: ORDER.index(layer(module)) + 1]))


def test_the_layers_are_the_packages():
    assert {layer(name) for name in MODULES} == set(ORDER)
    assert layer("mirflow") == layer("mirflow.plan") == layer("mirflow.targets") == "core"
    assert allowed("mirflow.settings") == {"core"} and allowed("mirflow.stats.roc") == {"core", "io", "stats"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_lower_layers(module):
    wrong = {other for other in GRAPH[module] if layer(other) not in allowed(module) and other != "mirflow"}
    assert not wrong, f"{module} ({layer(module)}) imports {sorted(wrong)}"


def test_no_library_module_imports_the_plan_and_targets_imports_no_library_module():
    importers = sorted(name for name, imports in GRAPH.items() if "mirflow.plan" in imports)
    assert importers == [], f"the plan is the Snakefile's: {importers} import it"
    assert GRAPH["mirflow.targets"] == set()


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


@pytest.mark.parametrize("module", sorted(name for name in MODULES if layer(name) == "plots"))
def test_plots_do_not_fit(module):
    offending = [
        name
        for name in imported_names(MODULES[module])
        if any(name == f or name.startswith(f + ".") for f in NO_FITTING)
    ]
    assert not offending, f"{module} imports {offending}: plots draw tables, the analyses compute them"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_library_module_reads_the_config_or_fixed_paths(module):
    """Settings arrive as typed sections and paths as arguments (the rule declares them);
    mirflow.targets is the one place that names the files a run makes."""
    text = MODULES[module].read_text()
    patterns = [] if module in SNAKEMAKE_OBJECT else ["snakemake."]
    if module not in WHOLE_CONFIG:
        patterns += ['config["', "config['"]
    for pattern in patterns:
        assert pattern not in text, f"{module} contains {pattern!r}"
    if module != "mirflow.targets":
        paths = [
            node.value
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and FIXED_PATH.fullmatch(node.value)
        ]
        assert not paths, f"{module} names the paths {paths} (they come from the rule, or mirflow.targets)"
