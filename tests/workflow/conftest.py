"""Every test in tests/workflow/ runs Snakemake end to end (or reads a run's results):
marked slow, so that ``pytest -m "not slow"`` runs the unit and architecture tests only."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.slow)
