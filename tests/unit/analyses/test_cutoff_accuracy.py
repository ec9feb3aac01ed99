"""mirflow.analyses.cutoff_accuracy: the discovery cut-offs' out-of-bag bootstrap table (seeded,
per marker, in its direction) and the validation markers' likelihood ratios and partial AUC
(the statistics themselves: tests/unit/stats/test_cutoff_accuracy.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses.cutoff_accuracy import (
    ACCURACY_COLUMNS,
    BOOTSTRAP_COLUMNS,
    cutoff_bootstrap,
    marker_accuracy,
)
from mirflow.analyses.lock import LockedMarker
from mirflow.stats import cutoff_accuracy as stats

RNG = np.random.default_rng(11)
SAMPLES = [f"S{i}" for i in range(40)]
LABELS = pd.Series(["case"] * 18 + ["control"] * 22, index=SAMPLES)
VALUES = pd.DataFrame(
    {
        "hsa-miR-up": np.r_[RNG.normal(12, 2, 18), RNG.normal(8, 2, 22)],
        "hsa-miR-down": np.r_[RNG.normal(5, 1, 18), RNG.normal(7, 1, 22)],
        "hsa-miR-flat": np.full(40, 3.0),
    },
    index=SAMPLES,
).T
ROC = pd.DataFrame(
    {
        "mirna": ["hsa-miR-up", "hsa-miR-down", "hsa-miR-flat"],
        "direction": ["<", ">", "<"],
        "cutoff": [9.0, 6.0, math.nan],
    }
)


def test_the_bootstrap_is_seeded_per_marker_and_follows_its_direction():
    summary, resamples = cutoff_bootstrap(VALUES, LABELS, ROC, "youden", 200, 5)
    assert list(summary.columns) == BOOTSTRAP_COLUMNS and summary["mirna"].tolist() == ROC["mirna"].tolist()
    again, _ = cutoff_bootstrap(VALUES, LABELS, ROC.iloc[[1, 0, 2]], "youden", 200, 5)
    pd.testing.assert_frame_equal(
        summary.iloc[[1, 0, 2]].reset_index(drop=True), again
    )  # order does not matter
    up = summary.iloc[0]
    x, case = VALUES.loc["hsa-miR-up"].to_numpy(), (LABELS == "case").to_numpy()
    apparent = stats.out_of_bag_cutoffs(x, case, "<", 1, np.random.default_rng(0))
    assert up["cutoff"] == apparent.cutoff and up["stratified"] and up["n_failed"] == 0
    assert up["optimism_sensitivity"] == pytest.approx(
        up["sensitivity_in_bag"] - up["sensitivity_oob"], abs=0.05
    )
    assert summary.iloc[1]["direction"] == ">" and summary.iloc[1]["sensitivity_oob"] > 0.5
    assert summary.iloc[2]["reason"].startswith("no cut-off") and math.isnan(summary.iloc[2]["cutoff_median"])
    assert set(resamples["mirna"]) == {"hsa-miR-up", "hsa-miR-down"} and len(resamples) == 400
    other, _ = cutoff_bootstrap(VALUES, LABELS, ROC, "youden", 200, 6)
    assert not other.iloc[:2].equals(summary.iloc[:2])  # the seed draws the resamples


def test_the_accuracy_table_holds_likelihood_ratios_and_the_partial_auc():
    cells = {"tp": [15, math.nan], "fp": [0, math.nan], "tn": [22, math.nan], "fn": [3, math.nan]}
    markers = pd.DataFrame({"mirna": ["hsa-miR-up", "hsa-miR-flat"]} | cells)
    locked = [
        LockedMarker("hsa-miR-up", "<", 9.0, 0.9, 0.8, 0.9),
        LockedMarker("hsa-miR-flat", "<", None, 0.5, 0, 1),
    ]
    table = marker_accuracy(VALUES, LABELS, markers, locked, (0.8, 1.0), 300, 5)
    assert list(table.columns) == ACCURACY_COLUMNS
    up, flat = table.iloc[0], table.iloc[1]
    ratios = stats.likelihood_ratios(15, 0, 22, 3)
    assert math.isinf(up["lr_positive"]) and up["lr_positive_reason"] == ratios["lr_positive_reason"]
    assert (
        up["lr_negative"] == ratios["lr_negative"]
        and up["lr_negative_ci_low"] == ratios["lr_negative_ci_low"]
    )
    cases, controls = VALUES.loc["hsa-miR-up"].iloc[:18], VALUES.loc["hsa-miR-up"].iloc[18:]
    assert up["partial_auc"] == stats.partial_auc(cases, controls, "<", (0.8, 1.0))
    assert up["partial_auc_ci_low"] <= up["partial_auc"] <= up["partial_auc_ci_high"]
    assert (up["specificity_low"], up["specificity_high"], up["n_case"], up["n_control"]) == (
        0.8,
        1.0,
        18,
        22,
    )
    assert "no locked cut-off" in flat["reason"] and math.isnan(flat["lr_negative"])
    again = marker_accuracy(VALUES, LABELS, markers, locked, (0.8, 1.0), 300, 5)
    pd.testing.assert_frame_equal(table, again)
