"""How an estimate and its 95% CI read in a figure's legend and in the run's overview."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


def with_ci(row: Mapping[str, Any] | pd.Series, name: str, label: str) -> str:
    """'AUC 0.83 (0.71 to 0.95)' from ``name``, ``name_ci_low`` and ``name_ci_high`` in
    ``row``: 'AUC NA' when the estimate is missing, no interval when a bound is."""
    value, low, high = (row.get(f"{name}{s}") for s in ("", "_ci_low", "_ci_high"))
    if pd.isna(value):
        return f"{label} NA"
    if pd.isna(low) or pd.isna(high):
        return f"{label} {value:.2f}"
    return f"{label} {value:.2f} ({low:.2f} to {high:.2f})"
