"""Plan the validation before it is run (SPEC stage 9; issue 20): the demo run makes
results/plan/ from its lock (the sample size per target and criterion, and the sealed analysis
plan), evaluates the bundled validation cohort against it (PASS/FAIL per criterion, deviations,
the overview's first validation lines), and refuses a plan changed after it was sealed, naming
the plan and the fix; a validation-only run writes its STARD 2015 / TRIPOD+AI checklist.

The statistics and tables themselves: tests/unit/analyses/test_planning.py, test_criteria.py,
test_analysis_plan.py, test_validation_checklist.py, tests/unit/core/test_sealing.py."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from conftest import ROOT, copy_run, demo_config, run_workflow, scheduled

from mirflow import sealing
from mirflow.io.tables import read_tsv

PLAN = "results/plan/analysis_plan.json"
SHEET = ROOT / "config/validation_samples.tsv"
WORKBOOK = ROOT / "resources/demo/validation_geneglobe.xlsx"


@pytest.fixture(scope="module")
def plan(demo) -> dict:
    return json.loads((demo / "plan/analysis_plan.json").read_text())


def test_the_demo_plans_its_validation_from_its_lock(demo, plan):
    table = read_tsv(demo / "plan/sample_size.tsv")
    assert {"target", "criterion", "assumptions", "n", "n_cases", "n_controls", "events", "drives"} <= set(
        table.columns
    )
    # one driving criterion per target: the panel, each locked marker, each prognostic split
    lock = json.loads((demo / "model/locked_model.json").read_text())
    markers = [m["mirna"] for m in lock["markers"]]
    drivers = table[table["drives"]]
    assert drivers.loc[drivers["type"] == "panel", "criterion"].tolist() == ["riley_calibration_slope"]
    assert sorted(drivers.loc[drivers["type"] == "marker", "target"]) == sorted(markers)
    assert len(drivers[drivers["type"] == "endpoint"]) == 2 * len(markers)  # PFS and OS x each marker
    panel = table[table["type"] == "panel"].set_index("criterion")
    assert set(panel.index) == {"riley_oe", "riley_calibration_slope", "riley_cstatistic"}
    # the anticipated C is the optimism-corrected AUC, not the apparent one
    corrected = read_tsv(demo / "diagnostic/panel.tsv")["auc_corrected"].iloc[0]
    assert (
        f"C {corrected:.4g} (the panel's optimism-corrected AUC"
        in panel.loc["riley_cstatistic", "assumptions"]
    )
    assert "the discovery case fraction 18/38" in panel.loc["riley_oe", "assumptions"]
    # the sealed plan: the lock's hash, the criteria, the sample size, its own hash
    assert plan["lock"]["content_sha256"] == lock["content_sha256"]
    assert plan["content_sha256"] == sealing.content_sha256(plan)
    assert len(plan["criteria"]) == len(
        yaml.safe_load((ROOT / "config/config.yaml").read_text())["plan"]["criteria"]
    )
    assert len(plan["sample_size"]) == len(table) and plan["requirements"]
    assert (demo / "plan/analysis_plan.json").read_text() == sealing.dumps(plan)  # canonical, sorted keys
    bootstrap = read_tsv(demo / "diagnostic/cutoff_bootstrap.tsv")
    assert bootstrap["mirna"].tolist() == markers and (bootstrap["n_bootstrap"] == 1000).all()


def test_the_validation_is_evaluated_against_the_plan(demo, plan):
    criteria = read_tsv(demo / "validation/criteria.tsv")
    assert {"criterion", "target", "estimate", "ci_low", "ci_high", "verdict", "note"} <= set(
        criteria.columns
    )
    assert criteria["criterion"].tolist() == [c["label"] for c in plan["criteria"]]
    assert set(criteria["verdict"]) == {"PASS", "FAIL"}  # the demo's example has both
    slope = criteria.set_index("criterion").loc["panel calibration_slope: 95% CI contains 1"]
    assert slope["verdict"] == "FAIL" and slope["ci_high"] < 1  # the overfit panel, as discovery warned
    deviations = read_tsv(demo / "validation/deviations.tsv")
    assert {"kind", "item", "planned", "observed", "effect"} <= set(deviations.columns)
    assert "samples failing the locked QC" in deviations["item"].tolist()  # the hemolysed donor
    assert "panel: riley_calibration_slope" in deviations["item"].tolist()  # 80 < the planned n
    accuracy = read_tsv(demo / "validation/marker_accuracy.tsv")
    assert {"lr_positive", "lr_negative_ci_low", "partial_auc", "partial_auc_ci_high"} <= set(
        accuracy.columns
    )
    # the overview's first validation lines are the plan and its verdicts
    overview = read_tsv(demo / "overview.tsv")
    validation = overview[overview["section"] == "validation"]
    assert validation["item"].iloc[0] == "analysis plan"
    assert validation["value"].iloc[0].startswith(f"{PLAN} (content_sha256 {plan['content_sha256'][:12]})")
    verdicts = validation["item"].iloc[1 : 1 + len(criteria)].tolist()
    assert verdicts == [f"criterion: {c}" for c in criteria["criterion"]]
    assert (
        "is evaluated against the analysis plan sealed with it"
        in (demo / "report/front_page.rst").read_text()
    )


def test_the_plan_is_deterministic(demo_run, snakefile, tmp_path):
    study = copy_run(demo_run, tmp_path / "study")
    before = {name: (study / name).read_bytes() for name in ("results/plan/sample_size.tsv", PLAN)}
    before["cutoffs"] = (study / "results/diagnostic/cutoff_bootstrap.tsv").read_bytes()
    rules = ("cutoff_bootstrap", "sample_size", "analysis_plan")
    result = run_workflow(study, "--forcerun", *rules, snakefile=snakefile, configfile=study / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (study / "results/diagnostic/cutoff_bootstrap.tsv").read_bytes() == before.pop("cutoffs")
    assert {name: (study / name).read_bytes() for name in before} == before


def _one_error(result) -> str:
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return errors[0]


def test_a_criterion_changed_after_sealing_is_refused_naming_the_plan_and_the_fix(
    demo_run, snakefile, tmp_path
):
    study = copy_run(demo_run, tmp_path / "study")
    sealed = study / PLAN
    sealed.write_text(sealed.read_text().replace('"value": 0.75', '"value": 0.7', 1))
    message = _one_error(run_workflow(study, "-n", snakefile=snakefile, configfile=study / "config.yaml"))
    assert f"{PLAN} (validation.plan): was changed after it was sealed" in message
    assert "Fix: restore the file exactly as the plan rule sealed it (snakemake plan)" in message


def test_a_plan_section_changed_after_the_validation_is_refused(demo_run, snakefile, tmp_path):
    study = copy_run(demo_run, tmp_path / "study")
    config = yaml.safe_load((study / "config.yaml").read_text())
    config["plan"]["criteria"][0]["value"] = 0.7
    path = study / "changed.yaml"
    path.write_text(yaml.safe_dump(config))
    message = _one_error(run_workflow(study, "-n", snakefile=snakefile, configfile=path))
    assert f"{PLAN} (plan): the config's plan: section differs from this sealed plan" in message
    assert "changed: criteria" in message and "Fix: restore the plan: section" in message
    # without a validation evaluated against it, the plan is simply re-sealed
    shutil.rmtree(study / "results/validation")
    result = run_workflow(study, "-n", snakefile=snakefile, configfile=path)
    assert result.returncode == 0 and "analysis_plan" in scheduled(result.stdout), result.stderr[-3000:]


def test_a_plan_of_another_lock_or_edited_elsewhere_is_refused(demo, snakefile, tmp_path):
    foreign = sealing.seal(
        json.loads((demo / "plan/analysis_plan.json").read_text()) | {"lock": {"content_sha256": "0" * 64}}
    )
    (tmp_path / "foreign.json").write_text(sealing.dumps(foreign))
    validation = {
        "model": str(demo / "model/locked_model.json"),
        "plan": str(tmp_path / "foreign.json"),
        "samples": str(SHEET),
        "counts": {"path": str(WORKBOOK)},
    }
    config = tmp_path / "validation_only.yaml"
    config.write_text(yaml.safe_dump({"validation": validation}))
    message = _one_error(run_workflow(tmp_path, "-n", snakefile=snakefile, configfile=config))
    assert (
        "foreign.json (validation.plan): was sealed for the locked model with content_sha256 0000" in message
    )
    assert "Fix: point validation.plan at the plan sealed with that locked model" in message
    validation["plan"] = str(tmp_path / "absent.json")
    config.write_text(yaml.safe_dump({"validation": validation}))
    assert "absent.json (validation.plan): no such file" in _one_error(
        run_workflow(tmp_path, "-n", snakefile=snakefile, configfile=config)
    )


@pytest.fixture(scope="module")
def validation_only(demo, snakefile, tmp_path_factory):
    """The demo's lock applied to the bundled validation cohort by a validation-only config; the
    plan is the one sealed with the lock (validation.plan: auto, beside the lock's results/model/)."""
    workdir = tmp_path_factory.mktemp("validation_only")
    validation = {
        "model": str(demo / "model/locked_model.json"),
        "samples": str(SHEET),
        "counts": {"path": str(WORKBOOK)},
        "prevalence": 0.05,
    }
    config = workdir / "validation_only.yaml"
    config.write_text(yaml.safe_dump({"validation": validation}))
    result = run_workflow(workdir, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "results"


def test_a_validation_only_run_writes_its_checklist(demo, validation_only):
    checklist = read_tsv(validation_only / "reporting/checklist.tsv")
    assert checklist["guideline"].unique().tolist() == ["STARD 2015", "TRIPOD+AI"]
    assert len(checklist) == 34 + 52
    values = checklist.set_index(["guideline", "item"])["value"]
    assert values[("STARD 2015", "12a")].startswith("pre-specified: the cut-offs locked in")
    assert "planned n" in values[("STARD 2015", "18")] and "planned n" in values[("TRIPOD+AI", "10")]
    assert values[("TRIPOD+AI", "12f")].startswith("none: the locked model is applied unchanged")
    assert (
        checklist.loc[checklist["status"] == "authors", "value"] == "to be completed by the authors"
    ).all()
    flow = read_tsv(validation_only / "reporting/flow.tsv")
    assert flow["cohort"].unique().tolist() == ["validation"]
    assert (validation_only / "figures/report_flow.png").stat().st_size > 10_000
    # the same verdicts as the demo's own validation against the same plan and cohort
    ours, demos = (read_tsv(folder / "validation/criteria.tsv") for folder in (validation_only, demo))
    assert ours[["criterion", "verdict"]].equals(demos[["criterion", "verdict"]])
    assert not (validation_only / "plan").exists()


def test_plan_none_and_the_plan_target(demo, snakefile, tmp_path):
    # `snakemake plan` makes the plan and what it needs from discovery, no validation job
    jobs = scheduled(
        run_workflow(tmp_path, "-n", "plan", snakefile=snakefile, configfile=demo_config(tmp_path)).stdout
    )
    assert {"lock", "cutoff_bootstrap", "sample_size", "analysis_plan"} <= set(jobs)
    assert not [rule for rule in jobs if rule.startswith("validation")]
    # a validation-only config has no plan to make
    validation = {"model": str(demo / "model/locked_model.json"), "plan": "none", "samples": str(SHEET)}
    validation["counts"] = {"path": str(WORKBOOK)}
    path = tmp_path / "validation_only.yaml"
    path.write_text(yaml.safe_dump({"validation": validation}))
    result = run_workflow(tmp_path, "-n", "plan", snakefile=snakefile, configfile=path)
    assert (
        result.returncode != 0 and "the target 'plan' needs a discovery run" in result.stdout + result.stderr
    )
    # validation.plan none: no plan input, the validation says it was not pre-specified
    result = run_workflow(tmp_path, "-n", snakefile=snakefile, configfile=path)
    assert result.returncode == 0 and "validation_criteria" in scheduled(result.stdout), result.stderr[-2000:]
