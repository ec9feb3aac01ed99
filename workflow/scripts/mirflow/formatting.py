"""Numbers, estimates with their CIs and lists of names as the run's texts show them (the
overview, the checklist, figure legends, messages): one home for every such format.

The styles differ on purpose by where they appear (a legend reads 'AUC 0.83 (0.71 to
0.95)', the overview '0.950 (0.88-1.00)', the checklist '0.950 (95% CI 0.881 to 1.000)'),
but each is built here from :func:`number` and :func:`estimate`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

NA = "NA"
# Significant digits of a number shown in plain notation (:func:`plain`).
SIGNIFICANT = 4
# Numbers (other than 0) smaller in magnitude than this are shown in scientific notation
# (p-values: 2.1e-05); so are those at least as large as SCIENTIFIC_FROM.
SCIENTIFIC_BELOW = 1e-4
SCIENTIFIC_FROM = 1e15


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


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def is_number(value: object) -> bool:
    """A number to format (not a boolean, not missing)."""
    return isinstance(value, Real) and not isinstance(value, bool | np.bool_) and not is_missing(value)


def _strip_zeros(text: str) -> str:
    """'0.9500' -> '0.95', '12.000' -> '12' (a mantissa or a plain number)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(value: object) -> str:
    """A value as a reader wants to see it: ``NA`` for None/NaN, ``yes``/``no`` for booleans,
    integers (and integral floats) without ``.0``, other numbers in plain notation with
    :data:`SIGNIFICANT` significant digits (no digit left of the point is rounded away:
    14850.123456 -> '14850'), magnitudes below :data:`SCIENTIFIC_BELOW` (p-values) or from
    :data:`SCIENTIFIC_FROM` in scientific notation ('3.2e-07'); anything else as ``str``."""
    if is_missing(value):
        return NA
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return str(int(value))
    if not isinstance(value, Real):
        return str(value)
    number = float(value)
    if math.isinf(number):
        return "Inf" if number > 0 else "-Inf"
    size = abs(number)
    if number == 0:
        return "0"
    if size < SCIENTIFIC_BELOW or size >= SCIENTIFIC_FROM:
        mantissa, exponent = f"{number:.{SIGNIFICANT - 1}e}".split("e")
        return f"{_strip_zeros(mantissa)}e{exponent}"
    if number.is_integer():
        return str(int(number))
    decimals = max(0, SIGNIFICANT - 1 - math.floor(math.log10(size)))
    text = _strip_zeros(f"{number:.{decimals}f}")
    return "0" if text == "-0" else text
