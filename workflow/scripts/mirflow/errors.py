"""One exception type for every problem a user can fix in their inputs."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A problem in a user's file: says which file, where, what is wrong and the fix.

    The workflow's rule scripts print only this message (no traceback), so it must be
    complete on its own.
    """

    def __init__(self, path: str | Path, problem: str, fix: str, where: str | None = None) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        self.fix = fix
        location = f"{self.path} ({where})" if where else self.path
        super().__init__(f"{location}: {problem}. Fix: {fix}")
