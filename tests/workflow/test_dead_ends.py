"""Analytic dead ends through the workflow (issue 10): when the data leave nothing to
analyse (no candidates, a panel the data cannot support, an endpoint without events), the
stage writes its tables with NA values and a reason, the overview says why and the run
succeeds; a filter that keeps no miRNA is one input error. (Each dead end's tables and
figures: tests/unit/analyses, plots and steps.)"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import yaml
from conftest import ROOT, demo_config, run_workflow

from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_tsv, write_tsv

SPEC_PANEL = ["markers", "auc_cv", "auc_cv_sd", "n_repeats", "n_folds"]
NO_CANDIDATES = {"alpha": 1e-300, "min_log2_fold_change": 1, "screen": "unadjusted"}


def _overview(workdir) -> pd.Series:
    return read_tsv(workdir / "results/overview.tsv").set_index("item")["value"]


def test_workflow_without_candidates_succeeds_and_says_why(tmp_path, snakefile):
    # without the demo's validation plan, whose criteria name the panel (see the next test)
    config = demo_config(tmp_path, de=NO_CANDIDATES, plan=None)
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    results = tmp_path / "results"
    for name in ("de/candidates.tsv", "de/table4.tsv", "diagnostic/logistic.tsv", "diagnostic/markers.tsv"):
        table = read_tsv(results / name)
        assert table.empty and "mirna" in table.columns, name
    for name in ("diagnostic/roc.tsv", "prognostic/km.tsv", "prognostic/cox.tsv", "prognostic/cutoffs.tsv"):
        table = read_tsv(results / name)
        assert table.empty and "mirna" in table.columns, name
    panel = read_tsv(results / "diagnostic/panel.tsv")
    assert len(panel) == 1 and panel["auc_cv"].isna().all() and panel["reason"].tolist() == ["no markers"]
    overview_values = _overview(tmp_path)
    assert overview_values["candidates"].startswith("0: no candidates at padj < alpha")
    assert overview_values["candidates"].endswith("(so no markers, no ROC, no panel, no prognosis)")
    assert overview_values["panel"] == "panel not fitted: no markers"
    assert (results / "figures/diag_panel_roc.png").exists()


def test_a_dead_end_with_a_validation_plan_on_the_panel_succeeds(tmp_path, snakefile):
    """The demo's plan names the panel and markers; a dead end locks none of them: the plan
    keeps each criterion with why it cannot be evaluated, and the validation counts it as not
    met (FAIL), saying why."""
    config = demo_config(tmp_path, de=NO_CANDIDATES)
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    plan = json.loads((tmp_path / "results/plan/analysis_plan.json").read_text())
    assert plan["criteria"] and all("not_evaluable" in c for c in plan["criteria"])
    criteria = read_tsv(tmp_path / "results/validation/criteria.tsv")
    assert set(criteria["verdict"]) == {"FAIL"}


def test_workflow_with_too_many_markers_and_an_endpoint_without_events(tmp_path, snakefile):
    """Ten configured markers for 18 cases (1.8 per predictor) and an endpoint whose
    event column is 0 for every patient: panel and prognosis say why, exit 0."""
    sheet = read_sample_sheet(ROOT / "config/samples.tsv").reset_index()
    sheet["no_event"] = np.where(sheet["os_event"].notna(), 0, np.nan)
    write_tsv(sheet, tmp_path / "samples.tsv")
    markers = [
        "hsa-miR-1290",
        "hsa-miR-320c",
        "hsa-miR-1246",
        "hsa-miR-375-3p",
        "hsa-miR-1224-5p",
        "hsa-miR-320b",
        "hsa-miR-4488",
        "hsa-miR-483-5p",
        "hsa-miR-200b-3p",
        "hsa-miR-210-3p",
    ]
    survival = yaml.safe_load((snakefile.parents[1] / "config/config.yaml").read_text())["survival"]
    survival["endpoints"] = {
        "PFS": survival["endpoints"]["PFS"],
        "NOEV": {"time": "os_months", "event": "no_event", "landmark": 6},
    }
    survival["n_permutations"] = 200
    config = demo_config(tmp_path, markers=markers, survival=survival, plan=None)
    config.write_text(
        config.read_text().replace(str(ROOT / "config/samples.tsv"), str(tmp_path / "samples.tsv"))
    )
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    results = tmp_path / "results"
    panel = read_tsv(results / "diagnostic/panel.tsv")
    assert panel.columns.tolist()[: len(SPEC_PANEL)] == SPEC_PANEL and panel.columns[-1] == "reason"
    reason = "10 predictors for 18 samples in the smaller group (1.8 per predictor, fewer than 2)"
    assert panel["reason"].tolist() == [reason]
    assert panel[["auc_cv", "auc_cv_sd", "auc_apparent"]].isna().all().all()
    values = _overview(tmp_path)
    assert values["panel"] == f"panel not fitted: {reason}"
    km = read_tsv(results / "prognostic/km.tsv")
    noev = km[km["endpoint"] == "NOEV"]
    assert len(noev) == len(markers) and noev["stratum"].isna().all()
    assert (noev["reason"] == "no NOEV events among the 18 patients").all()
    assert km.loc[km["endpoint"] == "PFS", "stratum"].notna().all()
    cox = read_tsv(results / "prognostic/cox.tsv")
    assert cox.loc[cox["endpoint"] == "NOEV", "hazard_ratio"].isna().all()
    overview_table = read_tsv(results / "overview.tsv")
    noev_rows = overview_table[overview_table["section"] == "prognosis: NOEV"]
    assert (noev_rows["value"] == "not stratified: no NOEV events among the 18 patients").all()
    assert len(noev_rows) == len(markers)


def test_workflow_filter_keeping_nothing_stops_with_one_message(tmp_path, snakefile):
    config = demo_config(tmp_path, filter={"min_count": 1_000_000, "min_fraction": 0.5})
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "input error" in line]
    assert len(errors) == 1, result.stderr[-3000:]
    assert (
        "no miRNA has >= 1000000 counts in >= 9 samples (filter.min_count, filter.min_fraction" in errors[0]
    )
    assert "the largest count is" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "results/counts/normalised.tsv").exists()
