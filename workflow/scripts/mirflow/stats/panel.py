"""A multi-marker panel and its honest, cross-validated AUC.

An AUC computed on the samples that chose the markers and fitted the model is
optimistic. The panel's AUC is estimated by repeated stratified k-fold
cross-validation: each repeat predicts every sample from a model that never saw it,
and the AUC of those out-of-fold predictions is computed per repeat. The model is
Firth's penalised logistic regression, which stays finite when markers separate the
groups (common with a handful of strong markers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from firthmodels import FirthLogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold


@dataclass(frozen=True)
class PanelResult:
    """Cross-validated AUC per repeat, out-of-fold predictions and the apparent AUC."""

    auc_per_repeat: np.ndarray
    predictions: pd.DataFrame
    auc_apparent: float
    n_folds: int
    n_repeats: int


def _model() -> FirthLogisticRegression:
    return FirthLogisticRegression(max_iter=200, backend="numpy")


def cross_validated_panel(
    x: pd.DataFrame, y: pd.Series, n_folds: int, n_repeats: int, seed: int
) -> PanelResult:
    """Repeated stratified k-fold CV of a Firth logistic model on the columns of ``x``.

    ``n_folds`` is lowered to the size of the smaller group when that is smaller.
    """
    n_folds = int(min(n_folds, y.value_counts().min()))
    splitter = RepeatedStratifiedKFold(n_splits=n_folds, n_repeats=n_repeats, random_state=seed)
    values, outcome = x.to_numpy(dtype=float), y.to_numpy(dtype=int)
    probability = np.full((n_repeats, len(y)), np.nan)
    fold_of = np.zeros((n_repeats, len(y)), dtype=int)
    for index, (train, test) in enumerate(splitter.split(values, outcome)):
        repeat, fold = divmod(index, n_folds)
        model = _model().fit(values[train], outcome[train])
        probability[repeat, test] = model.predict_proba(values[test])[:, 1]
        fold_of[repeat, test] = fold + 1
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
    apparent = roc_auc_score(outcome, _model().fit(values, outcome).predict_proba(values)[:, 1])
    return PanelResult(aucs, predictions, float(apparent), n_folds, n_repeats)
