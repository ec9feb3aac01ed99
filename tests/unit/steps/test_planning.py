"""mirflow.steps.planning's linear predictor of the locked panel on the discovery samples (markers
on the transformed scale, continuous covariates as scaled, codes, levels), and the overview's
first validation lines: the plan and each criterion's verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses.lock import LockedPanel, PanelTerm
from mirflow.steps.overview import plan_rows
from mirflow.steps.planning import apparent_linear_predictor


def test_the_apparent_linear_predictor_is_the_locked_formula():
    samples = ["A", "B", "C"]
    transformed = pd.DataFrame({"A": [1.0, 2.0], "B": [3.0, 0.5], "C": [2.0, 2.0]}, index=["m1", "m2"])
    covariates = pd.DataFrame(
        {"age": [0.5, -1.0, np.nan], "ecog": [0, 2, 1], "sex": ["F", "M", "M"]}, index=samples
    )
    panel = LockedPanel(
        "Firth logistic",
        ("m1", "m2"),
        ("age", "ecog", "sex"),
        -1.0,
        (
            PanelTerm("m1", 2.0, "marker"),
            PanelTerm("m2", -1.0, "marker"),
            PanelTerm("age", 0.5, "continuous", "age"),
            PanelTerm("ecog", 0.25, "code", "ecog"),
            PanelTerm("sex_M", 1.5, "level", "sex", "M"),
        ),
        None,
        None,
    )
    lp = apparent_linear_predictor(transformed, covariates, panel)
    assert lp.index.tolist() == ["A", "B"]  # C misses its age
    assert lp["A"] == pytest.approx(-1 + 2 * 1 - 1 * 2 + 0.5 * 0.5 + 0.25 * 0 + 0)
    assert lp["B"] == pytest.approx(-1 + 2 * 3 - 1 * 0.5 + 0.5 * -1 + 0.25 * 2 + 1.5)


def test_the_overview_opens_the_validation_with_the_verdicts():
    criteria = pd.DataFrame(
        {
            "criterion": [
                "panel auc 95% CI lower limit > 0.75",
                "panel calibration_slope: 95% CI contains 1",
            ],
            "estimate": [0.8875, 0.647],
            "ci_low": [0.804, 0.354],
            "ci_high": [0.971, 0.941],
            "verdict": ["PASS", "FAIL"],
            "role": ["primary", "primary"],
            "note": ["ci_low 0.804 > 0.75: met", "95% CI 0.354 to 0.941 does not contain 1"],
        }
    )
    deviations = pd.DataFrame({"item": ["panel: riley_oe"]})
    rows = plan_rows(criteria, deviations, {"content_sha256": "f" * 64}, "results/plan/analysis_plan.json")
    assert rows[0]["item"] == "analysis plan"
    assert rows[0]["value"] == (
        "results/plan/analysis_plan.json (content_sha256 ffffffffffff): primary 1 of 2 PASS (not all met)"
    )
    assert rows[1] == {
        "section": "validation",
        "item": "criterion: panel auc 95% CI lower limit > 0.75",
        "value": "PASS (primary): 0.887 (0.804 to 0.971); ci_low 0.804 > 0.75: met",
    }
    assert rows[2]["value"].startswith("FAIL (primary)") and rows[3]["item"] == "deviations from the plan"
    none = plan_rows(criteria.iloc[[]], deviations.iloc[[]], None, None)
    assert len(none) == 1 and "NOT pre-specified" in none[0]["value"]
