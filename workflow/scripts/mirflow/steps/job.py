"""Run one step in this process: logging to the rule's log, clean errors, the resources
it used (what :mod:`mirflow.steps.runner` calls, here or in the warm worker)."""

from __future__ import annotations

import ctypes
import importlib
import logging
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mirflow.errors import InputError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# prctl(2) option: the signal a process gets when its parent ends.
PR_SET_PDEATHSIG = 1


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's ``VmHWM`` (the peak of this program's own memory): ``ru_maxrss`` would also
    count the memory of the Snakemake process the job was forked from, which Linux carries
    over the ``exec``. Elsewhere ``ru_maxrss`` (bytes on macOS, KiB on other systems).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def resources_used(start: str = "process start") -> str:
    """This process's wall time since it started (imports included; a child of the warm
    worker starts when it is forked, with the libraries imported), its CPU time (all
    threads, and the processes it started and waited for) and its peak memory (for a
    forked child, including the worker's pages it shares), as the rule logs report them
    (``tools/benchmark.py`` reads this line)."""
    import psutil  # a Snakemake dependency; only needed once the step is done

    wall = time.time() - psutil.Process().create_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() + children.ru_utime + children.ru_stime
    return f"done in {wall:.1f} s (since {start}), CPU {cpu:.1f} s, peak memory {peak_memory_mb():.0f} MB"


def end_with_parent() -> None:
    """Have the kernel end this process when the process that started it ends (Linux's
    ``PR_SET_PDEATHSIG``; elsewhere nothing): helper processes of a job that is killed
    would otherwise live on, idle, holding memory."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the parent ended before the request took effect
            os._exit(1)


class _NoTraceback(logging.Formatter):
    """The terminal's formatter: the message without any traceback attached to it."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def plain(value: Any) -> Any:
    """``value`` with Snakemake's path strings and lists as built-in ones (the same
    arguments whether the step runs here or in the worker)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def resolve_step(step: str | Callable[..., None]) -> Callable[..., None]:
    """The function a step names (``"mirflow.steps.roc:run_roc"``), imported only now."""
    if callable(step):
        return step
    module, _, name = step.partition(":")
    return getattr(importlib.import_module(module), name)


def execute(
    step: str | Callable[..., None],
    log_path: str | None,
    kwargs: dict[str, Any],
    start: str = "process start",
) -> None:
    """Call ``step(**kwargs)`` with logging to ``log_path`` and stderr.

    An :class:`InputError` is printed as one line (no traceback) and ends the job with
    exit code 1; Snakemake then removes the job's outputs, so nothing partial remains.
    Any other exception is a bug: the terminal gets one plain line saying so and where
    the traceback is (the rule's log), and the job ends with exit code 1. A step that
    succeeds logs its wall time and peak memory (:func:`resources_used`).
    """
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(_NoTraceback(FORMAT))
    handlers: list[logging.Handler] = [terminal]
    if log_path:
        log_file = logging.FileHandler(log_path, mode="w")
        log_file.setFormatter(logging.Formatter(FORMAT))
        handlers.append(log_file)
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True)
    log = logging.getLogger("mirflow")
    try:
        function = resolve_step(step)
        function(**kwargs)
    except InputError as error:
        log.error("input error: %s", error)
        sys.exit(1)
    except Exception as error:
        where = f"the traceback is in {log_path}" if log_path else "no log file was given"
        log.error(
            "internal error in %s (%s: %s): this is a bug in the workflow, not a problem with your "
            "input; please report it with the log (%s)",
            step if isinstance(step, str) else step.__name__,
            type(error).__name__,
            error,
            where,
            exc_info=True,
        )
        sys.exit(1)
    log.info(resources_used(start))
