"""mirflow.steps.records: the end of both reporting steps: the checklist's fill counts logged,
the checklist, the flow table and the flow diagram written."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses.reporting import flow as participants
from mirflow.io.sheet import contrast_labels
from mirflow.io.tables import read_tsv
from mirflow.settings import ContrastSettings
from mirflow.stats import qc
from mirflow.steps.records import write_records


def test_the_records_are_written_and_the_checklist_counted_in_the_log(tmp_path, caplog):
    contrast = ContrastSettings("group", "NEC", "healthy")
    samples = ["C1", "C2", "C3", "H1", "H2", "H3"]
    sheet = pd.DataFrame({"group": ["NEC"] * 3 + ["healthy"] * 3}, index=pd.Index(samples, name="sample"))
    labels = contrast_labels(sheet, contrast)
    metrics = pd.DataFrame(
        {"sample": samples, "library_size": [1e6, 1e3, 1e6, 1e6, 1e6, 1e6], "detected": 1000}
        | {"hemolysis_log2": 4.0}
    )
    qc_table = qc.exclusion_reasons(metrics, labels, 50_000, 7, {})
    unmatched = pd.DataFrame(columns=["sample", "reason"])
    flow = participants.participant_flow(participants.DISCOVERY, sheet, labels, qc_table, unmatched, contrast)
    table = pd.DataFrame({"item": ["a", "b", "c", "d"], "status": ["run", "run", "authors", "run + authors"]})
    out = {name: str(tmp_path / name) for name in ("checklist.tsv", "flow.tsv", "flow.png")}
    with caplog.at_level(logging.INFO):
        write_records("checklist (X)", table, flow, out["checklist.tsv"], out["flow.tsv"], [out["flow.png"]])
    assert "checklist (X): 2 items filled by the run, 1 partly, 1 left to the authors" in caplog.text
    pd.testing.assert_frame_equal(read_tsv(out["checklist.tsv"]), table)
    assert read_tsv(out["flow.tsv"]).shape[0] == flow.shape[0]
    assert (tmp_path / "flow.png").stat().st_size > 1000
