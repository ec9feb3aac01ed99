"""mirflow.analyses.criteria: each success criterion's verdict from the validation tables (its
bound against the value, or whether its CI holds it; not evaluable is not met), the summary, and
the deviations from the plan with their effect."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mirflow.analyses import criteria as evaluation
from mirflow.settings import Criterion

PANEL = pd.DataFrame(
    [
        {
            "markers": "hsa-miR-1;hsa-miR-2",
            "n_case": 40,
            "n_control": 40,
            "auc": 0.88,
            "auc_ci_low": 0.80,
            "auc_ci_high": 0.97,
            "calibration_slope": 0.65,
            "calibration_slope_ci_low": 0.35,
            "calibration_slope_ci_high": 0.94,
            "calibration_intercept": 0.06,
            "calibration_intercept_ci_low": -0.66,
            "calibration_intercept_ci_high": 0.78,
            "brier": 0.11,
            "n_missing_covariates": 0,
            "reason": "",
        }
    ]
)
MARKERS = pd.DataFrame(
    {
        "mirna": ["hsa-miR-1", "hsa-miR-2"],
        "cutoff": [90.0, math.nan],
        "auc": [0.92, 0.6],
        "auc_ci_low": [0.85, 0.4],
        "auc_ci_high": [0.99, 0.8],
        "sensitivity": [0.85, math.nan],
        "sensitivity_ci_low": [0.70, math.nan],
        "sensitivity_ci_high": [0.94, math.nan],
        "specificity": [1.0, math.nan],
        "specificity_ci_low": [0.91, math.nan],
        "specificity_ci_high": [1.0, math.nan],
        "n_case": [40, 40],
        "n_control": [40, 40],
        "reason": ["", "no locked cut-off (the marker did not vary in discovery)"],
    }
)
ACCURACY = pd.DataFrame(
    {
        "mirna": ["hsa-miR-1"],
        "lr_positive": [math.inf],
        "lr_positive_ci_low": [math.nan],
        "lr_positive_ci_high": [math.nan],
        "lr_positive_reason": ["fp = 0: LR+ is infinite, no log-scale CI"],
        "lr_negative": [0.15],
        "lr_negative_ci_low": [0.07],
        "lr_negative_ci_high": [0.31],
        "partial_auc": [0.93],
        "partial_auc_ci_low": [0.87],
        "partial_auc_ci_high": [0.97],
    }
)
KM = pd.DataFrame(
    {
        "endpoint": ["OS", "OS", "PFS"],
        "mirna": ["hsa-miR-1"] * 3,
        "stratum": ["low", "high", math.nan],
        "n": [24, 16, 0],
        "events": [16, 15, 0],
        "hazard_ratio": [3.4, 3.4, math.nan],
        "hr_ci_low": [1.6, 1.6, math.nan],
        "hr_ci_high": [7.0, 7.0, math.nan],
        "logrank_p": [0.0007, 0.0007, math.nan],
        "reason": ["", "", "the validation sheet has no column pfs"],
    }
)
TABLES = {"panel": PANEL, "markers": MARKERS, "accuracy": ACCURACY, "km": KM}


def criterion(**fields) -> Criterion:
    return Criterion.from_params(fields)


@pytest.mark.parametrize(
    ("fields", "verdict", "estimate"),
    [
        ({"target": "panel", "metric": "auc", "bound": "ci_low", "op": ">", "value": 0.75}, "PASS", 0.88),
        ({"target": "panel", "metric": "auc", "bound": "ci_low", "op": ">", "value": 0.80}, "FAIL", 0.88),
        ({"target": "panel", "metric": "calibration_slope", "op": "ci_contains", "value": 1}, "FAIL", 0.65),
        (
            {"target": "panel", "metric": "calibration_intercept", "op": "ci_contains", "value": 0},
            "PASS",
            0.06,
        ),
        ({"target": "panel", "metric": "brier", "op": "<", "value": 0.2}, "PASS", 0.11),
        ({"target": "hsa-miR-1", "metric": "auc", "op": ">=", "value": 0.92}, "PASS", 0.92),
        (
            {"target": "hsa-miR-1", "metric": "sensitivity", "bound": "ci_high", "op": "<", "value": 0.9},
            "FAIL",
            0.85,
        ),
        (
            {"target": "hsa-miR-1", "metric": "lr_negative", "bound": "ci_high", "op": "<", "value": 0.5},
            "PASS",
            0.15,
        ),
        (
            {"target": "hsa-miR-1", "metric": "partial_auc", "bound": "ci_low", "op": ">", "value": 0.8},
            "PASS",
            0.93,
        ),
        (
            {
                "target": "hsa-miR-1",
                "endpoint": "OS",
                "metric": "hazard_ratio",
                "bound": "ci_low",
                "op": ">",
                "value": 1,
            },
            "PASS",
            3.4,
        ),
        (
            {"target": "hsa-miR-1", "endpoint": "OS", "metric": "logrank_p", "op": "<", "value": 0.05},
            "PASS",
            0.0007,
        ),
    ],
)
def test_each_criterion_reads_its_table_and_compares(fields, verdict, estimate):
    row = evaluation.evaluate_one(criterion(**fields), TABLES, {"panel": "panel.tsv"})
    assert row["verdict"] == verdict and row["estimate"] == pytest.approx(estimate)
    assert row["note"] and not row["note"].startswith("not evaluable")


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        (
            {"target": "hsa-miR-1", "metric": "lr_positive", "bound": "ci_low", "op": ">", "value": 5},
            "fp = 0",
        ),
        ({"target": "hsa-miR-2", "metric": "sensitivity", "op": ">", "value": 0.5}, "no locked cut-off"),
        (
            {"target": "hsa-miR-1", "endpoint": "PFS", "metric": "hazard_ratio", "op": ">", "value": 1},
            "no column",
        ),
        ({"target": "hsa-miR-3", "metric": "auc", "op": ">", "value": 0.5}, "not in the markers table"),
    ],
)
def test_a_criterion_that_cannot_be_evaluated_is_not_met(fields, why):
    row = evaluation.evaluate_one(criterion(**fields), TABLES, {})
    assert row["verdict"] == "FAIL" and row["note"].startswith("not evaluable") and why in row["note"]


def test_the_table_and_its_summary():
    chosen = [
        criterion(target="panel", metric="auc", bound="ci_low", op=">", value=0.75),
        criterion(target="panel", metric="calibration_slope", op="ci_contains", value=1),
        criterion(target="hsa-miR-1", metric="sensitivity", op=">=", value=0.8, role="secondary"),
    ]
    table = evaluation.evaluate(chosen, TABLES, {"panel": "panel.tsv", "markers": "markers.tsv"})
    assert list(table.columns) == evaluation.CRITERIA_COLUMNS
    assert table["verdict"].tolist() == ["PASS", "FAIL", "PASS"]
    assert table["source"].tolist() == ["panel.tsv", "panel.tsv", "markers.tsv"]
    assert evaluation.summary(table) == "primary 1 of 2 PASS (not all met); secondary 1 of 1 PASS"
    assert evaluation.summary(table.iloc[[0, 2]]).startswith("primary 1 of 1 PASS (all met")
    assert evaluation.summary(table.iloc[[]]) == "the plan states no success criteria"


QC = pd.DataFrame(
    {
        "sample": ["A", "B", "C", "D"],
        "excluded": [False, True, True, True],
        "reason": ["", "hemolysed: log2 ratio 11 > 7", "by hand", "not in contrast"],
    }
)
PLAN = {
    "config": {"ci_width": {"oe": 0.2, "auc": 0.1}, "half_width": 0.1, "power": 0.8, "auc_null": 0.5},
    "settings": {"anticipated_prevalence": 0.5, "population_prevalence": 0.05},
    "sample_size": [
        {"target": "panel", "type": "panel", "mirna": None, "criterion": "riley_oe", "n": 400, "n_cases": 200,
         "n_controls": 200, "events": None, "fixes": "n", "drives": True},
        {"target": "hsa-miR-1", "type": "marker", "mirna": "hsa-miR-1", "criterion": "buderer_sensitivity",
         "n": 100, "n_cases": 50, "n_controls": 50, "events": None, "fixes": "cases", "drives": True},
        {"target": "hsa-miR-1", "type": "marker", "mirna": "hsa-miR-1", "criterion": "buderer_specificity",
         "n": 30, "n_cases": 15, "n_controls": 15, "events": None, "fixes": "controls", "drives": False},
        {"target": "OS", "type": "endpoint", "mirna": "hsa-miR-1", "criterion": "schoenfeld_events", "n": 20,
         "n_cases": 20, "n_controls": None, "events": 17, "fixes": "events", "drives": True},
    ],
}  # fmt: skip


def test_the_deviations_name_what_differs_from_the_plan_and_its_effect():
    verdicts = evaluation.evaluate(
        [criterion(target="hsa-miR-2", metric="sensitivity", op=">", value=0.5)], TABLES, {}
    )
    no_overlap = pd.DataFrame(columns=["kind", "item", "detail"])
    table = evaluation.deviations(PLAN, verdicts, TABLES, QC, no_overlap, {"C": "withdrew consent"}, 0.1)
    assert list(table.columns) == evaluation.DEVIATION_COLUMNS
    items = dict(zip(table["item"], table["effect"], strict=True))
    assert items["samples failing the locked QC"].startswith("as planned")
    assert items["samples excluded by hand (validation.exclude)"].startswith("not pre-specified")
    assert "samples not in the contrast" in items
    # the panel (80 < 400) and the sensitivity (40 cases < 50) fall short; not the specificity, not OS
    short = table[table["kind"] == "sample size"]
    assert short["item"].tolist() == ["panel: riley_oe", "hsa-miR-1: buderer_sensitivity"]
    assert short["observed"].tolist() == ["n 80", "cases 40"]
    assert "wider than +-0.1" in items["hsa-miR-1: buderer_sensitivity"]
    assert (
        "PPV, NPV and net benefit at the prevalence 0.1 are not pre-specified"
        in items["validation.prevalence"]
    )
    assert (
        "PFS hsa-miR-1: KM at the locked cut-off" in items
        and "hsa-miR-2: accuracy at the locked cut-off" in items
    )
    assert items["hsa-miR-2 sensitivity > 0.5"] == "counted as not met (FAIL)"


def test_without_a_plan_the_validation_is_not_pre_specified():
    empty = evaluation.evaluate([], TABLES, {})
    overlap = pd.DataFrame({"kind": ["sample id"], "item": ["A"], "detail": [""]})
    table = evaluation.deviations(None, empty, TABLES, QC.iloc[:1], overlap, {}, None)
    assert table["item"].tolist()[:2] == ["analysis plan", "independence of the discovery cohort"]
    assert "not pre-specified" in table["effect"].iloc[0]
    assert "validation.prevalence" not in table["item"].tolist()
    assert evaluation.criteria_from_plan(None) == []
