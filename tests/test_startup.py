"""What every Snakemake start and end costs: the workflow's own imports when it is parsed
stay light (a no-op re-run and a dry run pay for them), and a run ends with its last job,
not a second later (mirflow.scheduler)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import threading
import types

from conftest import ROOT
from snakemake.scheduling.job_scheduler import JobScheduler

from mirflow.scheduler import cancel_scheduler_timers

LIBRARY = ROOT / "workflow" / "scripts"
# Libraries that only jobs need. Parsing reads the sample sheet (pandas) and checks the
# adjusted design's rank (formulaic), so those two are allowed.
JOB_ONLY = ("matplotlib", "seaborn", "sklearn", "statsmodels", "pydeseq2", "anndata", "scipy.stats")


# An import statement of the library in a rule file: `import mirflow.x`, `from mirflow.x
# import a, b`, or the same with the names in parentheses over several lines.
LIBRARY_IMPORT = re.compile(
    r"^[ \t]*(?:import mirflow[\w.]*|from mirflow[\w.]* import (?:\([^)]*\)|.*))", re.M
)


def _parse_time_modules() -> list[str]:
    """The library modules the Snakefile and its rule files import (``from mirflow.steps
    import worker`` gives ``mirflow.steps.worker``)."""
    found = set()
    for path in [ROOT / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]:
        for statement in LIBRARY_IMPORT.findall(path.read_text()):
            node = ast.parse(statement.strip()).body[0]
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            else:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return sorted(name for name in found if _is_module(name))


def _is_module(name: str) -> bool:
    """``mirflow.steps.worker`` is a module of the library; ``mirflow.plan.validation_files``
    is not."""
    base = LIBRARY.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def test_parsing_the_workflow_imports_no_job_only_library():
    modules = _parse_time_modules()
    assert "mirflow.steps.counts" in modules and "mirflow.steps.worker" in modules, modules
    probe = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        f"print(' '.join(m for m in {JOB_ONLY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *modules],
        cwd=ROOT,
        env={"PYTHONPATH": str(LIBRARY), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [], f"parsing the workflow imports {result.stdout.split()}"


def _pending(timer_function_module: str) -> list[threading.Timer]:
    return [
        thread
        for thread in threading.enumerate()
        if isinstance(thread, threading.Timer) and thread.function.__module__ == timer_function_module
    ]


def test_the_schedulers_pending_wake_up_is_cancelled_at_the_end_of_a_run():
    """The timer Snakemake's own scheduler arms (called as Snakemake calls it) ends at
    once instead of after its delay, without waking anything."""
    scheduler = types.SimpleNamespace(_open_jobs=threading.Semaphore(0))
    JobScheduler._schedule_reevalutation(scheduler, 60)
    (timer,) = _pending("snakemake.scheduling.job_scheduler")
    try:
        assert cancel_scheduler_timers() == 1
        timer.join(timeout=5)
        assert not timer.is_alive()
        assert not scheduler._open_jobs.acquire(blocking=False)
    finally:
        timer.cancel()  # a failed assertion must not keep pytest waiting a minute


def test_other_timers_are_left_alone():
    fired = threading.Event()
    timer = threading.Timer(0.2, fired.set)
    timer.start()
    try:
        assert cancel_scheduler_timers() == 0
        assert fired.wait(timeout=5)
    finally:
        timer.cancel()
