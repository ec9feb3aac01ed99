"""The warm worker: one process that imports the heavy libraries once and forks a child
for each rule job, so that a job does not spend 0.2-1.7 s importing them again.

A rule job still starts as Snakemake starts it (its rule script, its params, its inputs,
its log); :func:`mirflow.steps.runner.run` hands the step to the worker when one serves
this working directory on this machine, and runs it in its own process otherwise (no
worker, another node of a cluster, ``MIRFLOW_WORKER=off``). The forked child runs the
same code on the same inputs with the job's thread count, so the tables are the same
either way (tested). Only third-party libraries are preloaded: the analysis modules are
imported fresh in each child (this module, ``steps.job`` and ``errors`` load once per run).

Snakemake starts the worker when a local run starts (``onstart``) and stops it when the
run ends; the worker also ends by itself when the Snakemake process that started it is
gone. Its socket, one per run, is in a directory only the user can enter
(``.snakemake/mirflow-worker``), and named in the environment the jobs inherit.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mirflow.steps.job import execute

# Relative to the working directory (short: a socket path holds at most 107 bytes).
DIRECTORY = Path(".snakemake") / "mirflow-worker"
SWITCH = "MIRFLOW_WORKER"
# The running worker's socket, in the environment Snakemake's jobs inherit: one per run,
# so two runs in one folder (--nolock) each keep their own.
ADDRESS = "MIRFLOW_WORKER_SOCKET"
# Third-party modules the steps import, roughly in the order the jobs of a run need them
# (the worker serves jobs between two imports, so early jobs need not wait for the rest).
PRELOAD = (
    "numpy",
    "pandas",
    "python_calamine",
    "scipy.stats",
    "scipy.optimize",
    "scipy.special",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.ticker",
    "matplotlib.text",
    "sklearn.decomposition",
    "sklearn.metrics",
    "sklearn.model_selection",
    "sklearn.exceptions",
    "statsmodels.stats.multitest",
    "statsmodels.tools.sm_exceptions",
    "statsmodels.tools.tools",
    "statsmodels.discrete.discrete_model",
    "statsmodels.genmod.generalized_linear_model",
    "statsmodels.genmod.families",
    "statsmodels.nonparametric.smoothers_lowess",
    "statsmodels.duration.survfunc",
    "statsmodels.duration.hazard_regression",
    "pydeseq2.preprocessing",
    "pydeseq2.dds",
    "pydeseq2.ds",
    "formulaic",
    "firthmodels",
    "seaborn",
    "yaml",
    "jsonschema",
    "psutil",
    "threadpoolctl",
    "openpyxl",  # only to name a formula cell in an error message
)
_HEADER = struct.Struct("!Q")
# How long Snakemake waits for the worker to stop before killing it.
STOP_SECONDS = 10
# How a forked job's log line names the start of its time ("done in ... s (since ...)").
FORKED = "the worker forked it"
# The worker this (Snakemake) process started.
_server: subprocess.Popen[bytes] | None = None


def enabled() -> bool:
    """False when ``MIRFLOW_WORKER`` is ``off`` (or ``0``, ``no``, ``false``)."""
    return os.environ.get(SWITCH, "on").strip().lower() not in {"off", "0", "no", "false"}


# --- Snakemake's side: start and stop -------------------------------------------------


def start(library: Path) -> None:
    """Start a worker for this run (Snakemake's ``onstart`` of a local run whose jobs use
    this Python: no conda, container or module deployment) and name its socket in this
    process's environment, which the jobs inherit.

    ``library`` is the directory holding the ``mirflow`` package. Nothing is started when
    the worker is switched off. A worker that cannot start is no error: the jobs then run
    in their own processes, as without it.
    """
    global _server
    if not enabled() or _server is not None:
        return
    address = DIRECTORY / f"{os.getpid()}.socket"
    try:
        DIRECTORY.mkdir(parents=True, exist_ok=True)
        DIRECTORY.chmod(0o700)
        with contextlib.suppress(FileNotFoundError):
            address.unlink()
        _identity(address).write_text(_this_interpreter())
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(library), *filter(None, [environment.get("PYTHONPATH")])]
        )
        environment["MPLBACKEND"] = "Agg"
        with open(DIRECTORY / "worker.log", "wb") as output:
            _server = subprocess.Popen(
                [sys.executable, "-m", "mirflow.steps.worker", str(os.getpid()), str(address)],
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    except OSError as error:
        print(
            f"mirflow: the warm worker did not start ({error}); each job runs in its own process",
            file=sys.stderr,
        )
        return
    os.environ[ADDRESS] = str(address)


def stop() -> None:
    """Stop the worker this process started and wait for it (its CPU time then counts in
    this process's children, as the jobs' did)."""
    global _server
    if _server is None:
        return
    with contextlib.suppress(ProcessLookupError):
        _server.terminate()
    try:
        _server.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        _server.kill()
        _server.wait()
    _server = None
    address = Path(os.environ.pop(ADDRESS))
    for path in (address, _identity(address)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _identity(address: Path) -> Path:
    """The file beside a socket naming the machine and Python that serve it."""
    return address.with_suffix(".host")


def _this_interpreter() -> str:
    """This machine and this Python: a job delegates only to a worker that has both (a
    socket on a shared file system cannot be reached from another node, and a job of a
    conda or container environment must run with its own Python)."""
    return f"{socket.gethostname()}\n{os.path.realpath(sys.executable)}\n"


# --- the worker -------------------------------------------------------------------------


class _Stopping:
    """Whether SIGTERM asked the worker to stop. A flag, not an exception: an exception
    raised while a library is being imported can be swallowed by its ``except Exception``
    (matplotlib's projections did, and the worker kept serving)."""

    asked = False

    @classmethod
    def ask(cls, signum: int, frame: Any) -> None:
        cls.asked = True


def serve(parent: int, address: Path, preload: Sequence[str] = PRELOAD) -> None:
    """Listen on ``address``, importing ``preload`` one module at a time between
    requests; fork a child per request. Ends on SIGTERM or when ``parent`` is gone, after
    its children have ended (they are waited for, so their CPU time is accounted)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mask = os.umask(0o077)  # the socket: only this user may connect
    listener.bind(str(address))
    os.umask(mask)
    listener.listen(64)
    # a signal wakes the wait below at once (a byte on this pipe), so a stop is immediate
    wake, woken = os.pipe()
    os.set_blocking(woken, False)
    signal.set_wakeup_fd(woken)
    signal.signal(signal.SIGTERM, _Stopping.ask)
    pending = list(preload)
    children: set[int] = set()
    try:
        while os.getppid() == parent and not _Stopping.asked:
            ready, _, _ = select.select([listener, wake], [], [], 0 if pending else 0.5)
            if listener in ready:
                connection, _ = listener.accept()
                child = os.fork()
                if child == 0:
                    listener.close()
                    signal.set_wakeup_fd(-1)
                    os.close(wake)
                    os.close(woken)
                    _child(connection)
                connection.close()
                children.add(child)
            elif wake in ready:
                os.read(wake, 512)
            elif pending:
                with contextlib.suppress(ImportError):
                    importlib.import_module(pending.pop(0))
            children -= _reaped(children, block=False)
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            address.unlink()
        _reaped(children, block=True)


def _reaped(children: set[int], block: bool) -> set[int]:
    """The children that have ended (waiting for all of them if ``block``)."""
    ended = set()
    for child in children:
        with contextlib.suppress(ChildProcessError):
            pid, _ = os.waitpid(child, 0 if block else os.WNOHANG)
            if pid:
                ended.add(child)
    return ended


def _send(connection: socket.socket, message: Any, fds: Sequence[int] = ()) -> None:
    _send_pickled(connection, pickle.dumps(message), fds)


def _send_pickled(connection: socket.socket, payload: bytes, fds: Sequence[int] = ()) -> None:
    header = _HEADER.pack(len(payload))
    if fds:
        socket.send_fds(connection, [header], list(fds))
    else:
        connection.sendall(header)
    connection.sendall(payload)


def _receive(connection: socket.socket, fds: int = 0) -> tuple[Any, list[int]]:
    received: list[int] = []
    if fds:
        header, received, _, _ = socket.recv_fds(connection, _HEADER.size, fds)
    else:
        header = _exactly(connection, _HEADER.size)
    if len(header) < _HEADER.size:
        header += _exactly(connection, _HEADER.size - len(header))
    (length,) = _HEADER.unpack(header)
    return pickle.loads(_exactly(connection, length)), received


def _exactly(connection: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise EOFError("the other side closed the connection")
        data += chunk
    return bytes(data)


def _child(connection: socket.socket) -> None:
    """Run one job in the forked child, with the job's standard streams, working directory,
    umask, environment and ``sys.path``, and exit with its exit code (never returns).
    Processes the job starts do not inherit the connection: only this child's end closes
    it. An error outside the step (which :func:`execute` reports) is printed here."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.register_at_fork(after_in_child=connection.close)
        request, fds = _receive(connection, fds=3)
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, standard in zip(fds, (0, 1, 2), strict=True):
            os.dup2(fd, standard)
            os.close(fd)
        os.chdir(request["cwd"])
        os.umask(request["umask"])
        os.environ.clear()
        os.environ.update(request["environment"])
        sys.path[:] = request["path"]
        _send(connection, os.getpid())
        threading.Thread(target=_exit_when_closed, args=(connection,), daemon=True).start()
        code = _job(request)
        _finish()
        _send(connection, code)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _finish() -> None:
    """End the job as a process ends, short of tearing down the preloaded modules (0.3 s):
    the exit hooks of ``threading`` (joblib's loky stops its worker processes there) and
    of ``atexit`` run; without them a DESeq2 fit's workers would outlive the job."""
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()


def _exit_when_closed(connection: socket.socket) -> None:
    """End the child when its job's process is gone (the client sends nothing more, so
    the connection only becomes readable when it closes)."""
    select.select([connection], [], [])
    os._exit(1)


def _job(request: dict[str, Any]) -> int:
    """The job's exit code: :func:`mirflow.steps.job.execute` with the job's thread
    count for the numerical libraries (Snakemake sets it in the job's environment)."""
    from threadpoolctl import threadpool_limits

    threads = request["environment"].get("OMP_NUM_THREADS")
    with threadpool_limits(int(threads) if threads and threads.isdigit() else None):
        try:
            execute(request["step"], request["log"], request["kwargs"], FORKED)
        except SystemExit as end:
            return 0 if end.code is None else end.code if isinstance(end.code, int) else 1
    return 0


# --- the job's side ---------------------------------------------------------------------


def delegate(step: str, log: str | None, kwargs: dict[str, Any]) -> int | None:
    """Run ``step`` in the worker; its exit code, or None when no worker of this machine
    and this Python serves the run, or the request cannot be sent (the caller then runs
    the step itself)."""
    address = _address()
    if address is None:
        return None
    request = {
        "step": step,
        "log": log,
        "kwargs": kwargs,
        "cwd": os.getcwd(),
        "umask": _umask(),
        "environment": dict(os.environ),
        "path": list(sys.path),
    }
    try:
        payload = pickle.dumps(request)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(address))
        _send_pickled(connection, payload, fds=(0, 1, 2))
        child, _ = _receive(connection)
    except (OSError, EOFError):
        connection.close()
        return None
    previous = {
        signum: signal.signal(signum, lambda signum, frame: os.kill(child, signum))
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        _wait_for_reply(connection, child)
        code, _ = _receive(connection)
    except (OSError, EOFError):
        print(
            f"the worker's process for {step} (pid {child}) ended without a result "
            "(killed, or out of memory?); the rule's log may say more",
            file=sys.stderr,
        )
        return 1
    finally:
        connection.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return code


def _umask() -> int:
    """This process's umask (reading it means setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _wait_for_reply(connection: socket.socket, child: int) -> None:
    """Return when the child has replied or ended (raising EOFError if it ended without a
    reply); Linux tells its end through a pidfd even if another process holds the socket."""
    try:
        ended = os.pidfd_open(child)
    except (AttributeError, OSError):
        return
    try:
        ready, _, _ = select.select([connection, ended], [], [])
        if connection not in ready:
            ready, _, _ = select.select([connection], [], [], 0)
            if not ready:
                raise EOFError(f"process {child} ended")
    finally:
        os.close(ended)


def _address() -> Path | None:
    """The socket of the worker serving this run, when it is switched on, runs on this
    machine and uses this Python."""
    address = os.environ.get(ADDRESS)
    if not enabled() or not address:
        return None
    try:
        if _identity(Path(address)).read_text() != _this_interpreter():
            return None
    except OSError:
        return None
    return Path(address)


if __name__ == "__main__":
    serve(int(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.flush()
    os._exit(0)  # skip tearing down the preloaded libraries (0.4 s): nothing is left to do
