"""Run a workflow step from a rule script: in the warm worker when one serves the run,
else in this process (:mod:`mirflow.steps.job` either way)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from mirflow.steps.job import execute, plain
from mirflow.steps.worker import delegate


def run(step: str | Callable[..., None], log_path: str | None, **kwargs: Any) -> None:
    """Run a rule's step: in the warm worker when one serves this run (a step named
    ``"module:function"``; :mod:`mirflow.steps.worker`), else in this process; either way
    through :func:`execute`. Ends the process with the step's exit code when it fails."""
    kwargs = {name: plain(value) for name, value in kwargs.items()}
    if isinstance(step, str):
        code = delegate(step, log_path, kwargs)
        if code is not None:
            if code:
                sys.exit(code)
            return
    execute(step, log_path, kwargs)
