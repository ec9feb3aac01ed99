"""A multi-marker panel and its honest, cross-validated AUC.

An AUC computed on the samples that chose the markers and fitted the model is
optimistic. The panel's AUC is estimated by repeated stratified k-fold
cross-validation: each repeat predicts every sample from a model that never saw it,
and the AUC of those out-of-fold predictions is computed per repeat. The model is
Firth's penalised logistic regression, which stays finite when markers separate the
groups (common with a handful of strong markers).

When the data cannot support the panel (too few samples in the smaller group for the
number of predictors, a predictor that does not vary, a Firth fit that fails or does not
converge in some fold), :class:`PanelNotFitted` says why; the panel is then reported
as not fitted, with that reason, rather than with a number from a broken fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from firthmodels import FirthLogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

from mirflow.stats import firth

# Fewer samples of the smaller group than this per predictor and the panel is not fitted:
# its cross-validated AUC would measure the noise of an over-parametrised fit (an events-
# per-variable floor; 10 is the usual bar for inference, 2 the least a fold can carry).
MIN_EVENTS_PER_VARIABLE = 2


class PanelNotFitted(Exception):
    """The panel cannot be fitted on these data; the message is the reason, for the table."""


@dataclass(frozen=True)
class PanelResult:
    """Cross-validated AUC per repeat, out-of-fold predictions and the apparent AUC, and
    the final model fitted on all samples (the one a locked model carries): its
    ``intercept`` and ``coefficients`` (per column of the design, on its scale)."""

    auc_per_repeat: np.ndarray
    predictions: pd.DataFrame
    auc_apparent: float
    n_folds: int
    n_repeats: int
    intercept: float = float("nan")
    coefficients: pd.Series | None = None


def _constant(x: pd.DataFrame, rows: np.ndarray | slice = slice(None)) -> list[str]:
    values = x.to_numpy(dtype=float)[rows]
    return [str(c) for c, spread in zip(x.columns, np.ptp(values, axis=0), strict=True) if spread == 0]


def check_panel(x: pd.DataFrame, y: pd.Series, n_folds: int) -> None:
    """Raise :class:`PanelNotFitted` when the panel cannot be fitted on ``x`` (samples x
    predictors) and ``y`` (1 = case) with ``n_folds``-fold cross-validation."""
    sizes = y.value_counts()
    smaller = int(sizes.min()) if len(sizes) == 2 else 0
    if smaller < 2:
        raise PanelNotFitted(
            f"the smaller group has {smaller} sample(s) with complete data: cross-validation needs "
            "at least 2 per group"
        )
    if min(n_folds, smaller) < 2:
        raise PanelNotFitted(f"{min(n_folds, smaller)} fold(s): cross-validation needs at least 2")
    n_predictors = x.shape[1]
    if smaller < MIN_EVENTS_PER_VARIABLE * n_predictors:
        raise PanelNotFitted(
            f"{n_predictors} predictors for {smaller} samples in the smaller group "
            f"({smaller / n_predictors:.2g} per predictor, fewer than {MIN_EVENTS_PER_VARIABLE})"
        )
    constant = _constant(x)
    if constant:
        raise PanelNotFitted(f"{', '.join(constant)} constant over the {len(x)} samples")


def _fit(values: np.ndarray, outcome: np.ndarray, columns: pd.Index, where: str) -> FirthLogisticRegression:
    """A Firth fit that converged, or :class:`PanelNotFitted` saying where and why not."""
    constant = [str(c) for c, spread in zip(columns, np.ptp(values, axis=0), strict=True) if spread == 0]
    if constant:
        raise PanelNotFitted(f"{', '.join(constant)} constant in the training samples of {where}")
    try:
        model, warned = firth.fit(values, outcome)
    except firth.FIT_FAILURES as error:
        raise PanelNotFitted(f"Firth fit failed in {where} ({type(error).__name__}: {error})") from error
    if not model.converged_:
        messages = "; ".join(warned)
        raise PanelNotFitted(
            f"Firth fit did not converge in {where} ({messages or f'{model.n_iter_} iterations'})"
        )
    if not np.isfinite(np.append(model.coef_, model.intercept_)).all():
        raise PanelNotFitted(f"Firth fit in {where} has non-finite coefficients")
    return model


def cross_validated_panel(
    x: pd.DataFrame, y: pd.Series, n_folds: int, n_repeats: int, seed: int
) -> PanelResult:
    """Repeated stratified k-fold CV of a Firth logistic model on the columns of ``x``.

    ``n_folds`` is lowered to the size of the smaller group when that is smaller.
    Raises :class:`PanelNotFitted` (:func:`check_panel`, or a fold's fit failing or not
    converging) when there is no panel to report.
    """
    check_panel(x, y, n_folds)
    n_folds = int(min(n_folds, y.value_counts().min()))
    splitter = RepeatedStratifiedKFold(n_splits=n_folds, n_repeats=n_repeats, random_state=seed)
    values, outcome = x.to_numpy(dtype=float), y.to_numpy(dtype=int)
    probability = np.full((n_repeats, len(y)), np.nan)
    fold_of = np.zeros((n_repeats, len(y)), dtype=int)
    for index, (train, test) in enumerate(splitter.split(values, outcome)):
        repeat, fold = divmod(index, n_folds)
        model = _fit(values[train], outcome[train], x.columns, f"repeat {repeat + 1}, fold {fold + 1}")
        probability[repeat, test] = model.predict_proba(values[test])[:, 1]
        fold_of[repeat, test] = fold + 1
    if not np.isfinite(probability).all():
        raise PanelNotFitted("non-finite out-of-fold predicted probabilities")
    aucs = np.array([roc_auc_score(outcome, row) for row in probability])
    predictions = pd.DataFrame(
        {
            "sample": np.tile(x.index.to_numpy(), n_repeats),
            "repeat": np.repeat(np.arange(1, n_repeats + 1), len(y)),
            "fold": fold_of.ravel(),
            "case": np.tile(outcome, n_repeats),
            "probability": probability.ravel(),
        }
    )
    full = _fit(values, outcome, x.columns, "all samples")
    apparent = roc_auc_score(outcome, full.predict_proba(values)[:, 1])
    coefficients = pd.Series(np.asarray(full.coef_, dtype=float).ravel(), index=x.columns, name="coefficient")
    return PanelResult(
        aucs,
        predictions,
        float(apparent),
        n_folds,
        n_repeats,
        float(np.ravel(full.intercept_)[0]),
        coefficients,
    )
