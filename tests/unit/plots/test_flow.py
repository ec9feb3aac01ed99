"""mirflow.plots.flow: the STARD-style participant flow diagram draws every box of the flow
table."""

from __future__ import annotations

import pandas as pd

from mirflow.analyses.reporting import flow as reporting
from mirflow.io.sheet import contrast_labels
from mirflow.plots.common import save
from mirflow.plots.flow import flow_diagram
from mirflow.settings import ContrastSettings
from mirflow.stats import qc

CONTRAST = ContrastSettings("group", "NEC", "healthy")


def _cohort() -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, pd.DataFrame]:
    """A small sheet (6 cases, 6 controls, one other group, one without a group), its QC
    table as the workflow makes it, and two count-table samples the sheet lacks."""
    samples = [f"C{i}" for i in range(1, 7)] + [f"H{i}" for i in range(1, 7)] + ["X1", "M1"]
    sheet = pd.DataFrame(
        {"group": ["NEC"] * 6 + ["healthy"] * 6 + ["other", None]}, index=pd.Index(samples, name="sample")
    )
    labels = contrast_labels(sheet, CONTRAST)
    metrics = pd.DataFrame(
        {
            "sample": samples,
            "library_size": [1e6] * 5 + [1000] + [1e6] * 3 + [3000, 1e6, 2000, 1e6, 1e6],
            "detected": 1000,
            "hemolysis_log2": [4.0] * 10 + [9.5] + [4.0] * 3,
        }
    )
    table = qc.exclusion_reasons(metrics, labels, 50_000, 7, {"C5": "sample swap"})
    unmatched = pd.DataFrame(
        {"sample": ["U1", "U2"], "reason": "in the count table, not in the sample sheet"}
    )
    return sheet, labels, table, unmatched


def test_flow_diagram_draws_every_box(tmp_path):
    sheet, labels, table, unmatched = _cohort()
    flow = pd.concat(
        [
            reporting.participant_flow(cohort, sheet, labels, table, unmatched, CONTRAST)
            for cohort in ("discovery", "validation")
        ],
        ignore_index=True,
    )
    figure = flow_diagram(flow)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "Discovery cohort" in texts and "Validation cohort" in texts
    assert sum("Excluded, n = 7" in t for t in texts) == 2
    assert sum(t == "NEC\nn = 4" for t in texts) == 2
    assert any("ignored: 2" in t for t in texts)
    save(figure, tmp_path / "flow.png", tmp_path / "flow.pdf")
    assert (tmp_path / "flow.png").stat().st_size > 10_000
