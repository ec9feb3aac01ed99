"""The multi-marker panel (SPEC stage 6): its design, its fit and its one-row summary table
(with NA estimates and the reason when the data cannot support a panel)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mirflow.groups import CASE
from mirflow.seeding import rng_for
from mirflow.settings import PanelSettings
from mirflow.stats.optimism import FitFailed, bootstrap_optimism
from mirflow.stats.panel import PanelNotFitted, PanelResult, cross_validated_panel

log = logging.getLogger(__name__)

PANEL_COLUMNS = [
    "markers",
    "auc_cv",
    "auc_cv_sd",
    "n_repeats",
    "n_folds",
    "auc_apparent",
    "covariates",
    "model",
    "auc_optimism",
    "auc_corrected",
    "slope_optimism",
    "slope_corrected",
    "n_bootstrap",
    "n_bootstrap_failed",
    "reason",
]


def panel_design(
    values: pd.DataFrame,
    covariates: pd.DataFrame,
    labels: pd.Series,
    markers: Sequence[str],
    include_covariates: bool,
) -> tuple[pd.DataFrame, pd.Series]:
    """The panel's predictors (markers, plus the covariates as 0/1-coded columns when
    asked) and outcome (1 = case). A sample missing any of them is left out (logged)
    before the coding, so a missing category is never coded as the reference level."""
    x = values.loc[list(markers), labels.index].T
    if include_covariates:
        frame = pd.concat([x, covariates.loc[labels.index]], axis=1)
        complete = frame.notna().all(axis=1)
        if not complete.all():
            log.info(
                "panel: %d sample(s) left out for a missing covariate: %s",
                int((~complete).sum()),
                ", ".join(frame.index[~complete]),
            )
        x = pd.get_dummies(frame[complete], drop_first=True, dtype=float)
    return x, (labels[x.index] == CASE).astype(int)


def fit_panel(
    x: pd.DataFrame, y: pd.Series, settings: PanelSettings, seed: int
) -> tuple[PanelResult | None, str]:
    """The cross-validated panel, or None and the reason why the data cannot support it
    (:class:`mirflow.stats.panel.PanelNotFitted`)."""
    try:
        return cross_validated_panel(x, y, settings.n_folds, settings.n_repeats, seed), ""
    except PanelNotFitted as reason:
        return None, str(reason)


def panel_optimism(x: pd.DataFrame, y: pd.Series, n_bootstrap: int, seed: int) -> dict[str, Any]:
    """Harrell's bootstrap optimism of the Firth panel (as rms::validate): the apparent
    AUC and calibration slope corrected for the optimism of fitting and judging on the
    same samples; {} when the fit on all samples fails. A corrected slope above 1 means
    predictions not extreme enough, not 'no shrinkage needed' (stats.optimism)."""
    try:
        result = bootstrap_optimism(x, y, n_bootstrap, rng_for(seed, "panel", "optimism"))
    except FitFailed as reason:
        log.warning("bootstrap optimism not computed: %s", reason)
        return {}
    return {
        "auc_optimism": result.auc_optimism,
        "auc_corrected": result.auc_corrected,
        "slope_optimism": result.slope_optimism,
        "slope_corrected": result.slope_corrected,
        "n_bootstrap": result.n_bootstrap,
        "n_bootstrap_failed": result.n_failed,
    }


MODEL_COLUMNS = ["term", "coefficient", "kind", "covariate", "level"]
INTERCEPT = "(Intercept)"


def model_table(result: PanelResult | None, markers: Sequence[str], covariates: pd.DataFrame) -> pd.DataFrame:
    """The final panel model (fitted on all samples, :attr:`PanelResult.coefficients`), one
    row per term on the modelling scale: the intercept (kind ``intercept``), each marker
    (``marker``), each covariate column used as covariates.tsv holds it (``covariate``:
    continuous ones centred and scaled, numeric category codes as they are) and each 0/1
    indicator of a categorical covariate's level (``level``; its first level is the
    reference). Empty when no panel was fitted."""
    if result is None or result.coefficients is None:
        return pd.DataFrame(columns=MODEL_COLUMNS)
    indicators = {
        f"{column}_{level}": (column, level)
        for column in covariates.columns
        for level in covariates[column].dropna().astype(str).unique()
    }
    rows = [{"term": INTERCEPT, "coefficient": result.intercept, "kind": "intercept"}]
    for term, coefficient in result.coefficients.items():
        row = {"term": term, "coefficient": float(coefficient)}
        if term in markers:
            row["kind"] = "marker"
        elif term in covariates.columns:
            row |= {"kind": "covariate", "covariate": term}
        elif term in indicators:
            row |= {"kind": "level", "covariate": indicators[term][0], "level": indicators[term][1]}
        else:
            raise ValueError(f"panel term {term!r} is neither a marker nor a covariate")
        rows.append(row)
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


def panel_row(
    markers: Sequence[str],
    covariates: Sequence[str],
    settings: PanelSettings,
    result: PanelResult | None,
    reason: str = "",
    optimism: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The panel table's one row (NA estimates, and ``reason``, when no panel was fitted);
    ``optimism`` from :func:`panel_optimism`."""
    row: dict[str, Any] = {
        "markers": ";".join(markers),
        "n_repeats": settings.n_repeats,
        "n_folds": settings.n_folds,
        "covariates": ";".join(covariates) if settings.include_covariates else "",
        "model": "Firth logistic",
        "reason": reason,
    }
    if result is not None:
        row |= {
            "auc_cv": float(result.auc_per_repeat.mean()),
            "auc_cv_sd": float(result.auc_per_repeat.std(ddof=1)),
            "n_folds": result.n_folds,
            "auc_apparent": result.auc_apparent,
        }
        row |= dict(optimism or {})
    return pd.DataFrame([row], columns=PANEL_COLUMNS)
