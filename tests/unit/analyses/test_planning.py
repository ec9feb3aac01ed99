"""mirflow.analyses.planning: the validation's sample-size table from what the lock and the
discovery tables anticipate (the panel's optimism-corrected C and linear predictor, each marker's
out-of-bag accuracy, each prognostic split), with the criterion that drives each target's n."""

from __future__ import annotations

import numpy as np
from conftest import ROOT
from snakemake.utils import validate

from mirflow.analyses import planning
from mirflow.settings import PlanSettings
from mirflow.stats import sample_size as ss

RNG = np.random.default_rng(3)
CASES = tuple(RNG.normal(2.0, 2.0, 18))
CONTROLS = tuple(RNG.normal(-2.0, 1.5, 20))
PANEL = planning.PanelInputs(0.9, "optimism-corrected AUC", CASES, CONTROLS, "apparent", 18 / 38)
MARKER = planning.MarkerInputs("hsa-miR-1", 0.9, 0.8, 1.0, "out-of-bag")
SPLIT = planning.SplitInputs("OS", "hsa-miR-1", 10, 8, 14, 4.0, "cases")


def settings(**changes) -> PlanSettings:
    config = {"plan": changes}
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))
    return PlanSettings.from_params(config["plan"])


def rows_of(rows, target):
    return {row["criterion"]: row for row in rows if row["target"] == target}


def test_the_panel_rows_are_rileys_criteria_at_the_discovery_prevalence():
    rows, prevalence = planning.sample_size_rows(settings(), 18, 20, PANEL, [], [])
    assert prevalence == 18 / 38
    expected = ss.riley_validation(18 / 38, 0.9, ss.EmpiricalLP(CASES + CONTROLS))
    panel = rows_of(rows, "panel")
    assert set(panel) == {"riley_oe", "riley_calibration_slope", "riley_cstatistic"}
    for criterion in expected.criteria:
        row = panel[criterion.criterion]
        assert row["n"] == criterion.n and row["fixes"] == "n"
        assert row["n_cases"] + row["n_controls"] == row["n"]
        assert row["n_cases"] == int(np.ceil(row["n"] * 18 / 38))
    assert [c for c, row in panel.items() if row["drives"]] == [expected.binding]
    assert "the discovery case fraction 18/38" in panel["riley_oe"]["assumptions"]
    assert "C 0.9 (optimism-corrected AUC)" in panel["riley_cstatistic"]["assumptions"]


def test_the_linear_predictor_follows_the_setting_and_the_prevalence():
    binormal, _ = planning.sample_size_rows(settings(linear_predictor="binormal"), 18, 20, PANEL, [], [])
    slope = rows_of(binormal, "panel")["riley_calibration_slope"]
    assert slope["n"] == ss.riley_validation(18 / 38, 0.9)["riley_calibration_slope"].n
    assert "binormal" in slope["assumptions"]
    shifted, prevalence = planning.sample_size_rows(settings(prevalence=0.2), 18, 20, PANEL, [], [])
    assert prevalence == 0.2
    row = rows_of(shifted, "panel")["riley_calibration_slope"]
    lp = ss.empirical_lp_at(CASES, CONTROLS, 0.2, 18 / 38)
    assert row["n"] == ss.riley_calibration_slope(lp).n and "reweighted" in row["assumptions"]


def test_a_net_benefit_threshold_adds_rileys_criterion_d():
    rows, _ = planning.sample_size_rows(settings(net_benefit_threshold=0.3), 18, 20, PANEL, [], [])
    row = rows_of(rows, "panel")["riley_net_benefit"]
    sensitivity = np.mean(np.asarray(CASES) >= np.log(0.3 / 0.7))
    specificity = np.mean(np.asarray(CONTROLS) < np.log(0.3 / 0.7))
    expected = ss.riley_net_benefit(18 / 38, sensitivity, specificity, 0.3)
    assert row["n"] == expected.n


def test_a_marker_gets_buderer_the_exact_count_at_1_the_auc_width_and_power():
    rows, _ = planning.sample_size_rows(settings(), 18, 20, None, [MARKER], [])
    marker = rows_of(rows, "hsa-miR-1")
    assert set(marker) == {
        "buderer_sensitivity",
        "exact_specificity",
        "hanley_mcneil_auc_width",
        "obuchowski_auc_power",
    }
    kappa = 20 / 18
    plan = ss.sens_spec_precision(0.8, 0.5, 18 / 38, half_width=0.1)
    assert marker["buderer_sensitivity"]["n"] == plan["buderer_sensitivity"].n
    assert marker["buderer_sensitivity"]["n_cases"] == plan["buderer_sensitivity"].events
    assert marker["buderer_sensitivity"]["fixes"] == "cases"
    exact = ss.exact_boundary("specificity", 18 / 38, half_width=0.1)
    assert marker["exact_specificity"]["n_controls"] == exact.non_events
    assert marker["hanley_mcneil_auc_width"]["n"] == ss.auc_precision(0.9, 0.1, kappa=kappa).n
    assert marker["obuchowski_auc_power"]["n"] == ss.auc_power(0.9, kappa=kappa).n
    assert sum(row["drives"] for row in marker.values()) == 1
    assert all(row["mirna"] == "hsa-miR-1" for row in marker.values())


def test_what_cannot_be_planned_for_says_why():
    weak = planning.MarkerInputs("hsa-miR-2", 0.45, None, 0.0, "out-of-bag")
    rows, _ = planning.sample_size_rows(settings(), 18, 20, None, [weak], [])
    marker = rows_of(rows, "hsa-miR-2")
    assert (
        marker["buderer_sensitivity"]["n"] is None
        and "no anticipated sensitivity" in marker["buderer_sensitivity"]["note"]
    )
    assert "strictly between 0 and 1" in marker["buderer_specificity"]["note"]
    assert "not above the null AUC" in marker["obuchowski_auc_power"]["note"]
    assert not any(row["drives"] for row in marker.values() if row["n"] is None)
    panel = rows_of(rows, "panel")
    assert panel["riley_validation"]["note"] == "no locked panel"


def test_a_split_gets_schoenfelds_events_at_its_discovery_proportion():
    rows, _ = planning.sample_size_rows(settings(), 18, 20, None, [], [SPLIT])
    row = rows_of(rows, "OS")["schoenfeld_events"]
    expected = ss.schoenfeld_events(4.0, 8 / 18, event_probability=14 / 18)
    assert (row["events"], row["n"], row["fixes"], row["drives"]) == (
        expected.events,
        expected.n,
        "events",
        True,
    )
    assert row["n_cases"] == row["n"] and "optimistic" in row["assumptions"]
    fixed, _ = planning.sample_size_rows(settings(hazard_ratio=2.0), 18, 20, None, [], [SPLIT])
    assert rows_of(fixed, "OS")["schoenfeld_events"]["events"] == ss.schoenfeld_events(2.0, 8 / 18).events
    empty = planning.SplitInputs("PFS", "hsa-miR-1", 0, 0, 0, None, "cases")
    none, _ = planning.sample_size_rows(settings(), 18, 20, None, [], [empty])
    assert rows_of(none, "PFS")["schoenfeld_events"]["note"] == "the discovery split has an empty stratum"


def test_requirements_are_the_driving_rows():
    rows, _ = planning.sample_size_rows(settings(), 18, 20, PANEL, [MARKER], [SPLIT])
    needed = planning.requirements(rows)
    assert [(r["type"], r["target"]) for r in needed] == [
        ("panel", "panel"),
        ("marker", "hsa-miR-1"),
        ("endpoint", "OS"),
    ]
    assert all(r["n"] == max(x["n"] for x in rows if x["target"] == r["target"] and x["n"]) for r in needed)
