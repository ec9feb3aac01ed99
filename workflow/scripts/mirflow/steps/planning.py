"""Steps of rules sample_size and analysis_plan (SPEC stage 9): the validation's sample size and
its sealed analysis plan, from the lock and the discovery tables it came from. Neither reads
any validation data."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd

from mirflow.analyses import analysis_plan, planning
from mirflow.analyses.lock import LockedModel, LockedPanel
from mirflow.groups import CASE, CONTROL
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.sealing import HASH_FIELD, dumps
from mirflow.settings import PlanSettings
from mirflow.steps.lock import read_model

log = logging.getLogger(__name__)
# Out-of-fold probabilities are clipped to [EPSILON, 1 - EPSILON] before their logit.
EPSILON = 1e-12
INTEGER_COLUMNS = ("n", "n_cases", "n_controls", "events")


def apparent_linear_predictor(
    transformed: pd.DataFrame, covariates: pd.DataFrame, panel: LockedPanel
) -> pd.Series:
    """The locked panel's linear predictor on the discovery samples (intercept + terms x
    locked coefficients): markers on the transformed scale, covariates as covariates.tsv holds
    them (continuous ones centred and scaled, codes as numbers, levels as 0/1); samples
    missing a term are left out."""
    columns = {}
    for term in panel.terms:
        if term.kind == "marker":
            columns[term.name] = transformed.loc[term.name, covariates.index].astype(float)
        elif term.kind in ("continuous", "code"):
            columns[term.name] = pd.to_numeric(covariates[term.covariate], errors="coerce")
        else:
            text = covariates[term.covariate]
            columns[term.name] = (text.astype(str) == str(term.level)).astype(float).where(text.notna())
    x = pd.DataFrame(columns, index=covariates.index).dropna()
    coefficients = pd.Series({term.name: term.coefficient for term in panel.terms}, dtype=float)
    return x[coefficients.index].astype(float).dot(coefficients) + panel.intercept


def _apparent(
    model: LockedModel, transformed_path: str, covariates: pd.DataFrame, labels: pd.Series
) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    transformed = read_tsv(transformed_path, index_col="mirna")
    assert model.panel is not None
    lp = apparent_linear_predictor(transformed, covariates, model.panel)
    group = labels[lp.index]
    source = "the locked panel's linear predictor on the discovery samples (apparent)"
    return tuple(lp[group == CASE]), tuple(lp[group == CONTROL]), source


def _out_of_fold(predictions_path: str) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    predictions = read_tsv(predictions_path)
    p = predictions["probability"].astype(float).clip(EPSILON, 1 - EPSILON)
    lp = (p / (1 - p)).map(math.log)
    case = predictions["case"].astype(int) == 1
    repeats = predictions["repeat"].nunique()
    source = f"the logit of the panel's out-of-fold predictions (cross-validation, {repeats} repeats)"
    return tuple(lp[case]), tuple(lp[~case]), source


def panel_inputs(
    model: LockedModel,
    settings: PlanSettings,
    panel_path: str,
    transformed_path: str | None,
    predictions_path: str | None,
    covariates: pd.DataFrame,
    labels: pd.Series,
) -> planning.PanelInputs | None:
    """The panel's anticipated C (optimism-corrected AUC; the cross-validated one when the
    bootstrap gave none) and linear predictor, as ``plan.linear_predictor`` asks."""
    if model.panel is None:
        return None
    row = read_tsv(panel_path).iloc[0]
    c, source = row.get("auc_corrected"), f"the panel's optimism-corrected AUC, {panel_path}"
    if pd.isna(c):
        c, source = (
            row.get("auc_cv"),
            f"the panel's cross-validated AUC (no optimism-corrected one), {panel_path}",
        )
    fitted = float((labels == CASE).mean())
    cases: tuple[float, ...] = ()
    controls: tuple[float, ...] = ()
    lp_source = "binormal"
    if settings.linear_predictor == "apparent" and transformed_path is not None:
        cases, controls, lp_source = _apparent(model, transformed_path, covariates, labels)
    elif settings.linear_predictor == "out_of_fold" and predictions_path is not None:
        cases, controls, lp_source = _out_of_fold(predictions_path)
    return planning.PanelInputs(None if pd.isna(c) else float(c), source, cases, controls, lp_source, fitted)


def marker_inputs(model: LockedModel, bootstrap_path: str) -> list[planning.MarkerInputs]:
    """Each locked marker's discovery AUC and its out-of-bag sensitivity and specificity."""
    bootstrap = read_tsv(bootstrap_path).set_index("mirna")
    markers = []
    for marker in model.markers:
        sensitivity = specificity = None
        if marker.mirna in bootstrap.index:
            row = bootstrap.loc[marker.mirna]
            sensitivity = None if pd.isna(row["sensitivity_oob"]) else float(row["sensitivity_oob"])
            specificity = None if pd.isna(row["specificity_oob"]) else float(row["specificity_oob"])
        source = f"out-of-bag bootstrap of the discovery cut-off, {bootstrap_path}"
        markers.append(planning.MarkerInputs(marker.mirna, marker.auc, sensitivity, specificity, source))
    return markers


def split_inputs(model: LockedModel, km_path: str | None) -> list[planning.SplitInputs]:
    """Each locked prognostic split's discovery strata (sizes, events, HR)."""
    if model.prognostic is None or km_path is None:
        return []
    km = read_tsv(km_path)
    splits = []
    for endpoint in model.prognostic.endpoints:
        for cut in endpoint.cutoffs:
            rows = km[(km["endpoint"].astype(str) == endpoint.name) & (km["mirna"] == cut.mirna)]
            strata = rows.set_index("stratum") if not rows["stratum"].isna().all() else None
            if cut.cutoff is None or strata is None or not {"low", "high"} <= set(strata.index):
                splits.append(
                    planning.SplitInputs(endpoint.name, cut.mirna, 0, 0, 0, None, model.prognostic.population)
                )
                continue
            hr = strata.loc["low", "hazard_ratio"]
            splits.append(
                planning.SplitInputs(
                    endpoint.name,
                    cut.mirna,
                    int(strata.loc["low", "n"]),
                    int(strata.loc["high", "n"]),
                    int(strata["events"].sum()),
                    None if pd.isna(hr) else float(hr),
                    model.prognostic.population,
                )
            )
    return splits


def run_sample_size(
    settings: PlanSettings,
    lock_path: str,
    panel_path: str,
    covariates_path: str,
    bootstrap_path: str,
    out: str,
    transformed_path: str | None = None,
    predictions_path: str | None = None,
    km_path: str | None = None,
) -> None:
    """results/plan/sample_size.tsv (:data:`planning.SAMPLE_SIZE_COLUMNS`, and the
    anticipated prevalence) from the lock and the discovery tables."""
    model = read_model(lock_path)
    covariates, labels = read_design(covariates_path)
    n_case, n_control = int((labels == CASE).sum()), int((labels == CONTROL).sum())
    panel = panel_inputs(model, settings, panel_path, transformed_path, predictions_path, covariates, labels)
    rows, prevalence = planning.sample_size_rows(
        settings, n_case, n_control, panel, marker_inputs(model, bootstrap_path), split_inputs(model, km_path)
    )
    table = pd.DataFrame(rows, columns=planning.SAMPLE_SIZE_COLUMNS)
    for column in INTEGER_COLUMNS:
        table[column] = pd.array(table[column].tolist(), dtype="Int64")
    table["prevalence"] = prevalence
    for row in table[table["drives"]].itertuples():
        target = f"{row.target} {row.mirna}" if row.type == "endpoint" else row.target
        log.info("%s: n %s, driven by %s", target, row.n, row.criterion)
    write_tsv(table, out)


def _json_rows(table: pd.DataFrame) -> list[dict]:
    """The sample-size table as the plan states it: integers as integers, NA as null."""
    rows = []
    for record in table.to_dict("records"):
        entry = {}
        for key, value in record.items():
            if pd.isna(value):
                entry[key] = None
            elif key in INTEGER_COLUMNS:
                entry[key] = int(value)
            elif key == "drives":
                entry[key] = bool(value)
            else:
                entry[key] = value
        rows.append(entry)
    return rows


def run_analysis_plan(settings: PlanSettings, lock_path: str, sample_size_path: str, out: str) -> None:
    """results/plan/analysis_plan.json: the sealed plan (:func:`analysis_plan.build_plan`)."""
    model = read_model(lock_path)
    table = read_tsv(sample_size_path)
    table["mirna"] = table["mirna"].astype(object).where(table["mirna"].notna(), None)
    rows = _json_rows(table)
    prevalence = float(table["prevalence"].iloc[0]) if len(table) else math.nan
    plan = analysis_plan.build_plan(model, settings, rows, planning.requirements(rows), prevalence)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(dumps(plan), encoding="utf-8")
    log.info(
        "analysis plan sealed: %d criteria (%d primary), lock %s, content_sha256 %s",
        len(plan["criteria"]),
        len(plan["analyses"]["primary"]),
        model.content_sha256[:12],
        plan[HASH_FIELD],
    )
