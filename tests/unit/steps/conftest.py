"""The overview's input tables, small, for the tests of steps that end in the overview."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest


def _qc() -> pd.DataFrame:
    return pd.DataFrame(
        {"sample": ["A", "B"], "excluded": [False, False], "reason": ["", ""], "group": ["NEC", "healthy"]}
    )


def _candidates(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"mirna": names})


def _roc(names: list[str]) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame(
        {
            "mirna": names,
            "auc": [0.9] * n,
            "auc_ci_low": [0.8] * n,
            "auc_ci_high": [1.0] * n,
            "cutoff": [10.0] * n,
            "sensitivity": [0.9] * n,
            "specificity": [0.8] * n,
        }
    )


def _panel(reason: str | None = None) -> pd.DataFrame:
    fitted = reason is None
    return pd.DataFrame(
        {
            "markers": ["miR-a"],
            "auc_cv": [0.9 if fitted else np.nan],
            "auc_cv_sd": [0.01 if fitted else np.nan],
            "auc_apparent": [0.95 if fitted else np.nan],
            "reason": [np.nan if fitted else reason],
        }
    )


@pytest.fixture
def overview_tables() -> SimpleNamespace:
    """Builders of the overview's inputs: ``qc()``, ``candidates(names)``, ``roc(names)``,
    ``panel(reason)`` (None: fitted)."""
    return SimpleNamespace(qc=_qc, candidates=_candidates, roc=_roc, panel=_panel)
