"""What every Snakemake start and every job costs in imports.

(a) Parsing the workflow (a dry run, a no-op re-run, every job's own start) imports what
workflow/Snakefile and workflow/rules/*.smk import from the library and makes the run's plan:
none of the libraries that only jobs need. pandas (the sample sheet) and formulaic (the
design's rank) are allowed.
(b) Each rule script's step loads only the heavy libraries it uses: the table below says,
per rule script, which it must not load. Checked in a fresh interpreter per script, by
importing the library modules the script imports and reading ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import LIBRARY, ROOT, WORKFLOW, demo_config
from snakemake.utils import validate

# Libraries that only jobs need (scipy.stats: scipy's special functions are light).
HEAVY = frozenset(
    {"matplotlib", "seaborn", "sklearn", "statsmodels", "pydeseq2", "anndata", "scipy.stats", "firthmodels"}
)
FIGURES = HEAVY - {"matplotlib"}  # a figures step draws
# Rule script -> the heavy libraries its step must NOT load.
MUST_NOT_LOAD = {
    "import_counts.py": HEAVY,
    "qc.py": HEAVY,
    "qc_figures.py": FIGURES,
    "normalise.py": HEAVY - {"pydeseq2"},  # DESeq2's size factors
    "cohort.py": HEAVY - {"scipy.stats"},  # the cohort table's tests
    "design.py": HEAVY,
    "deseq2.py": {"seaborn", "statsmodels", "firthmodels"},  # pydeseq2 brings anndata, sklearn, matplotlib
    "wilcoxon.py": HEAVY - {"scipy.stats", "statsmodels"},  # Shapiro-Wilk, BH
    "candidates.py": HEAVY,
    "de_figures.py": {"sklearn", "pydeseq2", "anndata", "firthmodels"},
    "logistic.py": {"matplotlib", "seaborn", "pydeseq2", "anndata"},
    "roc.py": HEAVY,
    "panel.py": {"matplotlib", "seaborn", "pydeseq2", "anndata"},
    "diagnostic_figures.py": FIGURES,
    "prognostic.py": HEAVY - {"statsmodels", "scipy.stats"},
    "prognostic_figures.py": FIGURES - {"statsmodels", "scipy.stats"},
    "time_roc.py": HEAVY - {"statsmodels", "scipy.stats"},  # Cox predictions, IPCW CIs
    "time_roc_figures.py": FIGURES,  # draws the table only
    "lock.py": HEAVY - {"pydeseq2"},  # the locked normalisation reference
    "validation_cohort.py": HEAVY - {"pydeseq2"},
    "validation_results.py": HEAVY - {"pydeseq2", "statsmodels", "scipy.stats"},
    "validation_figures.py": FIGURES - {"pydeseq2", "statsmodels", "scipy.stats"},
    "validation_time_roc.py": HEAVY - {"pydeseq2", "statsmodels", "scipy.stats"},
    "reporting.py": {"seaborn", "sklearn", "anndata", "firthmodels"},
    "validation_reporting.py": {"seaborn", "sklearn", "anndata", "firthmodels"},
    "cutoff_bootstrap.py": HEAVY - {"pydeseq2"},  # the lock's typed view (its normalisation reference)
    "sample_size.py": HEAVY - {"pydeseq2"},  # reads the lock
    "analysis_plan.py": HEAVY - {"pydeseq2"},  # reads the lock
    "validation_accuracy.py": HEAVY - {"pydeseq2"},  # reads the lock; the exact CIs load statsmodels late
    "validation_criteria.py": HEAVY - {"pydeseq2"},  # reads the lock
    "overview.py": HEAVY,
    "provenance.py": HEAVY,
    "front_page.py": HEAVY,
    "report_tables.py": HEAVY,
}
# Parse time: every heavy library, and firthmodels.
JOB_ONLY = HEAVY
PROBE = (
    "import importlib, json, sys\n"
    "for name in sys.argv[1:]:\n"
    "    importlib.import_module(name)\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)


def _loaded(modules: list[str], code: str = PROBE, stdin: str = "") -> set[str]:
    """The modules loaded by a fresh interpreter that imports ``modules`` (and runs ``code``)."""
    result = subprocess.run(
        [sys.executable, "-c", code, *modules],
        cwd=ROOT,
        env={"PYTHONPATH": str(LIBRARY), "PATH": os.environ.get("PATH", "")},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def _heavy(loaded: set[str]) -> set[str]:
    return {name for name in HEAVY if name in loaded}


def _library_modules(path: Path) -> list[str]:
    """The library modules a rule script imports (``from mirflow.steps.roc import run_roc``
    gives ``mirflow.steps.roc``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("mirflow")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mirflow"):
            found.add(node.module)
    return sorted(found)


# ---- (a) parse time ---------------------------------------------------------------------------

# An import statement of the library in a rule file: `import mirflow.x`, `from mirflow.x
# import a, b`, or the same with the names in parentheses over several lines.
LIBRARY_IMPORT = re.compile(
    r"^[ \t]*(?:import mirflow[\w.]*|from mirflow[\w.]* import (?:\([^)]*\)|.*))", re.M
)


def _parse_time_modules() -> list[str]:
    """The library modules the Snakefile and its rule files import (``from mirflow.plan
    import make_plan`` gives ``mirflow.plan``)."""
    found = set()
    for path in [WORKFLOW / "Snakefile", *sorted((WORKFLOW / "rules").glob("*.smk"))]:
        for statement in LIBRARY_IMPORT.findall(path.read_text()):
            node = ast.parse(statement.strip()).body[0]
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            else:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return sorted(name for name in found if _is_module(name))


def _is_module(name: str) -> bool:
    """``mirflow.steps.runner`` is a module of the library; ``mirflow.plan.make_plan`` is not."""
    base = LIBRARY.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def test_parsing_the_workflow_imports_no_job_only_library(tmp_path):
    modules = _parse_time_modules()
    assert "mirflow.plan" in modules and "mirflow.targets" in modules, modules
    # what the parse does with them: the demo's plan (sheet read and checked, design's rank)
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    validate(config, str(WORKFLOW / "schemas/config.schema.yaml"))
    plan = (
        PROBE.replace(
            "print(", "from mirflow.plan import make_plan\nmake_plan(json.load(sys.stdin))\nprint(", 1
        )
        if "mirflow.plan" in modules
        else PROBE
    )
    loaded = _loaded(modules, plan, stdin=json.dumps(config))
    assert "pandas" in loaded and "mirflow.plan" in loaded
    assert {name for name in JOB_ONLY if name in loaded} == set(), "parsing the workflow imports them"


# ---- (b) each rule script's step ------------------------------------------------------------

SCRIPTS = sorted(path.name for path in LIBRARY.glob("*.py"))


@pytest.fixture(scope="module")
def loaded_by_script() -> dict[str, set[str]]:
    """Per rule script: the heavy libraries that importing its library modules loads (one
    fresh interpreter per script, as many at once as there are processors)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        loaded = pool.map(lambda name: _heavy(_loaded(_library_modules(LIBRARY / name))), SCRIPTS)
        return dict(zip(SCRIPTS, loaded, strict=True))


def test_every_rule_script_is_in_the_table():
    assert sorted(MUST_NOT_LOAD) == SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_rule_scripts_step_loads_only_what_it_uses(loaded_by_script, script):
    assert script in MUST_NOT_LOAD, f"add {script} to MUST_NOT_LOAD"
    wrong = loaded_by_script[script] & MUST_NOT_LOAD[script]
    assert not wrong, f"{script}'s step loads {sorted(wrong)}"


def test_the_table_checks_something(loaded_by_script):
    """The probe sees what it should: the figures load matplotlib, DESeq2 pydeseq2."""
    assert loaded_by_script["qc_figures.py"] >= {"matplotlib"}
    assert loaded_by_script["deseq2.py"] >= {"pydeseq2"}
