"""mirflow.analyses.reporting.validation_checklist: a validation-only run's checklist holds every
STARD 2015 item (the locked markers) and every TRIPOD+AI item (the locked panel) once, fills from
the lock, the plan and the validation tables what the run knows, and leaves the rest to the
authors, never invented; without a plan it says the validation was not pre-specified."""

from __future__ import annotations

import math

import pandas as pd

from mirflow.analyses.reporting import checklist
from mirflow.analyses.reporting.guidelines import (
    ITEMS,
    STARD,
    TRIPOD_AI,
    TRIPOD_AI_DEVELOPMENT,
    TRIPOD_AI_ITEMS,
)
from mirflow.analyses.reporting.validation_checklist import ValidationRun, validation_checklist

FLOW = pd.DataFrame(
    {
        "cohort": "validation",
        "stage": ["sample sheet", "sample sheet", "excluded", "analysed", "analysed"],
        "group": ["case", "control", "control", "case", "control"],
        "n": [40, 41, 1, 40, 40],
        "reason": ["", "", "hemolysed: log2 ratio > 7", "", ""],
        "samples": ["", "", "V22", "", ""],
    }
)
MARKERS = pd.DataFrame(
    {
        "mirna": ["hsa-miR-1", "hsa-miR-2"],
        "direction": ["<", "<"],
        "cutoff": [10.0, 10.0],
        "auc": [0.9, 0.8],
        "auc_ci_low": [0.8, 0.7],
        "auc_ci_high": [1.0, 0.9],
        "tp": [34, 30],
        "fp": [0, 6],
        "tn": [40, 34],
        "fn": [6, 10],
        "sensitivity": [0.85, 0.75],
        "sensitivity_ci_low": [0.7, 0.6],
        "sensitivity_ci_high": [0.94, 0.87],
        "specificity": [1.0, 0.85],
        "specificity_ci_low": [0.91, 0.7],
        "specificity_ci_high": [1.0, 0.94],
        "n_case": [40, 40],
        "n_control": [40, 40],
    }
)
PANEL = pd.DataFrame(
    [
        {
            "n_case": 40,
            "n_control": 40,
            "auc": 0.88,
            "auc_ci_low": 0.8,
            "auc_ci_high": 0.97,
            "calibration_intercept": 0.06,
            "calibration_intercept_ci_low": -0.66,
            "calibration_intercept_ci_high": 0.78,
            "calibration_slope": 0.65,
            "calibration_slope_ci_low": 0.35,
            "calibration_slope_ci_high": 0.94,
            "brier": 0.11,
            "n_missing_covariates": 0,
        }
    ]
)
ACCURACY = pd.DataFrame(
    {
        "mirna": ["hsa-miR-1"],
        "lr_positive": [math.inf],
        "lr_positive_ci_low": [math.nan],
        "lr_positive_ci_high": [math.nan],
        "lr_negative": [0.15],
        "lr_negative_ci_low": [0.07],
        "lr_negative_ci_high": [0.31],
        "partial_auc": [0.93],
        "partial_auc_ci_low": [0.87],
        "partial_auc_ci_high": [0.97],
    }
)
CRITERIA = pd.DataFrame(
    {
        "criterion": ["panel auc 95% CI lower limit > 0.75"],
        "role": ["primary"],
        "metric": ["auc"],
        "verdict": ["PASS"],
    }
)
DEVIATIONS = pd.DataFrame(
    {
        "kind": ["sample size"],
        "item": ["panel: riley_calibration_slope"],
        "planned": ["n 1700"],
        "observed": ["n 80"],
        "effect": ["below the planned sample size"],
    }
)
COVARIATES = pd.DataFrame(
    {"covariate": ["age"], "locked_mean": [47.0], "locked_sd": [14.4], "mean": [49.1], "sd": [14.9]}
)
PLAN = {
    "content_sha256": "e" * 64,
    "requirements": [
        {"target": "panel", "type": "panel", "mirna": None, "criterion": "riley_calibration_slope", "n": 1700,
         "n_cases": 806, "n_controls": 894},
        {"target": "hsa-miR-1", "type": "marker", "mirna": "hsa-miR-1", "criterion": "buderer_sensitivity",
         "n": 133, "n_cases": 63, "n_controls": 70},
    ],
}  # fmt: skip


def run(locked_model, plan=PLAN) -> ValidationRun:
    tables = {
        "validation_markers": MARKERS,
        "validation_panel": PANEL,
        "validation_accuracy": ACCURACY,
        "validation_criteria": CRITERIA if plan else CRITERIA.iloc[[]],
        "validation_deviations": DEVIATIONS,
        "validation_covariates": COVARIATES,
    }
    paths = {name: f"{name}.tsv" for name in [*tables, "validation_qc"]}
    paths |= {"samples": "sheet.tsv", "flow": "flow.tsv", "figure": "flow.png", "model": "lock.json"}
    paths |= {"plan": "plan.json" if plan else "none"}
    return ValidationRun(locked_model(), plan, tables, paths, FLOW, 0.05, {}, (0.8, 1.0))


def test_every_stard_and_tripod_item_once(locked_model):
    table = validation_checklist(run(locked_model))
    assert list(table.columns) == checklist.CHECKLIST_COLUMNS
    stard = [item for guideline, item, _, _ in ITEMS if guideline == STARD]
    tripod = [item for _, item, _, _ in TRIPOD_AI_ITEMS]
    assert table.loc[table["guideline"] == STARD, "item"].tolist() == stard and len(stard) == 34
    assert table.loc[table["guideline"] == TRIPOD_AI, "item"].tolist() == tripod and len(tripod) == 52
    assert len({item.rstrip("abcdefg") for item in tripod}) == 27
    assert (table["status"] == "authors").sum() > 20  # what the run cannot know is not invented
    assert (table.loc[table["status"] == "authors", "value"] == checklist.AUTHORS).all()


def test_the_run_fills_from_the_lock_the_plan_and_its_tables(locked_model):
    table = validation_checklist(run(locked_model)).set_index(["guideline", "item"])
    value = table["value"]
    assert value[(STARD, "12a")].startswith("pre-specified: the cut-offs locked in")
    assert "hsa-miR-1 >= 10: TP 34, FN 6, FP 0, TN 40" in value[(STARD, "23")]
    assert (
        "planned n 133 (63 cases, 70 controls) by buderer_sensitivity; analysed 40 cases"
        in value[(STARD, "18")]
    )
    assert "panel auc 95% CI lower limit > 0.75 (primary): PASS" in value[(STARD, "17")]
    assert "content_sha256 eeeeeeeeeeee" in value[(STARD, "29")]
    assert "planned n 1700" in value[(TRIPOD_AI, "10")] and "below the plan" in value[(TRIPOD_AI, "10")]
    assert value[(TRIPOD_AI, "12g")].startswith(
        "the logistic formula of the lock: logit(p) = -3 + 1 x hsa-miR-1"
    )
    assert "calibration slope 0.650 (95% CI 0.350 to 0.940)" in value[(TRIPOD_AI, "23a")]
    assert "with the outcome ('case') 40, without ('control') 40" in value[(TRIPOD_AI, "20a")]
    for item in TRIPOD_AI_DEVELOPMENT:
        assert value[(TRIPOD_AI, item)].startswith("development item (D)")
    assert table.loc[(TRIPOD_AI, "18d"), "status"] == "authors"


def test_without_a_plan_it_says_the_validation_was_not_pre_specified(locked_model):
    table = validation_checklist(run(locked_model, plan=None)).set_index(["guideline", "item"])
    for key in ((STARD, "17"), (STARD, "18"), (TRIPOD_AI, "10"), (TRIPOD_AI, "26")):
        assert table.loc[key, "value"].startswith("not pre-specified"), key
    assert "no analysis plan (validation.plan: none)" in table.loc[(STARD, "28"), "value"]
