"""Marker selection (SPEC stage 5): the configured list, or the candidates that stay
independent predictors in the covariate-adjusted logistic models."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from mirflow.errors import InputError

# A candidate is an independent predictor when its term's p is below this (SPEC stage 5).
MARKER_P = 0.05
MARKER_COLUMNS = ["mirna", "selected_by", "odds_ratio", "ci_low", "ci_high", "p_value", "method"]


def configured_markers(
    markers: str | Sequence[str], available: pd.Index, filtered_out: pd.DataFrame | None = None
) -> list[str]:
    """The config's ``markers`` list, checked against the data ([] for ``auto``): a marker
    the count filter dropped (``filtered_out``: results/counts/filtered_out.tsv) is named with
    the filter's numbers; one the counts do not have at all gets the closest names."""
    if markers == "auto":
        return []
    unknown = [m for m in markers if m not in available]
    if not unknown:
        return list(markers)
    dropped = filtered_out.set_index("mirna") if filtered_out is not None else pd.DataFrame()
    hints = []
    for marker in unknown:
        if marker in dropped.index:
            row = dropped.loc[marker]
            hints.append(
                f"{marker} was dropped by the count filter ({row['samples_at_min_count']} sample(s) with >= "
                f"filter.min_count counts, {row['samples_required']} required)"
            )
        else:
            close = difflib.get_close_matches(marker, available, n=2)
            hints.append(
                f"{marker} is not in the count table"
                + (f" (did you mean {', '.join(close)}?)" if close else "")
            )
    raise InputError(
        "the config",
        f"markers not in the filtered data: {'; '.join(hints)}",
        "remove these markers, lower filter.min_count or filter.min_fraction for a filtered one, or use "
        "markers: auto",
        where="markers",
    )


def select_markers(table: pd.DataFrame, candidates: Sequence[str], listed: Sequence[str]) -> pd.DataFrame:
    """The markers: the configured list, else candidates whose covariate-adjusted
    logistic term has p < :data:`MARKER_P`. ``table`` is the logistic table."""
    if listed:
        chosen = table.set_index("mirna").loc[list(listed)].reset_index()
        chosen["selected_by"] = "config"
    else:
        chosen = table[table["mirna"].isin(candidates) & (table["p_value"] < MARKER_P)].copy()
        chosen["selected_by"] = f"auto: candidate with covariate-adjusted logistic p < {MARKER_P:g}"
    return chosen[MARKER_COLUMNS]
