"""Workflow steps of the diagnostic stage (SPEC stages 5 and 6)."""

from __future__ import annotations

import difflib
import itertools
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mirflow import diagnostic_plots, logistic, plots, roc
from mirflow.errors import InputError
from mirflow.panel import cross_validated_panel
from mirflow.samples import CASE, CONTROL
from mirflow.seeding import rng_for
from mirflow.tables import read_design, read_tsv, write_tsv

log = logging.getLogger(__name__)
Config = Mapping[str, Any]
ROC_COLUMNS = [
    "mirna",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "ci_method",
    "cutoff",
    "sensitivity",
    "specificity",
    "n_case",
    "n_control",
    "direction",
    "cutoff_method",
    "youden_j",
]
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


def configured_markers(config: Config, available: pd.Index) -> list[str]:
    """The ``markers`` list of the config, checked against the data ([] for ``auto``)."""
    if config["markers"] == "auto":
        return []
    unknown = [m for m in config["markers"] if m not in available]
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
    return list(config["markers"])


def run_logistic(
    config: Config,
    transformed_path: str,
    candidates_path: str,
    covariates_path: str,
    out_logistic: str,
    out_markers: str,
) -> None:
    """Logistic model per candidate (and configured marker); select the markers."""
    covariates, labels = read_design(covariates_path)
    values = read_tsv(transformed_path, index_col="mirna")
    candidates = read_tsv(candidates_path)["mirna"].tolist()
    listed = configured_markers(config, values.index)
    table = logistic.logistic_table(values, labels, covariates, list(dict.fromkeys(candidates + listed)))
    if listed:
        chosen = table.set_index("mirna").loc[listed].reset_index()
        chosen["selected_by"] = "config"
    else:
        chosen = table[table["mirna"].isin(candidates) & (table["p_value"] < 0.05)].copy()
        chosen["selected_by"] = "auto: candidate with covariate-adjusted logistic p < 0.05"
    firth = table.loc[table["method"] == "firth", "mirna"].tolist()
    log.info(
        "logistic models: %d fitted, %d with Firth's correction (%s)",
        len(table),
        len(firth),
        ", ".join(firth) or "none",
    )
    log.info("markers (%s): %s", "config" if listed else "auto", ", ".join(chosen["mirna"]) or "none")
    write_tsv(table, out_logistic)
    write_tsv(
        chosen[["mirna", "selected_by", "odds_ratio", "ci_low", "ci_high", "p_value", "method"]], out_markers
    )


def roc_row(
    mirna: str, cases: np.ndarray, controls: np.ndarray, config: Config, rng: np.random.Generator
) -> dict[str, Any]:
    """AUC with its CI and the best cut-off of one marker (NA where not estimable)."""
    settings = config["roc"]
    row: dict[str, Any] = {
        "mirna": mirna,
        "n_case": len(cases),
        "n_control": len(controls),
        "ci_method": settings["ci"],
        "cutoff_method": settings["cutoff"],
    }
    if np.ptp(np.concatenate([cases, controls])) == 0:
        log.warning("%s is constant: AUC 0.5, no CI or cut-off", mirna)
        return row | {"auc": 0.5, "direction": "<"}
    way = roc.direction(cases, controls)
    if settings["ci"] == "delong":
        low, high = roc.delong_ci(cases, controls, way)
    else:
        low, high = roc.bootstrap_ci(cases, controls, way, settings["n_bootstrap"], rng)
    cut = roc.best_cutoff(cases, controls, way, settings["cutoff"])
    return row | {
        "auc": roc.auc(cases, controls, way),
        "auc_ci_low": max(0.0, low),
        "auc_ci_high": min(1.0, high),
        "cutoff": cut.value,
        "sensitivity": cut.sensitivity,
        "specificity": cut.specificity,
        "direction": way,
        "youden_j": cut.sensitivity + cut.specificity - 1,
    }


def _groups(values: pd.DataFrame, labels: pd.Series, mirna: str) -> tuple[np.ndarray, np.ndarray]:
    row = values.loc[mirna, labels.index].to_numpy(dtype=float)
    return row[(labels == CASE).to_numpy()], row[(labels == CONTROL).to_numpy()]


def run_roc(
    config: Config,
    normalised_path: str,
    markers_path: str,
    covariates_path: str,
    out_roc: str,
    out_comparisons: str,
) -> None:
    """ROC per marker on the untransformed values (cut-offs in normalised counts) and
    paired DeLong tests between every pair of markers."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")
    markers = read_tsv(markers_path)["mirna"].tolist()
    rows = [
        roc_row(m, *_groups(values, labels, m), config, rng_for(config["seed"], "roc", m)) for m in markers
    ]
    write_tsv(pd.DataFrame(rows, columns=ROC_COLUMNS), out_roc)
    directions = {row["mirna"]: row["direction"] for row in rows}
    tests = []
    for first, second in itertools.combinations(markers, 2):
        oriented = [
            [g if directions[m] == "<" else -g for g in _groups(values, labels, m)] for m in (first, second)
        ]
        cases = np.vstack([oriented[0][0], oriented[1][0]])
        controls = np.vstack([oriented[0][1], oriented[1][1]])
        tests.append({"mirna1": first, "mirna2": second} | roc.delong_test(cases, controls))
    write_tsv(
        pd.DataFrame(
            tests,
            columns=["mirna1", "mirna2", "auc1", "auc2", "difference", "ci_low", "ci_high", "z", "p_value"],
        ),
        out_comparisons,
    )


def run_panel(
    config: Config,
    transformed_path: str,
    markers_path: str,
    covariates_path: str,
    out_panel: str,
    out_predictions: str,
) -> None:
    """Cross-validated AUC of a Firth logistic model on all markers (and covariates)."""
    settings = config["panel"]
    covariates, labels = read_design(covariates_path)
    markers = read_tsv(markers_path)["mirna"].tolist()
    values = read_tsv(transformed_path, index_col="mirna")
    x = values.loc[markers, labels.index].T
    if settings["include_covariates"]:
        dummies = pd.get_dummies(covariates.loc[labels.index], drop_first=True, dtype=float)
        x = pd.concat([x, dummies], axis=1).dropna()
    y = (labels[x.index] == CASE).astype(int)
    row = {
        "markers": ";".join(markers),
        "n_repeats": settings["n_repeats"],
        "n_folds": settings["n_folds"],
        "covariates": ";".join(covariates.columns) if settings["include_covariates"] else "",
        "model": "Firth logistic",
    }
    if not markers:
        log.warning("no markers: the panel is not fitted")
        write_tsv(pd.DataFrame([row], columns=PANEL_COLUMNS), out_panel)
        write_tsv(pd.DataFrame(columns=["sample", "repeat", "fold", "case", "probability"]), out_predictions)
        return
    result = cross_validated_panel(x, y, settings["n_folds"], settings["n_repeats"], config["seed"])
    row |= {
        "auc_cv": float(result.auc_per_repeat.mean()),
        "auc_cv_sd": float(result.auc_per_repeat.std(ddof=1)),
        "n_folds": result.n_folds,
        "auc_apparent": result.auc_apparent,
    }
    log.info(
        "panel of %d markers: cross-validated AUC %.3f (SD %.3f, %d x %d-fold); apparent AUC %.3f "
        "(optimistic)",
        len(markers),
        row["auc_cv"],
        row["auc_cv_sd"],
        result.n_repeats,
        result.n_folds,
        result.auc_apparent,
    )
    write_tsv(pd.DataFrame([row], columns=PANEL_COLUMNS), out_panel)
    write_tsv(result.predictions, out_predictions)


def run_diagnostic_figures(
    config: Config,
    normalised_path: str,
    roc_path: str,
    logistic_path: str,
    markers_path: str,
    panel_path: str,
    predictions_path: str,
    covariates_path: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """ROC curves with cut-offs (Fig 7B), the panel's cross-validated ROC, a forest plot."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")
    roc_table = read_tsv(roc_path)
    names = {CASE: str(config["contrast"]["case"]), CONTROL: str(config["contrast"]["control"])}
    curves = {m: _groups(values, labels, m) for m in roc_table["mirna"]}
    plots.save(diagnostic_plots.roc_curves(curves, roc_table, names), *figures["diag_roc"])
    plots.save(
        diagnostic_plots.panel_roc(read_tsv(predictions_path), read_tsv(panel_path).iloc[0], names),
        *figures["diag_panel_roc"],
    )
    markers = read_tsv(markers_path)["mirna"].tolist()
    covariates = " + ".join(config["covariates"]) or "no covariates"
    plots.save(diagnostic_plots.forest(read_tsv(logistic_path), markers, covariates), *figures["diag_forest"])
