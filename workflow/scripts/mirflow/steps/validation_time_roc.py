"""Step of rule validation_time_roc: the time-dependent accuracy of the LOCKED scores on the
validation cohort, nothing refitted or chosen: per locked endpoint, AUC(t) of each locked
marker and of the locked panel's linear predictor (higher = higher risk, as in discovery) at
the locked landmark and over the cohort's time grid (``survival.time_grid`` quantiles of its
own event times), Uno's C of each score with the Kaplan-Meier null model's Brier score
(``model`` = ``locked_score``), and each score's locked univariable Cox model scored as it is
(``locked_cox``: Uno's C of b x, the Brier score at the landmark of its predicted
S(landmark | x) and the IPA). A lock written before it held Cox models has no ``locked_cox``
rows, and its scores' Brier score is NA with the reason: fitting a model on the validation
cohort would be a refit."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import prognostic, validation
from mirflow.analyses import time_roc as accuracy
from mirflow.analyses.validation_cohort import code_covariates
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)
NO_BRIER = (
    "no Brier score: the lock holds no survival model (baseline hazard) of this score, and fitting "
    "one on the validation cohort would be a refit"
)
SEE_COX = "a score is not a probability: the Brier score of its locked Cox model is in the locked_cox row"


def run_validation_time_roc(
    time_grid: int,
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    transformed_path: str,
    out_time_roc: str,
    out_concordance: str,
) -> None:
    """time_roc.tsv and concordance.tsv of the validation cohort (empty without a locked
    prognostic stage; one row per score with the reason when the sheet lacks an endpoint's
    columns)."""
    model, sheet, labels = analysed(samples_path, qc_path, model_path)
    aucs, concordance = [], []
    locked = model.prognostic
    if locked is None:
        log.warning("the locked model has no prognostic stage: no time-dependent accuracy")
    else:
        values = read_tsv(normalised_path, index_col="mirna")
        transformed = read_tsv(transformed_path, index_col="mirna")
        panel = None
        if model.panel is not None:
            coded = code_covariates(sheet.loc[labels.index], model, samples_path)
            x = validation.panel_design(transformed, coded, model.panel)
            predictions = validation.panel_predictions(x, labels, model.panel)
            panel = predictions.set_index("sample")["linear_predictor"].rename(accuracy.PANEL)
        samples = prognostic.population(labels, locked.population)
        for endpoint in locked.endpoints:
            names = [cut.mirna for cut in endpoint.cutoffs] + ([accuracy.PANEL] if panel is not None else [])
            absent = [c for c in (endpoint.time, endpoint.event) if c not in sheet.columns]
            if absent:
                reason = f"the validation sheet has no column {' and no column '.join(absent)}"
                log.warning("%s: %s: no time-dependent accuracy", endpoint.name, reason)
                aucs.append(_absent(endpoint.name, names, endpoint.landmark, reason))
                concordance += [
                    {
                        "endpoint": endpoint.name,
                        "mirna": name,
                        "model": "locked_score",
                        "time": endpoint.landmark,
                        "reason": reason,
                    }
                    for name in names
                ]
                continue
            data = validation.endpoint_data(sheet, samples, endpoint)
            patients = data.time.index
            scores = {cut.mirna: values.loc[cut.mirna, patients].astype(float) for cut in endpoint.cutoffs}
            if panel is not None:
                scores[accuracy.PANEL] = panel.reindex(patients)
            table = accuracy.auc_table(data, scores, time_grid)
            aucs.append(table)
            for row in table[table["landmark"]].itertuples():
                log.info(
                    "%s %s: AUC(%g) %s (%s-%s) %s",
                    endpoint.name,
                    row.mirna,
                    row.time,
                    row.auc,
                    row.auc_ci_low,
                    row.auc_ci_high,
                    row.reason if isinstance(row.reason, str) else "",
                )
            tau = accuracy.tau_of(data, time_grid)
            why = NO_BRIER if endpoint.cox_models is None else SEE_COX
            concordance += [
                accuracy.score_concordance(data, name, score, tau, why) for name, score in scores.items()
            ]
            for cox in endpoint.cox_models or ():
                # the scale the model was fitted on: the transformed marker, the panel's predictor
                fitted_on = (
                    scores[cox.score] if cox.score == accuracy.PANEL else transformed.loc[cox.score, patients]
                )
                locked = (cox.coefficient, cox.centre, cox.times, cox.cumulative_hazard)
                row = accuracy.locked_cox_scores(data, cox.score, fitted_on.astype(float), *locked, tau)
                log.info(
                    "%s %s: locked Cox model, Brier(%g) %s (reference %s), Uno's C %s %s",
                    endpoint.name,
                    cox.score,
                    endpoint.landmark,
                    row.get("brier"),
                    row.get("brier_reference"),
                    row.get("uno_c"),
                    row.get("reason", ""),
                )
                concordance.append(row)
    frames = [frame for frame in aucs if not frame.empty]
    write_tsv(
        pd.concat(frames, ignore_index=True)[accuracy.TIME_ROC_COLUMNS]
        if frames
        else pd.DataFrame(columns=accuracy.TIME_ROC_COLUMNS),
        out_time_roc,
    )
    write_tsv(pd.DataFrame(concordance, columns=accuracy.CONCORDANCE_COLUMNS), out_concordance)


def _absent(endpoint: str, names: list[str], landmark: float, reason: str) -> pd.DataFrame:
    """The landmark row of each score, NA with the reason (the endpoint cannot be read)."""
    rows = [
        {"endpoint": endpoint, "mirna": name, "time": landmark, "landmark": True, "reason": reason}
        for name in names
    ]
    return pd.DataFrame(rows, columns=accuracy.TIME_ROC_COLUMNS)
