"""mirflow.analyses.analysis_plan: the sealed plan holds the lock's hash, the criteria with their
labels and roles, the primary and secondary analyses, the handling, the settings and the sample
size; it is deterministic; a criterion naming what the lock does not hold stops the plan."""

from __future__ import annotations

import pytest
from conftest import ROOT
from snakemake.utils import validate

from mirflow import sealing
from mirflow.analyses import analysis_plan
from mirflow.settings import PlanSettings


def settings(criteria) -> PlanSettings:
    config = {"plan": {"criteria": criteria}}
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))
    return PlanSettings.from_params(config["plan"])


CRITERIA = [
    {"target": "panel", "metric": "auc", "bound": "ci_low", "op": ">", "value": 0.7},
    {"target": "hsa-miR-1", "metric": "sensitivity", "op": ">=", "value": 0.8, "role": "secondary"},
    {
        "target": "hsa-miR-1",
        "endpoint": "OS",
        "metric": "hazard_ratio",
        "bound": "ci_low",
        "op": ">",
        "value": 1,
    },
]
ROWS = [{"target": "panel", "type": "panel", "criterion": "riley_oe", "n": 100, "drives": True}]


def test_the_plan_is_sealed_with_the_locks_hash_and_the_criteria(locked_model):
    plan = analysis_plan.build_plan(locked_model(), settings(CRITERIA), ROWS, ROWS, 0.45)
    assert plan[sealing.HASH_FIELD] == sealing.content_sha256(plan)
    assert plan["lock"]["content_sha256"] == "c" * 64 and plan["plan_version"] == sealing.PLAN_VERSION
    assert [c["label"] for c in plan["criteria"]] == [
        "panel auc 95% CI lower limit > 0.7",
        "hsa-miR-1 sensitivity >= 0.8",
        "OS hsa-miR-1 hazard_ratio 95% CI lower limit > 1",
    ]
    assert plan["analyses"]["primary"] == [plan["criteria"][0]["label"], plan["criteria"][2]["label"]]
    assert plan["analyses"]["secondary"] == ["hsa-miR-1 sensitivity >= 0.8"]
    assert set(plan["handling"]) >= {"exclusions", "missing", "multiplicity"}
    assert plan["settings"]["anticipated_prevalence"] == 0.45 and plan["sample_size"] == ROWS
    assert PlanSettings.from_params(plan["config"]) == settings(CRITERIA)
    # deterministic: the same inputs give the same bytes
    again = analysis_plan.build_plan(locked_model(), settings(CRITERIA), ROWS, ROWS, 0.45)
    assert sealing.dumps(again) == sealing.dumps(plan)
    assert sealing.check_plan(sealing.dumps(plan), "p.json") == plan


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        ({"target": "hsa-miR-9", "metric": "auc", "op": ">", "value": 0.7}, "not a locked marker"),
        (
            {"target": "hsa-miR-2", "endpoint": "OS", "metric": "hazard_ratio", "op": ">", "value": 1},
            "no cut-off of 'hsa-miR-2'",
        ),
        (
            {"target": "hsa-miR-1", "endpoint": "DFS", "metric": "logrank_p", "op": "<", "value": 0.05},
            "'DFS'",
        ),
    ],
)
def test_a_criterion_on_what_the_lock_does_not_hold_is_kept_and_said(locked_model, criterion, message):
    """The plan is written in the run that makes the lock, before anyone knows what the data
    select: such a criterion is kept with why it cannot be evaluated (it counts as not met)."""
    plan = analysis_plan.build_plan(locked_model(), settings([criterion]), ROWS, ROWS, 0.45)
    assert message in plan["criteria"][0]["not_evaluable"]


def test_a_panel_criterion_without_a_locked_panel_is_kept_and_said(locked_model):
    plan = analysis_plan.build_plan(locked_model(panel=False), settings(CRITERIA[:1]), ROWS, ROWS, 0.45)
    assert plan["criteria"][0]["not_evaluable"].startswith("the lock has no panel")
    evaluable = analysis_plan.build_plan(locked_model(), settings(CRITERIA[:1]), ROWS, ROWS, 0.45)
    assert "not_evaluable" not in evaluable["criteria"][0]
