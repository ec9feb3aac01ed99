"""Reporting on the demo's tables (SPEC stage 8; issue 11, item 4): the checklist lists every
STARD 2015 and REMARK item once, fills what the run knows (naming where from) and says which
cut-offs are pre-specified and which data-derived; without a validation cohort it leaves the
validation items to the authors. (The flow and its diagram on small tables:
tests/unit/analyses/test_reporting_flow.py, tests/unit/plots/test_flow.py.)"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mirflow.analyses.reporting import checklist as reporting
from mirflow.io.tables import read_tsv
from mirflow.settings import ContrastSettings, resolve
from mirflow.steps.lock import read_model
from mirflow.steps.reporting import run_reporting

CONTRAST = ContrastSettings("group", "NEC", "healthy")

STARD_ITEMS = [str(i) for i in range(1, 10)] + ["10a", "10b", "11", "12a", "12b", "13a", "13b"]
STARD_ITEMS += [str(i) for i in range(14, 21)] + ["21a", "21b"] + [str(i) for i in range(22, 31)]
REMARK_ITEMS = [str(i) for i in range(1, 21)]
# What each run fills (beyond what the authors add), for both kinds of run.
FILLED = {
    ("STARD 2015", "10a"),
    ("STARD 2015", "10b"),
    ("STARD 2015", "12a"),
    ("STARD 2015", "12b"),
    ("STARD 2015", "14"),
    ("STARD 2015", "15"),
    ("STARD 2015", "16"),
    ("STARD 2015", "19"),
    ("STARD 2015", "23"),
    ("STARD 2015", "24"),
    ("REMARK", "7"),
    ("REMARK", "10"),
    ("REMARK", "11"),
    ("REMARK", "12"),
    ("REMARK", "15"),
}
DISCOVERY_FILES = {
    "unmatched": "counts/unmatched_samples.tsv",
    "qc": "qc/samples.tsv",
    "characteristics": "cohort/characteristics.tsv",
    "wilcoxon": "de/wilcoxon.tsv",
    "candidates": "de/candidates.tsv",
    "table4": "de/table4.tsv",
    "logistic": "diagnostic/logistic.tsv",
    "markers": "diagnostic/markers.tsv",
    "roc": "diagnostic/roc.tsv",
    "panel": "diagnostic/panel.tsv",
    "cutoffs": "prognostic/cutoffs.tsv",
    "km": "prognostic/km.tsv",
    "cox": "prognostic/cox.tsv",
}
VALIDATION_FILES = {
    "validation_unmatched": "validation/counts/unmatched_samples.tsv",
    "validation_qc": "validation/qc/samples.tsv",
    "validation_markers": "validation/markers.tsv",
    "validation_panel": "validation/panel.tsv",
    "validation_km": "validation/km.tsv",
}


# ---- the checklist on the demo's tables --------------------------------------------------------


def _settings(results: Path) -> reporting.ReportingSettings:
    config = resolve(yaml.safe_load((results.parent / "config.yaml").read_text()))
    return reporting.ReportingSettings(
        **{
            name: getattr(config, name)
            for name in ("contrast", "counts", "covariates", "qc", "normalisation")
        },
        **{name: getattr(config, name) for name in ("de", "roc", "panel", "survival")},
        prevalence=config.validation.prevalence if config.validation else None,
    )


def _flow(results: Path, validation: bool) -> pd.DataFrame:
    """The demo run's flow table (its discovery part only, without ``validation``)."""
    flow = pd.read_csv(results / "reporting/flow.tsv", sep="\t", keep_default_na=False)
    return flow if validation else flow[flow["cohort"] == "discovery"]


def _checklist(results: Path, validation: bool) -> pd.DataFrame:
    """The checklist of the demo's tables, as a discovery-only run or with the validation."""
    files = DISCOVERY_FILES | (VALIDATION_FILES if validation else {})
    paths = {name: str(results / path) for name, path in files.items()}
    tables = {name: read_tsv(path) for name, path in paths.items()}
    lock_path = str(results / "model/locked_model.json")
    lock = read_model(lock_path)
    flow = _flow(results, validation)
    paths |= {"samples": "samples.tsv", "flow": "flow.tsv", "figure": "flow.png", "lock": lock_path}
    return reporting.checklist(
        reporting.RunTables(tables, paths), _settings(results), flow, None, lock, lock if validation else None
    )


@pytest.mark.parametrize("validation", [False, True], ids=["discovery only", "with validation"])
def test_every_item_once_with_the_guidelines_numbering(demo, validation):
    table = _checklist(demo, validation)
    assert table.columns.tolist()[:5] == ["guideline", "item", "description", "value", "source"]
    assert table.loc[table["guideline"] == "STARD 2015", "item"].tolist() == STARD_ITEMS
    assert table.loc[table["guideline"] == "REMARK", "item"].tolist() == REMARK_ITEMS
    assert len(STARD_ITEMS) == 34 and not table.duplicated(["guideline", "item"]).any()
    assert table["description"].str.len().min() > 10 and table["value"].str.len().min() > 10
    authors = table["value"] == reporting.AUTHORS
    assert (table.loc[authors, "source"] == "").all() and (table.loc[~authors, "source"] != "").all()
    assert (table.loc[authors, "status"] == "authors").all()
    filled = set(zip(table.loc[~authors, "guideline"], table.loc[~authors, "item"], strict=True))
    assert FILLED <= filled, FILLED - filled


def test_values_are_the_runs_own(demo):
    table = _checklist(demo, validation=False).set_index(["guideline", "item"])
    value = table["value"]
    assert "39 samples in the sheet (NEC 18, healthy 21)" in value[("STARD 2015", "19")]
    assert "hemolysed: log2 ratio > 7: healthy 1 [HD05]" in value[("STARD 2015", "19")]
    assert "analysed NEC 18, healthy 20" in value[("STARD 2015", "19")]
    roc = read_tsv(demo / "diagnostic/roc.tsv").set_index("mirna")
    cutoff = roc.loc["hsa-miR-1290", "cutoff"]
    assert f"hsa-miR-1290 >= {cutoff:.6g}" in value[("STARD 2015", "10a")]
    assert "column 'group'" in value[("STARD 2015", "10b")]
    # 2x2 tables from sensitivity, specificity and group sizes; exact CIs beside the AUC's
    assert f"hsa-miR-1290 >= {cutoff:.6g}: TP 16, FN 2, FP 1, TN 19" in value[("STARD 2015", "23")]
    auc = roc.loc["hsa-miR-1290"]
    assert f"AUC {auc['auc']:.3f} (95% CI {auc['auc_ci_low']:.3f} to 1.000)" in value[("STARD 2015", "24")]
    assert "sensitivity 0.889 (95% CI 0.653 to 0.986)" in value[("STARD 2015", "24")]  # binom.test(16, 18)
    assert "complete cases per model (logistic models: n = 38 of 38 analysed)" in value[("STARD 2015", "16")]
    assert "DeLong" in value[("STARD 2015", "14")] and "Firth" in value[("REMARK", "10")]
    assert "PFS: time 'pfs_months', event 'pfs_event'" in value[("REMARK", "7")]
    assert re.search(r"PFS hsa-miR-1290 split at [\d.]+: HR high vs low", value[("REMARK", "15")])
    assert table.loc[("STARD 2015", "23"), "source"].endswith("diagnostic/roc.tsv")
    assert table.loc[("STARD 2015", "28"), "value"] == reporting.AUTHORS


def test_discovery_cutoffs_are_data_derived_and_validation_is_left_to_the_authors(demo):
    value = _checklist(demo, validation=False).set_index(["guideline", "item"])["value"]
    assert value[("STARD 2015", "12a")].startswith("discovery: data-derived (exploratory)")
    assert "pre-specified" not in value[("STARD 2015", "12a")].replace("a pre-specified cut-off tested", "")
    for item in ("12a", "20", "23", "24"):
        assert "validation: no validation cohort in this run" in value[("STARD 2015", item)], item
        assert reporting.AUTHORS in value[("STARD 2015", item)], item


def test_validation_cutoffs_are_pre_specified(demo):
    table = _checklist(demo, validation=True).set_index(["guideline", "item"])
    value = table["value"]
    assert "validation: pre-specified: the cut-offs locked in" in value[("STARD 2015", "12a")]
    assert "no validation cohort" not in " ".join(value)
    markers = read_tsv(demo / "validation/markers.tsv").set_index("mirna")
    row = markers.loc["hsa-miR-1290"]
    cells = ", ".join(f"{c.upper()} {int(row[c])}" for c in ("tp", "fn", "fp", "tn"))
    assert (
        f"hsa-miR-1290 >= {row['cutoff']:.6g}: {cells}"
        in value[("STARD 2015", "23")].split("validation: ")[1]
    )
    assert "locked panel: AUC" in value[("STARD 2015", "24")]
    assert table.loc[("STARD 2015", "23"), "source"].endswith("validation/markers.tsv")


def test_no_markers_and_no_endpoints_still_give_every_item(demo):
    files = {k: v for k, v in DISCOVERY_FILES.items() if k not in reporting.PROGNOSTIC_TABLES}
    tables = {name: read_tsv(demo / path) for name, path in files.items()}
    for name in ("markers", "roc", "candidates"):
        tables[name] = tables[name].iloc[0:0]
    tables["panel"] = tables["panel"].assign(auc_cv=np.nan, reason="no markers")
    settings = _settings(demo)
    settings = replace(settings, survival=replace(settings.survival, endpoints={}))
    flow = _flow(demo, validation=False)
    paths = {name: name for name in [*files, "samples", "flow", "figure", "lock"]}
    lock = replace(read_model(demo / "model/locked_model.json"), path="lock.json", content_sha256="0" * 64)
    table = reporting.checklist(reporting.RunTables(tables, paths), settings, flow, None, lock)
    value = table.set_index(["guideline", "item"])["value"]
    assert len(table) == 54
    assert "no markers" in value[("STARD 2015", "10a")] and "no markers" in value[("STARD 2015", "24")]
    assert value[("REMARK", "15")].startswith("no prognostic endpoints in this run")
    assert value[("REMARK", "6")] == reporting.AUTHORS


# ---- the rule's outputs -------------------------------------------------------------------------


def test_demo_run_writes_the_checklist_flow_and_figure(demo):
    checklist = read_tsv(demo / "reporting/checklist.tsv")
    assert checklist.columns.tolist()[:5] == ["guideline", "item", "description", "value", "source"]
    assert len(checklist) == 54
    flow = read_tsv(demo / "reporting/flow.tsv")
    assert flow.columns.tolist()[:5] == ["cohort", "stage", "group", "n", "reason"]
    for cohort, qc_path in (("discovery", "qc/samples.tsv"), ("validation", "validation/qc/samples.tsv")):
        table = read_tsv(demo / qc_path)
        rows = flow[flow["cohort"] == cohort]
        assert rows.loc[rows["stage"] == "sample sheet", "n"].sum() == len(table)
        assert rows.loc[rows["stage"] == "analysed", "n"].sum() == (~table["excluded"]).sum()
    assert "pre-specified" in checklist.set_index("item").loc["12a", "value"]
    for ext in ("png", "pdf"):
        assert (demo / f"figures/report_flow.{ext}").stat().st_size > 10_000


def test_step_without_validation(demo, tmp_path):
    """The rule's step for a discovery-only run (the demo's tables, no validation inputs)."""
    settings = _settings(demo)
    out = tmp_path / "reporting"
    run_reporting(
        settings,
        str(Path(yaml.safe_load((demo.parent / "config.yaml").read_text())["samples"])),
        {name: str(demo / path) for name, path in DISCOVERY_FILES.items()},
        str(demo / "model/locked_model.json"),
        None,
        None,
        str(out / "checklist.tsv"),
        str(out / "flow.tsv"),
        [str(tmp_path / "flow.png"), str(tmp_path / "flow.pdf")],
    )
    flow = read_tsv(out / "flow.tsv")
    assert flow["cohort"].unique().tolist() == ["discovery"]
    value = read_tsv(out / "checklist.tsv").set_index(["guideline", "item"])["value"]
    assert "validation: no validation cohort in this run" in value[("STARD 2015", "12a")]
    assert "PFS: median follow-up" in value[("REMARK", "6")]
    assert (tmp_path / "flow.png").stat().st_size > 10_000
