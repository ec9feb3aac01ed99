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


def configured_markers(markers: str | Sequence[str], available: pd.Index) -> list[str]:
    """The config's ``markers`` list, checked against the data ([] for ``auto``)."""
    if markers == "auto":
        return []
    unknown = [m for m in markers if m not in available]
    if unknown:
        hints = [
            f"{m} (did you mean {', '.join(difflib.get_close_matches(m, available, n=2)) or '-'}?)"
            for m in unknown
        ]
        raise InputError(
            "config",
            f"markers not in the filtered data: {'; '.join(hints)}",
            "use miRBase v22 names of miRNAs in results/counts/normalised.tsv, or markers: auto",
            where="markers",
        )
    return list(markers)


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
