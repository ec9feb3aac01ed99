"""mirflow.analyses.reporting.flow: the participant flow adds up per group and carries the
exclusion reasons; the follow-up is the reverse Kaplan-Meier median (SPEC stage 8; issue 11,
item 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.analyses.reporting import flow as reporting
from mirflow.io.sheet import contrast_labels
from mirflow.settings import ContrastSettings, EndpointSettings, SurvivalSettings
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


def test_flow_adds_up_per_group_and_carries_the_reasons():
    sheet, labels, table, unmatched = _cohort()
    flow = reporting.participant_flow("discovery", sheet, labels, table, unmatched, CONTRAST)
    assert flow.columns.tolist() == reporting.FLOW_COLUMNS
    assert flow["stage"].unique().tolist() == ["count table only", "sample sheet", "excluded", "analysed"]
    totals = flow.groupby(["stage", "group"], sort=False)["n"].sum()
    assert totals["sample sheet"].to_dict() == {"NEC": 6, "healthy": 6, "other": 1, "(missing)": 1}
    assert totals["analysed"].to_dict() == {"NEC": 4, "healthy": 3}
    for group, n in totals["sample sheet"].items():
        assert n == totals["excluded"].get(group, 0) + totals["analysed"].get(group, 0), group
    excluded = flow[flow["stage"] == "excluded"].set_index(["group", "reason"])
    # samples excluded by the same rule are counted together, whatever their own values
    assert excluded.loc[("healthy", "library size < 50000"), ["n", "samples"]].tolist() == [2, "H4, H6"]
    assert excluded.loc[("healthy", "hemolysed: log2 ratio > 7"), "samples"] == "H5"
    assert excluded.loc[("NEC", "library size < 50000"), "samples"] == "C6"
    assert excluded.loc[("NEC", "excluded in config: sample swap"), "samples"] == "C5"
    assert excluded.loc[("other", "not in contrast"), "samples"] == "X1"
    assert excluded.loc[("(missing)", "not in contrast"), "samples"] == "M1"
    ignored = flow[flow["stage"] == "count table only"].iloc[0]
    assert (ignored["n"], ignored["samples"]) == (2, "U1, U2")
    assert ignored["reason"] == "in the count table, not in the sample sheet (ignored)"


def test_reason_category_drops_the_samples_own_values_only():
    assert reporting.reason_category("library size 1234 < 50000") == "library size < 50000"
    assert reporting.reason_category("library size 0") == "library size 0"
    assert (
        reporting.reason_category("not in contrast; hemolysed: log2 ratio 10.17 > 7")
        == "not in contrast; hemolysed: log2 ratio > 7"
    )
    assert reporting.reason_category("excluded in config: size 12 < 3") == "excluded in config: size 12 < 3"


def test_follow_up_is_the_reverse_kaplan_meier_median():
    sheet = pd.DataFrame(
        {"os_months": [1, 2, 3, 4, 5, np.nan, 9], "os_event": [1, 0, 1, 0, 0, 1, 0]},
        index=pd.Index(["a", "b", "c", "d", "e", "f", "g"], name="sample"),
    )
    labels = pd.Series(["case"] * 6 + ["control"], index=sheet.index)
    endpoints = {"OS": EndpointSettings("os_months", "os_event", 6)}
    survival = SurvivalSettings("log-log", "landmark_roc", "cases", endpoints, (), 10)
    table = reporting.follow_up(sheet, labels, survival)
    row = table.iloc[0]
    # censorings at 2, 4, 5 are the reverse curve's events: S(2) = 3/4, S(4) = 3/8 -> median 4
    assert (row["patients"], row["missing"], row["events"]) == (6, 1, 2)
    assert row["median_follow_up"] == 4 and row["max_follow_up"] == 5
