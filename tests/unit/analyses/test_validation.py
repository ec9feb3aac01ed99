"""mirflow.analyses.validation: the locked markers' table on a new cohort (the statistics
themselves against R: tests/unit/stats/test_validation.py); a marker with the same value in
every sample (never detected) is reported with the reason, not as a plain AUC of 0.5."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from mirflow.analyses import validation
from mirflow.analyses.lock import LockedMarker, LockedPanel
from mirflow.groups import CASE, CONTROL

SAMPLES = [f"S{i}" for i in range(8)]
LABELS = pd.Series([CASE] * 4 + [CONTROL] * 4, index=SAMPLES)


def _markers() -> list[LockedMarker]:
    return [
        LockedMarker("hsa-miR-1", "<", 5.0, 0.9, 0.8, 0.8),
        LockedMarker("hsa-miR-2", "<", 3.0, 0.8, 0.7, 0.9),
        LockedMarker("hsa-miR-3", "<", None, 0.5, None, None),
    ]


def test_a_marker_never_detected_in_the_new_cohort_is_said_so(caplog):
    values = pd.DataFrame(
        [[9.0, 8.0, 7.0, 4.0, 1.0, 2.0, 6.0, 3.0], [0.0] * 8, [2.0] * 8],
        index=["hsa-miR-1", "hsa-miR-2", "hsa-miR-3"],
        columns=SAMPLES,
    )
    with caplog.at_level(logging.WARNING):
        table = validation.marker_table(values, LABELS, _markers(), None).set_index("mirna")
    assert table.loc["hsa-miR-1", "reason"] == ""
    assert table.loc["hsa-miR-1", "auc"] == pytest.approx(15 / 16)
    assert (table.loc["hsa-miR-1", ["tp", "fn", "fp", "tn"]].tolist()) == [3, 1, 1, 3]
    never = table.loc["hsa-miR-2"]
    assert never["reason"].startswith("the same value (0) in all 8 samples (never detected): the AUC of 0.5")
    assert never["auc"] == 0.5 and never["sensitivity"] == 0  # still reported, with the reason
    assert "hsa-miR-2: the same value (0) in all 8 samples (never detected)" in caplog.text
    # without a locked cut-off and constant here too: both reasons
    both = table.loc["hsa-miR-3", "reason"]
    assert both.startswith("no locked cut-off (the marker did not vary in discovery); the same value (2)")
    assert "never detected" not in both and np.isnan(table.loc["hsa-miR-3", "sensitivity"])


def test_a_panel_covariate_on_another_scale_is_said_beside_the_panels_estimates():
    """Ages in months scored by a panel locked on years: the predictions are wrong without any
    error, so panel.tsv's reason carries the covariate check (the sweep's V12)."""
    panel = LockedPanel("firth", ("hsa-miR-1",), ("age",), -1.0, (), 0.8, 0.85)
    model = SimpleNamespace(panel=panel, markers=_markers())
    predictions = pd.DataFrame(
        {"outcome": [1, 1, 1, 0, 0, 0], "predicted_probability": [0.9, 0.8, 0.3, 0.4, 0.2, 0.1]}
    )
    note = "covariate age: the median 541.8 is more than 5 locked SDs from the locked mean 46.99"
    row = validation.panel_row(model, predictions, 0, [note]).iloc[0]
    assert row["auc"] == pytest.approx(8 / 9) and row["reason"].endswith(note)
    assert note not in str(validation.panel_row(model, predictions).iloc[0]["reason"])
    one_group = predictions.assign(outcome=1)
    reason = validation.panel_row(model, one_group, 2, [note]).iloc[0]["reason"]
    assert reason.startswith("the locked panel scored 6 case(s) and 0 control(s)") and reason.endswith(note)
