"""Run one rule's step in the rule's own process: the log set up, clean errors, and the
resources the step used.

Every rule script is an adapter: ``run(step, snakemake.log[0], **arguments)``. An
:class:`~mirflow.errors.InputError` is one line on the terminal (the message names the
file, the place and the fix); any other exception is a bug: one plain line on the
terminal, the traceback in the rule's log. A step that succeeds logs its wall time, CPU
time and peak memory (``tools/benchmark.py`` reads that line).

Plumbing: this module changes no number (:data:`mirflow.fingerprint.PLUMBING`), so editing
it re-runs nothing.
"""

from __future__ import annotations

import errno
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


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB: Linux's ``VmHWM`` (``ru_maxrss`` would
    count the Snakemake process the job was forked from), else ``ru_maxrss``."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def seconds_since_start() -> float:
    """Wall time since this process started. Linux: ``/proc/uptime`` minus the process's
    start tick in ``/proc/self/stat``, both counted from boot to 1/100 s (psutil's
    ``create_time`` adds the boot time, which Linux gives in whole seconds, so its wall
    times were up to a second too long); elsewhere psutil's ``create_time``."""
    stat, uptime = Path("/proc/self/stat"), Path("/proc/uptime")
    if stat.exists() and uptime.exists():
        # field 22 (starttime); the name (field 2) may hold spaces, so count after its ")"
        start_ticks = int(stat.read_text().rsplit(")", 1)[1].split()[19])
        return float(uptime.read_text().split()[0]) - start_ticks / os.sysconf("SC_CLK_TCK")
    import psutil  # a Snakemake dependency; only needed once the step is done

    return time.time() - psutil.Process().create_time()


def resources_used() -> str:
    """Wall time since the process started (imports included), CPU time (all threads and
    the processes it waited for) and peak memory, as one log line."""
    wall = seconds_since_start()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() + children.ru_utime + children.ru_stime
    return (
        f"done in {wall:.1f} s (since process start), CPU {cpu:.1f} s, peak memory {peak_memory_mb():.0f} MB"
    )


class _NoTraceback(logging.Formatter):
    """The terminal's formatter: the message without any traceback attached to it."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def _plain(value: Any) -> Any:
    """``value`` with Snakemake's path strings and named lists as built-in str/list/dict."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def workflow_root(snakemake: Any) -> Path:
    """The workflow's folder (where ``workflow/`` and ``resources/`` are), from the folder
    of the rule script Snakemake runs (``workflow/scripts``), wherever the study is."""
    return Path(os.path.normpath(snakemake.scriptdir)).parents[1]


def bundled(snakemake: Any, name: str) -> str:
    """The path of a file the workflow bundles (a miRBase table, a schema), which its rule
    names in ``params.bundled`` by its place in the workflow and its SHA-256: tracked by
    content, not by where the workflow sits (``rules/common.smk``, ``bundled``)."""
    return str(workflow_root(snakemake) / snakemake.params.bundled[name]["path"])


# What the machine, not the input or the workflow, is to blame for: what happened, and the fix.
ENVIRONMENT = {
    errno.ENOSPC: ("the disk is full", "free space on that disk, then run the same command again"),
    errno.EDQUOT: (
        "the disk quota is exceeded",
        "free space within your quota, then run the same command again",
    ),
    errno.EROFS: ("the file system is read-only", "run the workflow in a folder you can write to"),
    errno.EACCES: ("permission denied", "give yourself write permission there (or run in another folder)"),
    errno.EPERM: (
        "operation not permitted",
        "give yourself write permission there (or run in another folder)",
    ),
    errno.ENOMEM: ("out of memory", "run with fewer --cores, or on a machine with more memory"),
}


class Stopped(Exception):
    """The job was asked to stop (SIGTERM: Snakemake ending the run, or a cluster's limit)."""


def _stop(signum: int, frame: Any) -> None:
    raise Stopped(signal.Signals(signum).name)


def _os_errors(error: BaseException) -> list[OSError]:
    """The OS errors in an exception's chain: a library that fails while it handles a full
    disk (matplotlib's PDF writer does) raises its own error with the OSError as context."""
    found, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError):
            found.append(error)
        error = error.__cause__ or error.__context__
    return found


def environment_problem(error: OSError) -> str | None:
    """One line on a failure of the machine (a full disk, a read-only or forbidden folder,
    no memory), naming the file; None for other errors."""
    if error.errno not in ENVIRONMENT:
        return None
    what, fix = ENVIRONMENT[error.errno]
    where = f" ({error.filename})" if error.filename else ""
    return f"{what}{where}: this is a problem of the machine, not of your input or the workflow. Fix: {fix}"


def _given_paths(value: Any) -> set[str]:
    """The texts among a step's arguments (paths, and anything else written as text)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_given_paths, value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*map(_given_paths, value)) if value else set()
    return set()


def _vanished(errors: list[OSError], given: set[str], log_path: str | None) -> str | None:
    """One line on a file the rule handed to the step that was not there when the step read
    it: Snakemake starts a job only when its inputs exist, so another run in the folder (one
    started with --nolock) removed or re-made it; None for other errors."""
    missing = next(
        (e for e in errors if isinstance(e, FileNotFoundError) and str(e.filename) in given),
        None,
    )
    if missing is None:
        return None
    where = f"; the traceback is in {log_path}" if log_path else ""
    return (
        f"{missing.filename} disappeared while this job needed it: another snakemake run in this folder "
        "(one started with --nolock) removed or re-made it. Fix: run one snakemake at a time in a study "
        "folder, then run the same command again (if no other run was going on, this is a bug: please "
        f"report it with the log{where})"
    )


def run(step: Callable[..., None], log_path: str | None, **arguments: Any) -> None:
    """Call ``step(**arguments)`` with logging to ``log_path`` and the terminal; end the
    process with exit code 1 when it fails (Snakemake then removes the job's outputs).
    Input errors, machine failures (:data:`ENVIRONMENT`) and a stop request (Ctrl-C,
    SIGTERM) are one line each; anything else is a bug, with the traceback in the log."""
    signal.signal(signal.SIGTERM, _stop)
    # A logging handler that cannot write (a full disk) must not print a traceback per
    # message: the step's own writes to the same disk fail and say so.
    logging.raiseExceptions = False
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(_NoTraceback(FORMAT))
    handlers: list[logging.Handler] = [terminal]
    if log_path:
        log_file = logging.FileHandler(log_path, mode="w")
        log_file.setFormatter(logging.Formatter(FORMAT))
        handlers.append(log_file)
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True)
    log = logging.getLogger("mirflow")
    plain: dict[str, Any] = {}
    try:
        plain = {name: _plain(value) for name, value in arguments.items()}
        step(**plain)
    except InputError as error:
        log.error("input error: %s", error)
        sys.exit(1)
    except (KeyboardInterrupt, Stopped) as stop:
        signal_name = str(stop) or "SIGINT"
        log.error(
            "stopped by %s (Ctrl-C, or Snakemake or the cluster ending the job): nothing of this step is "
            "kept; run the same command again to resume",
            signal_name if signal_name.startswith("SIG") else "SIGINT",
        )
        sys.exit(1)
    except Exception as error:
        problem = next(filter(None, map(environment_problem, _os_errors(error))), None)
        if problem is None:
            problem = _vanished(_os_errors(error), _given_paths(plain), log_path)
        if problem is None:
            _bug(step, error, log_path, log)
        log.error("%s", problem, exc_info=(type(error), error, error.__traceback__))
        sys.exit(1)
    log.info(resources_used())


def _bug(step: Callable[..., None], error: Exception, log_path: str | None, log: logging.Logger) -> None:
    """Report an unexpected error as a bug (one line; the traceback in the log) and exit 1."""
    where = f"the traceback is in {log_path}" if log_path else "no log file was given"
    log.error(
        "internal error in %s (%s: %s): this is a bug in the workflow, not a problem with your "
        "input; please report it with the log (%s)",
        step.__name__,
        type(error).__name__,
        error,
        where,
        exc_info=(type(error), error, error.__traceback__),
    )
    sys.exit(1)
