"""The warm worker: a delegated step runs in a forked child with the job's working
directory, environment, standard streams and exit code; without a worker (none started,
another machine's socket, switched off) the job runs the step itself; a child whose job
process is gone ends; the worker ends when the process that started it is gone.

(That the workflow's tables and figures are the same with and without the worker is
checked on the demo in test_workflow.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT

from mirflow.steps import worker
from mirflow.steps.runner import run

LIBRARY = ROOT / "workflow" / "scripts"
STEPS = textwrap.dedent(
    '''
    """Steps for test_worker.py."""
    import os
    import time
    from pathlib import Path

    from mirflow.errors import InputError


    def write(out, text):
        Path(out).write_text(f"{text} {os.getpid()} {os.getcwd()} {os.environ.get('MARK')}")
        mask = os.umask(0)
        os.umask(mask)
        Path(out + ".umask").write_text(oct(mask))


    def bad_input():
        raise InputError("sheet.tsv", "no column 'group'", "add it", where="row 1")


    def note(pid_file, text):
        """Write the file whole before it appears: the test polls for it (no torn read)."""
        Path(pid_file + ".part").write_text(text)
        os.replace(pid_file + ".part", pid_file)


    def pool(pid_file):
        """Start joblib's loky workers (as pydeseq2 does for large tables); note their pids."""
        from joblib import Parallel, delayed

        pids = Parallel(n_jobs=2, backend="loky")(delayed(os.getpid)() for _ in range(4))
        Path(pid_file).write_text(" ".join(map(str, set(pids))))


    def fork_and_sleep(pid_file):
        """A step whose own helper process lives on (as a pool's worker might)."""
        helper = os.fork()
        if helper == 0:
            time.sleep(60)
            os._exit(0)
        note(pid_file, f"{os.getpid()} {helper}")
        time.sleep(60)


    def sleep(pid_file):
        note(pid_file, str(os.getpid()))
        time.sleep(60)
    '''
)


def _wait_for(condition, seconds: float = 20) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A worker started as Snakemake starts it, serving a fresh working directory that
    holds a module of test steps (on the jobs' sys.path)."""
    directory = tmp_path_factory.mktemp("worker")
    (directory / "worker_steps.py").write_text(STEPS)
    before = Path.cwd()
    os.chdir(directory)
    sys.path.insert(0, str(directory))
    try:
        worker.start(LIBRARY)
        address = Path(os.environ[worker.ADDRESS])
        assert _wait_for(address.exists), (directory / worker.DIRECTORY / "worker.log").read_text()
        yield directory
    finally:
        worker.stop()
        sys.path.remove(str(directory))
        os.chdir(before)


def test_a_delegated_step_runs_in_a_forked_child_with_the_jobs_setting(served, monkeypatch):
    monkeypatch.setenv("MARK", "from-the-job")
    out, log = served / "out.txt", served / "step.log"
    assert worker.delegate("worker_steps:write", str(log), {"out": str(out), "text": "hi"}) == 0
    text, pid, cwd, mark = out.read_text().split()
    assert text == "hi" and int(pid) not in {os.getpid(), worker._server.pid}
    assert cwd == str(served) and mark == "from-the-job"
    assert (served / "out.txt.umask").read_text() == oct(worker._umask())
    assert "(since the worker forked it)" in log.read_text().splitlines()[-1]


def test_an_input_error_is_one_line_on_the_jobs_stderr_and_exit_1(served, capfd):
    log = served / "bad.log"
    with pytest.raises(SystemExit) as stop:
        run("worker_steps:bad_input", str(log))
    assert stop.value.code == 1
    err = capfd.readouterr().err
    assert "sheet.tsv (row 1): no column 'group'. Fix: add it" in err and "Traceback" not in err


def test_without_a_worker_the_job_runs_the_step_itself(served, monkeypatch, tmp_path):
    out = served / "off.txt"
    monkeypatch.setenv(worker.SWITCH, "off")
    assert worker.delegate("worker_steps:write", None, {"out": str(out), "text": "x"}) is None
    run("worker_steps:write", None, out=str(out), text="local")
    assert out.read_text().split()[:2] == ["local", str(os.getpid())]
    monkeypatch.delenv(worker.SWITCH)
    monkeypatch.delenv(worker.ADDRESS)  # no worker serves this job
    assert worker.delegate("worker_steps:write", None, {"out": str(out), "text": "x"}) is None


def test_a_worker_that_cannot_start_leaves_the_jobs_to_run_on_their_own(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".snakemake").write_text("a file where the folder should be")
    monkeypatch.setattr(worker, "_server", None)
    worker.start(LIBRARY)
    assert worker._server is None
    assert "the warm worker did not start" in capsys.readouterr().err
    assert worker.delegate("worker_steps:write", None, {"out": "x", "text": "x"}) is None


@pytest.mark.parametrize("line", [0, 1], ids=["another machine", "another Python"])
def test_a_worker_of_another_machine_or_python_is_not_used(served, line):
    """A socket on a shared file system seen from another node, or a job of a conda or
    container environment (its own Python): the job runs the step itself."""
    identity = worker._identity(Path(os.environ[worker.ADDRESS]))
    mine = identity.read_text()
    lines = mine.splitlines()
    lines[line] = "elsewhere"
    identity.write_text("\n".join(lines) + "\n")
    try:
        assert worker.delegate("worker_steps:write", None, {"out": "x", "text": "x"}) is None
    finally:
        identity.write_text(mine)


def test_a_request_that_cannot_be_pickled_runs_in_the_job(served, tmp_path):
    out = tmp_path / "lambda.txt"
    assert worker.delegate("worker_steps:write", None, {"out": str(out), "text": lambda: 1}) is None


def test_processes_a_step_starts_end_with_it(served):
    pid_file = served / "pool.pids"
    assert worker.delegate("worker_steps:pool", None, {"pid_file": str(pid_file)}) == 0
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert pids and all(pid != os.getpid() for pid in pids)
    assert _wait_for(lambda: not any(_alive(pid) for pid in pids), seconds=15)


def _job_process(served: Path, step: str, pid_file: Path, **options) -> subprocess.Popen:
    """A rule job's process (as Snakemake starts one) running ``worker_steps:<step>``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from mirflow.steps.runner import run; "
            f"run('worker_steps:{step}', None, pid_file={str(pid_file)!r})",
        ],
        cwd=served,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(LIBRARY), str(served)])},
        **options,
    )


def test_the_child_ends_when_its_job_process_is_killed(served):
    pid_file = served / "sleeping.pid"
    job = _job_process(served, "sleep", pid_file)
    assert _wait_for(pid_file.exists)
    child = int(pid_file.read_text())
    assert child != job.pid
    job.send_signal(signal.SIGKILL)
    job.wait()
    assert _wait_for(lambda: not _alive(child), seconds=10)


def test_a_child_that_dies_ends_its_job_even_when_a_helper_of_it_lives_on(served):
    """The job's process learns that the child died (exit 1, one line), even though the
    step's own helper process is still alive: helpers do not hold the connection."""
    pid_file = served / "helper.pids"
    job = _job_process(served, "fork_and_sleep", pid_file, stderr=subprocess.PIPE, text=True)
    assert _wait_for(pid_file.exists)
    child, helper = map(int, pid_file.read_text().split())
    try:
        os.kill(child, signal.SIGKILL)
        assert job.wait(timeout=10) == 1
    finally:
        os.kill(helper, signal.SIGKILL)  # it holds the job's stderr too
    assert "ended without a result" in job.stderr.read()


def test_a_helper_process_ends_with_the_process_that_started_it(tmp_path):
    """What DESeq2's fit processes do (mirflow.steps.job.end_with_parent): a killed job
    leaves none behind."""
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, time; from mirflow.steps.job import end_with_parent\n"
            "helper = os.fork()\n"
            "if helper == 0:\n    end_with_parent()\n    time.sleep(60)\n    os._exit(0)\n"
            "print(helper, flush=True)\ntime.sleep(60)",
        ],
        env={**os.environ, "PYTHONPATH": str(LIBRARY)},
        stdout=subprocess.PIPE,
        text=True,
    )
    helper = int(starter.stdout.readline())
    starter.kill()
    starter.wait()
    assert _wait_for(lambda: not _alive(helper), seconds=10)


def test_the_worker_ends_when_the_process_that_started_it_is_gone(tmp_path):
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
            "from mirflow.steps import worker; worker.start(Path(sys.argv[1])); "
            "print(worker._server.pid, flush=True); time.sleep(60)",
            str(LIBRARY),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    server = int(starter.stdout.readline())
    address = tmp_path / worker.DIRECTORY / f"{starter.pid}.socket"
    assert _wait_for(address.exists)
    starter.kill()
    starter.wait()
    assert _wait_for(lambda: not address.exists(), seconds=10)
    assert _wait_for(lambda: not _alive(server), seconds=10)


def test_a_delegated_jobs_files_get_the_jobs_umask(served):
    out = served / "umask.txt"
    mask = os.umask(0o027)
    try:
        assert worker.delegate("worker_steps:write", None, {"out": str(out), "text": "x"}) == 0
    finally:
        os.umask(mask)
    assert (served / "umask.txt.umask").read_text() == oct(0o027)
    assert out.stat().st_mode & 0o777 == 0o640


def test_a_stop_while_libraries_are_still_importing_ends_the_worker(tmp_path):
    """SIGTERM during the preload (a run that failed at once) stops the worker promptly,
    even when the module being imported catches every exception (as matplotlib does)."""
    (tmp_path / "catches_all.py").write_text(
        "import time\nfrom pathlib import Path\nPath('importing').touch()\nfor _ in range(20):\n"
        "    try:\n        time.sleep(0.05)\n    except Exception:\n        pass\n"
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from mirflow.steps import worker; "
            "worker.serve(int(sys.argv[1]), Path('w.socket'), ['catches_all'])",
            str(os.getpid()),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(LIBRARY), str(tmp_path)])},
    )
    assert _wait_for((tmp_path / "importing").exists)
    started = time.monotonic()
    server.terminate()
    assert server.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
    assert not (tmp_path / "w.socket").exists()


def _alive(pid: int) -> bool:
    """``pid`` runs (a zombie, ended but not yet waited for, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_the_preload_covers_every_library_the_steps_import():
    """A third-party package a library module imports and the worker does not preload
    would be imported again by every job that needs it (slow, not wrong): keep PRELOAD
    complete, and every name in it importable."""
    import ast
    import importlib

    imported = set()
    for path in (LIBRARY / "mirflow").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"mirflow", "__future__"}
    assert third_party <= {name.split(".")[0] for name in worker.PRELOAD}
    for name in worker.PRELOAD:
        importlib.import_module(name)
