"""mirflow.settings.PlanSettings and Criterion: the plan: section as typed settings, round-trip
through params; criteria checked when the workflow starts (a metric its target can have, a CI
limit only where there is a CI); the schema's metrics are the registry's."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT
from snakemake.utils import validate

from mirflow.errors import InputError
from mirflow.settings import CRITERION_METRICS, Criterion, PlanSettings, as_params, resolve

SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"


def _plan(**changes) -> dict:
    config = {"plan": changes}
    validate(config, str(SCHEMA))
    return config["plan"]


def test_defaults_make_no_analysis_choice_and_round_trip():
    settings = PlanSettings.from_params(_plan())
    assert (
        settings.criteria == ()
        and settings.prevalence == "discovery"
        and settings.hazard_ratio == "discovery"
    )
    assert settings.ci_width == {
        "oe": 0.2,
        "calibration_slope": 0.2,
        "cstatistic": 0.1,
        "net_benefit": 0.2,
        "auc": 0.1,
    }
    assert settings.half_width == 0.1 and settings.alpha == 0.05 and settings.power == 0.8
    assert settings.net_benefit_threshold is None and settings.population_prevalence is None
    assert PlanSettings.from_params(as_params(settings)) == settings
    small = settings.sample_size_params()
    assert "criteria" not in small and PlanSettings.for_sample_size(small).ci_width == settings.ci_width


def test_the_demo_plan_resolves():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(config, str(SCHEMA))
    plan = resolve(config).plan
    assert plan is not None and len(plan.criteria) >= 3
    assert {c.role for c in plan.criteria} == {"primary", "secondary"}
    assert plan.criteria[0].label == "panel auc 95% CI lower limit > 0.75"
    assert plan.criteria[1].label == "panel calibration_slope: 95% CI contains 1"
    assert PlanSettings.from_params(as_params(plan)) == plan


def test_the_schema_offers_exactly_the_registered_metrics():
    schema = yaml.safe_load(SCHEMA.read_text())
    item = schema["properties"]["plan"]["properties"]["criteria"]["items"]["properties"]
    assert sorted(item["metric"]["enum"]) == sorted(CRITERION_METRICS)
    assert all(metric.description for metric in CRITERION_METRICS.values())


def test_a_criterion_is_about_the_panel_a_marker_or_a_split():
    panel = Criterion.from_params({"target": "panel", "metric": "auc", "op": ">", "value": 0.7})
    marker = Criterion.from_params({"target": "hsa-miR-1", "metric": "auc", "op": ">", "value": 0.7})
    split = Criterion.from_params(
        {
            "target": "hsa-miR-1",
            "endpoint": "OS",
            "metric": "hazard_ratio",
            "bound": "ci_low",
            "op": ">",
            "value": 1,
        }
    )
    assert (panel.kind, marker.kind, split.kind) == ("panel", "marker", "endpoint")
    assert split.label == "OS hsa-miR-1 hazard_ratio 95% CI lower limit > 1"
    assert Criterion.from_params(as_params(split)) == split


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        ({"target": "panel", "metric": "sensitivity", "op": ">", "value": 0.8}, "measured on a marker"),
        (
            {"target": "hsa-miR-1", "metric": "calibration_slope", "op": ">", "value": 0.8},
            "measured on a panel",
        ),
        ({"target": "hsa-miR-1", "metric": "hazard_ratio", "op": ">", "value": 1}, "measured on a endpoint"),
        (
            {"target": "panel", "metric": "brier", "op": "ci_contains", "value": 0.1},
            "has no confidence interval",
        ),
        ({"target": "panel", "metric": "brier", "bound": "ci_low", "op": "<", "value": 0.1}, "no confidence"),
        ({"target": "panel", "metric": "auc", "op": ">", "value": True}, "not a finite number"),
        ({"target": "panel", "metric": "f1", "op": ">", "value": 0.5}, "not a criterion metric"),
    ],
)
def test_a_criterion_its_target_cannot_have_is_refused(criterion, message):
    with pytest.raises(InputError, match=message) as error:
        Criterion.from_params(criterion, 3)
    assert "plan.criteria, item 3" in str(error.value)


def test_a_criterion_given_twice_is_refused():
    criterion = {"target": "panel", "metric": "auc", "op": ">", "value": 0.7}
    with pytest.raises(InputError, match="given twice"):
        PlanSettings.from_params(_plan(criteria=[criterion, dict(criterion)]))
