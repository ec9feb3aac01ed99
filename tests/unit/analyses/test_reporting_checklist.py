"""mirflow.analyses.reporting.checklist: the checklist's text of the participant flow (the
checklist of the demo's tables: tests/workflow/test_reporting.py)."""

from __future__ import annotations

import pandas as pd

from mirflow.analyses.reporting import checklist as reporting
from mirflow.analyses.reporting.guidelines import ITEMS, REMARK, STARD


def test_checklist_names_at_most_ten_excluded_samples_per_reason():
    flow = pd.DataFrame(
        {
            "cohort": "discovery",
            "stage": ["sample sheet", "excluded", "analysed"],
            "group": "NEC",
            "n": [30, 25, 5],
            "reason": ["", "library size < 50000", ""],
            "samples": ["", ", ".join(f"S{i}" for i in range(25)), ""],
        }
    )
    text = reporting._flow_text(flow)
    # mirflow.formatting.shown's list (before the refactor of 92e4d2f: "S9 ... (25 in all)")
    assert "library size < 50000: NEC 25 [S0, S1, S2, S3, S4, S5, S6, S7, S8, S9, ... (25 in all)]" in text


def test_every_item_of_the_guidelines_once():
    stard = [item for guideline, item, _, _ in ITEMS if guideline == STARD]
    remark = [item for guideline, item, _, _ in ITEMS if guideline == REMARK]
    assert len(stard) == 34 and len(remark) == 20
    assert len({(guideline, item) for guideline, item, _, _ in ITEMS}) == len(ITEMS) == 54
    assert all(len(description) > 10 for _, _, _, description in ITEMS)
