"""Step of rule time_roc (SPEC stage 10): per endpoint, the cumulative/dynamic AUC(t) of each
marker and of the locked panel's linear predictor at the landmark and over the time grid,
Uno's C and the Brier score of the prognostic Cox models, and, for an endpoint with a
competing event, the Aalen-Johansen cumulative incidence per stratum and Gray's test."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from mirflow.analyses import prognostic
from mirflow.analyses import time_roc as accuracy
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import EndpointSettings

log = logging.getLogger(__name__)


def run_time_roc(
    population: str,
    endpoints: Mapping[str, EndpointSettings],
    adjust_for: Sequence[str],
    time_grid: int,
    samples_path: str,
    normalised_path: str,
    transformed_path: str,
    markers_path: str,
    covariates_path: str,
    cutoffs_path: str,
    panel_model_path: str,
    out_time_roc: str,
    out_concordance: str,
    out_cumulative_incidence: str,
    out_gray: str,
    out_cox_baseline: str,
) -> None:
    """time_roc.tsv, concordance.tsv, cumulative_incidence.tsv and gray.tsv for every
    endpoint (on ``population``: the cases, or all analysed samples) and marker, and
    cox_baseline.tsv: the univariable Cox models of the markers and the panel for the lock."""
    covariates, labels = read_design(covariates_path)
    samples = prognostic.population(labels, population)
    sheet = read_sample_sheet(samples_path, warn=False)
    clinical = sheet[list(adjust_for)]
    markers = read_tsv(markers_path)["mirna"].tolist()
    normalised = read_tsv(normalised_path, index_col="mirna")
    transformed = read_tsv(transformed_path, index_col="mirna")
    cutoffs = read_tsv(cutoffs_path)
    panel_model = read_tsv(panel_model_path)
    panel = None
    if not panel_model.empty:
        panel = accuracy.panel_linear_predictor(transformed, covariates, panel_model, samples)
        log.info("panel: the locked linear predictor of %d of the %d patients", len(panel), len(samples))
    aucs, concordance, curves, tests, baselines = [], [], [], [], []
    for name, settings in endpoints.items():
        endpoint = prognostic.endpoint_data(sheet, name, settings, samples)
        note = prognostic.competing_note(settings)
        patients = endpoint.time.index
        values = {m: normalised.loc[m, patients].astype(float) for m in markers}
        scores = values | ({accuracy.PANEL: panel} if panel is not None else {})
        table = accuracy.auc_table(endpoint, scores, time_grid, note)
        aucs.append(table)
        for row in table[table["landmark"]].itertuples():
            log.info(
                "%s %s: AUC(%g) %s (%s-%s), %s cases, %s controls %s",
                name,
                row.mirna,
                row.time,
                row.auc,
                row.auc_ci_low,
                row.auc_ci_high,
                row.n_cases,
                row.n_controls,
                row.reason if isinstance(row.reason, str) else "",
            )
        tau = accuracy.tau_of(endpoint, time_grid)
        for mirna in markers:
            marker = transformed.loc[mirna, patients].astype(float)
            reason = prognostic.dead_end(endpoint, mirna, values[mirna])
            for model, design, extra in accuracy.marker_designs(mirna, marker, clinical):
                row, fit = accuracy.cox_scores(endpoint, mirna, model, design, tau, extra, note, reason)
                concordance.append(row)
                if model == "univariable" and fit is not None:
                    baselines += accuracy.baseline_rows(name, mirna, fit, endpoint.landmark)
        if panel is not None:
            design = panel.reindex(patients).to_frame()
            row, fit = accuracy.cox_scores(endpoint, accuracy.PANEL, "univariable", design, tau, (), note)
            concordance.append(row)
            if fit is not None:
                baselines += accuracy.baseline_rows(name, accuracy.PANEL, fit, endpoint.landmark)
        if settings.competing_event:
            status = accuracy.competing_status(endpoint, sheet.loc[patients, settings.competing_event])
            curve, gray = accuracy.competing_tables(
                endpoint, status, values, cutoffs[cutoffs["endpoint"] == name]
            )
            curves.append(curve)
            tests.append(gray)
            for row in gray.itertuples():
                log.info("%s %s: Gray's test p %s %s", name, row.mirna, row.p_value, row.reason or "")
    write_tsv(_concat(aucs, accuracy.TIME_ROC_COLUMNS), out_time_roc)
    write_tsv(pd.DataFrame(concordance, columns=accuracy.CONCORDANCE_COLUMNS), out_concordance)
    write_tsv(_concat(curves, accuracy.CUMULATIVE_INCIDENCE_COLUMNS), out_cumulative_incidence)
    write_tsv(_concat(tests, accuracy.GRAY_COLUMNS), out_gray)
    write_tsv(pd.DataFrame(baselines, columns=accuracy.BASELINE_COLUMNS), out_cox_baseline)


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
