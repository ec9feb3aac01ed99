"""Run a workflow step from a rule script: logging to the rule's log, clean errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from mirflow.errors import InputError


def run(step: Callable[..., None], log_path: str | None, **kwargs: Any) -> None:
    """Call ``step(**kwargs)`` with logging to ``log_path`` and stderr.

    An :class:`InputError` is printed as one line (no traceback) and ends the job
    with exit code 1; Snakemake then removes the job's outputs, so nothing partial
    remains.
    """
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w"))
    logging.basicConfig(
        level=logging.INFO,
        handlers=handlers,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        step(**kwargs)
    except InputError as error:
        logging.getLogger("mirflow").error("input error: %s", error)
        sys.exit(1)
    except Exception:
        logging.getLogger("mirflow").exception("unexpected error (please report it with this log)")
        raise
