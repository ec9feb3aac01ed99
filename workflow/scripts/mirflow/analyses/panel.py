"""The multi-marker panel (SPEC stage 6): its design and its one-row summary table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from mirflow.groups import CASE
from mirflow.settings import PanelSettings
from mirflow.stats.panel import PanelResult

PANEL_COLUMNS = [
    "markers",
    "auc_cv",
    "auc_cv_sd",
    "n_repeats",
    "n_folds",
    "auc_apparent",
    "covariates",
    "model",
]


def panel_design(
    values: pd.DataFrame,
    covariates: pd.DataFrame,
    labels: pd.Series,
    markers: Sequence[str],
    include_covariates: bool,
) -> tuple[pd.DataFrame, pd.Series]:
    """The panel's predictors (markers, plus the covariates as 0/1-coded columns when
    asked; samples missing one are left out) and outcome (1 = case)."""
    x = values.loc[list(markers), labels.index].T
    if include_covariates:
        dummies = pd.get_dummies(covariates.loc[labels.index], drop_first=True, dtype=float)
        x = pd.concat([x, dummies], axis=1).dropna()
    return x, (labels[x.index] == CASE).astype(int)


def panel_row(
    markers: Sequence[str], covariates: Sequence[str], settings: PanelSettings, result: PanelResult | None
) -> pd.DataFrame:
    """The panel table's one row (NA estimates when no panel was fitted)."""
    row: dict[str, Any] = {
        "markers": ";".join(markers),
        "n_repeats": settings.n_repeats,
        "n_folds": settings.n_folds,
        "covariates": ";".join(covariates) if settings.include_covariates else "",
        "model": "Firth logistic",
    }
    if result is not None:
        row |= {
            "auc_cv": float(result.auc_per_repeat.mean()),
            "auc_cv_sd": float(result.auc_per_repeat.std(ddof=1)),
            "n_folds": result.n_folds,
            "auc_apparent": result.auc_apparent,
        }
    return pd.DataFrame([row], columns=PANEL_COLUMNS)
