"""Numbers, estimates with their CIs and lists of names as the run's texts show them (the
overview, the checklist, figure legends, messages): one home for every such format.

The styles differ on purpose by where they appear (a legend reads 'AUC 0.83 (0.71 to
0.95)', the overview '0.950 (0.88-1.00)', the checklist '0.950 (95% CI 0.881 to 1.000)'),
but each is built here from :func:`number` and :func:`estimate`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd


def number(value: Any, spec: str = ".3g", missing: str = "NA") -> str:
    """``value`` formatted with ``spec``; ``missing`` when it is missing (None or NaN)."""
    return missing if value is None or pd.isna(value) else format(float(value), spec)


def estimate(
    value: Any,
    low: Any,
    high: Any,
    *,
    spec: str = ".2f",
    ci_spec: str | None = None,
    separator: str = " to ",
    prefix: str = "",
    no_ci: str = "",
) -> str:
    """'0.83 (0.71 to 0.95)': ``value`` and its interval (``prefix`` before it, the bounds
    joined by ``separator``, formatted with ``ci_spec``, else ``spec``); 'NA' when the value
    is missing, the value followed by ``no_ci`` when a bound is."""
    if value is None or pd.isna(value):
        return number(value, spec)
    text = number(value, spec)
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return text + no_ci
    bounds = ci_spec or spec
    return f"{text} ({prefix}{number(low, bounds)}{separator}{number(high, bounds)})"


def with_ci(row: Mapping[str, Any] | pd.Series, name: str, label: str) -> str:
    """'AUC 0.83 (0.71 to 0.95)' from ``name``, ``name_ci_low`` and ``name_ci_high`` in
    ``row`` (a figure's legend, the overview's validation section)."""
    value, low, high = (row.get(f"{name}{s}") for s in ("", "_ci_low", "_ci_high"))
    return f"{label} {estimate(value, low, high)}"


def shown(names: Sequence[str], limit: int = 20, separator: str = ", ") -> str:
    """The first ``limit`` names, then how many there are in all."""
    more = f"{separator}... ({len(names)} in all)" if len(names) > limit else ""
    return separator.join(names[:limit]) + more
