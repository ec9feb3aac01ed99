"""The demo cohort through the workflow (discovery, lock, validation on the bundled SIMULATED
cohort): every file of the run, the SPEC's columns, the seed's findings, provenance, the
overview and the HTML report; a --cores 1 run gives the same bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import yaml
from conftest import ROOT, SEED_MARKERS, SEED_TABLE4, WORKFLOW, demo_config, run_workflow
from snakemake.utils import validate

from mirflow import targets
from mirflow.checksums import config_hash, sha256
from mirflow.io.tables import read_tsv
from mirflow.plan import make_plan

DESEQ2_COLUMNS = ["mirna", "base_mean", "log2_fold_change", "lfc_se", "stat", "p_value", "p_adjusted"]
SPEC_COLUMNS = {
    "qc/samples.tsv": ["sample", "library_size", "detected", "hemolysis_log2", "excluded", "reason"],
    "counts/size_factors.tsv": ["sample", "size_factor"],
    "cohort/characteristics.tsv": ["variable", "level", "control", "case", "overall", "p_value", "test"],
    "counts/harmonisation.tsv": ["original", "harmonised", "action", "detail"],
    "de/deseq2.tsv": DESEQ2_COLUMNS,
    "de/deseq2_unadjusted.tsv": DESEQ2_COLUMNS,
    "de/wilcoxon.tsv": [
        "mirna",
        "control_median",
        "control_min",
        "control_max",
        "case_median",
        "case_min",
        "case_max",
        "shapiro_p",
        "p_value",
        "p_adjusted",
    ],
    "de/candidates.tsv": [
        "mirna",
        "log2_fold_change",
        "p_adjusted",
        "adjusted_log2_fold_change",
        "adjusted_p_adjusted",
    ],
    "de/table4.tsv": ["mirna", "control", "case", "overall", "p_value"],
    "diagnostic/logistic.tsv": ["mirna", "odds_ratio", "ci_low", "ci_high", "p_value", "method", "n"],
    "diagnostic/roc.tsv": [
        "mirna",
        "auc",
        "auc_ci_low",
        "auc_ci_high",
        "ci_method",
        "cutoff",
        "sensitivity",
        "specificity",
        "n_case",
        "n_control",
    ],
    "diagnostic/panel.tsv": ["markers", "auc_cv", "auc_cv_sd", "n_repeats", "n_folds"],
    "diagnostic/roc_comparisons.tsv": ["mirna1", "mirna2", "auc1", "auc2", "difference", "ci_low", "ci_high"],
    "prognostic/cutoffs.tsv": ["endpoint", "mirna", "method", "cutoff", "landmark_auc", "n_evaluable"],
    "prognostic/km.tsv": [
        "endpoint",
        "mirna",
        "stratum",
        "n",
        "events",
        "median",
        "median_ci_low",
        "median_ci_high",
        "logrank_p",
        "hazard_ratio",
        "hr_ci_low",
        "hr_ci_high",
        "maxstat_p",
    ],
    "prognostic/cox.tsv": ["endpoint", "mirna", "model", "hazard_ratio", "ci_low", "ci_high", "p_value"],
    "prognostic/table5.tsv": [
        "endpoint",
        "variable",
        "level",
        "patients",
        "events",
        "median_95ci",
        "p_value",
    ],
    # SPEC stage 8: the locked model applied to the bundled SIMULATED validation cohort
    "validation/markers.tsv": [
        "mirna",
        "direction",
        "cutoff",
        "auc",
        "auc_ci_low",
        "auc_ci_high",
        "tp",
        "fp",
        "tn",
        "fn",
        *[
            f"{name}{end}"
            for name in ("sensitivity", "specificity", "ppv", "npv")
            for end in ("", "_ci_low", "_ci_high")
        ],
    ],
    "validation/panel.tsv": [
        "markers",
        "n_case",
        "n_control",
        "auc",
        "auc_ci_low",
        "auc_ci_high",
        *[
            f"{name}{end}"
            for name in ("calibration_intercept", "calibration_slope")
            for end in ("", "_ci_low", "_ci_high")
        ],
        "brier",
    ],
    "validation/panel_predictions.tsv": ["sample", "group", "predicted_probability"],
    "validation/decision_curve.tsv": ["model", "threshold", "net_benefit"],
}
# results/validation/km.tsv has the columns of results/prognostic/km.tsv (then its cut-offs)
SPEC_COLUMNS["validation/km.tsv"] = SPEC_COLUMNS["prognostic/km.tsv"]


def _plan(run: Path):
    config = yaml.safe_load((run / "config.yaml").read_text())
    validate(config, str(WORKFLOW / "schemas/config.schema.yaml"))
    return make_plan(config)


def test_the_run_made_every_file_of_its_plan(demo_run):
    plan = _plan(demo_run)
    missing = [path for path in plan.final_output() if not (demo_run / path).is_file()]
    assert missing == []
    assert set(targets.VALIDATION_TABLES) <= set(plan.result_tables())


def test_outputs_have_spec_columns(demo, demo_run):
    for name, columns in SPEC_COLUMNS.items():
        table = read_tsv(demo / name)
        assert table.columns.tolist()[: len(columns)] == columns, name
    for name in ("raw", "normalised"):
        assert read_tsv(demo / f"counts/{name}.tsv").columns[0] == "mirna"
    plan = _plan(demo_run)
    figures = [path for path in plan.final_output() if path.startswith("results/figures/")]
    assert len(figures) == 2 * (len(targets.discovery_figures(True, plan.endpoints)) + 7)
    for figure in figures:
        assert (demo_run / figure).stat().st_size > 10_000, figure


def test_hemolysed_library_excluded_and_38_analysed(demo):
    qc = read_tsv(demo / "qc/samples.tsv")
    excluded = qc[qc["excluded"]]
    assert len(excluded) == 1 and excluded["reason"].iloc[0].startswith("hemolysed")
    assert excluded["hemolysis_log2"].iloc[0] > 7 and (qc.loc[~qc["excluded"], "hemolysis_log2"] < 7).all()
    kept = qc[~qc["excluded"]]
    assert kept["group"].value_counts().to_dict() == {"healthy": 20, "NEC": 18}
    raw = read_tsv(demo / "counts/raw.tsv", index_col="mirna")
    normalised = read_tsv(demo / "counts/normalised.tsv", index_col="mirna")
    assert list(raw.columns) == list(normalised.columns) == kept["sample"].tolist()
    assert set(normalised.index) < set(raw.index) and len(normalised) > 300


def test_normalised_counts_are_counts_over_size_factors(demo):
    raw = read_tsv(demo / "counts/raw.tsv", index_col="mirna")
    normalised = read_tsv(demo / "counts/normalised.tsv", index_col="mirna")
    factors = read_tsv(demo / "counts/size_factors.tsv").set_index("sample")
    assert (factors["method"] == "median_of_ratios").all()
    expected = raw.loc[normalised.index] / factors["size_factor"]
    pd.testing.assert_frame_equal(normalised, expected[normalised.columns], check_exact=False, rtol=1e-12)


def test_candidates_are_the_seeds_table4_and_survive_adjustment_as_designed(demo):
    candidates = read_tsv(demo / "de/candidates.tsv").set_index("mirna")
    assert len(set(candidates.index) & set(SEED_TABLE4)) >= 18
    assert set(candidates.index) <= set(SEED_TABLE4)
    assert (candidates.loc[SEED_MARKERS, "adjusted_p_adjusted"] < 0.05).all()
    assert (candidates["screened_by"] == "unadjusted").all()
    table4 = read_tsv(demo / "de/table4.tsv")
    assert table4["mirna"].tolist() == sorted(candidates.index)


def test_markers_after_age_adjustment_are_the_seeds_three(demo):
    markers = read_tsv(demo / "diagnostic/markers.tsv")
    assert sorted(markers["mirna"]) == sorted(SEED_MARKERS)
    roc = read_tsv(demo / "diagnostic/roc.tsv").set_index("mirna")
    assert roc["auc"].between(0.85, 0.97).all() and (roc["auc_ci_high"] <= 1).all()
    assert (roc["direction"] == "<").all() and (roc["n_case"] == 18).all() and (roc["n_control"] == 20).all()
    panel = read_tsv(demo / "diagnostic/panel.tsv").iloc[0]
    assert panel["auc_cv"] < panel["auc_apparent"] and panel["n_repeats"] == 20
    assert panel["auc_corrected"] < panel["auc_apparent"] and panel["n_bootstrap"] == 200
    comparisons = read_tsv(demo / "diagnostic/roc_comparisons.tsv")
    assert len(comparisons) == 3


def test_high_markers_go_with_shorter_survival(demo):
    km = read_tsv(demo / "prognostic/km.tsv")
    assert len(km) == 2 * 3 * 2  # endpoints x markers x strata
    medians = km.pivot_table(index=["endpoint", "mirna"], columns="stratum", values="median")
    assert (medians["high"] < medians["low"]).all()
    assert (km["hazard_ratio"] > 1).all()
    first = km[km["stratum"] == "low"]
    assert first["logrank_p"].notna().all() and first["maxstat_p"].notna().all()
    assert (first["maxstat_p_method"] == "Lau94").all()
    cutoffs = read_tsv(demo / "prognostic/cutoffs.tsv")
    assert (cutoffs["method"] == "landmark_roc").all() and cutoffs["landmark_auc"].between(0.5, 1).all()
    table5 = read_tsv(demo / "prognostic/table5.tsv")
    overall = table5[table5["variable"] == "All patients"].set_index("endpoint")
    assert overall.loc["PFS", ["patients", "events"]].tolist() == [18, 18]
    assert overall.loc["OS", ["patients", "events"]].tolist() == [18, 14]
    assert overall.loc["PFS", "median_95ci"].startswith("5.2") and overall.loc[
        "OS", "median_95ci"
    ].startswith("10.5")


def test_cohort_table_reproduces_seed_table3_ages(demo):
    table = read_tsv(demo / "cohort/characteristics.tsv")
    age = table[(table["variable"] == "age")].iloc[0]
    assert age["control"] == "34.9 (28.6-53.6)" and age["case"] == "60.5 (35.8-78.4)"
    assert age["p_value"] < 0.001
    assert table.iloc[0][["control", "case", "overall"]].tolist() == ["20", "18", "38"]


def test_provenance_records_config_inputs_code_and_versions(demo):
    record = json.loads((demo / "provenance.json").read_text())
    assert record["config_sha256"] == config_hash(record["config"])
    assert record["config"]["filter"] == {"min_count": 10, "min_fraction": 0.5}  # defaults resolved
    assert record["seed"] == 20240525
    # the user's files only: the bundled miRBase tables are code (by place and SHA-256)
    inputs = record["inputs"]
    assert sorted(inputs) == sorted(
        str(ROOT / path)
        for path in (
            "config/samples.tsv",
            "resources/demo/demo_geneglobe.xlsx",
            "config/validation_samples.tsv",
            "resources/demo/validation_geneglobe.xlsx",
        )
    )
    assert all(sha256(path) == digest for path, digest in inputs.items())
    code = record["code"]
    scripts = sorted(path.name for path in (WORKFLOW / "scripts").glob("*.py"))
    assert set(code["fingerprints"]) <= set(scripts) and "roc.py" in code["fingerprints"]
    assert all(len(value) == 16 for value in code["fingerprints"].values())
    mirbase = code["bundled"]["mirbase_v22"]
    assert mirbase["path"] == "resources/mirbase/mirbase_v22_hsa.csv"
    assert mirbase["sha256"] == sha256(ROOT / mirbase["path"])
    assert record["versions"]["pydeseq2"] == "0.5.4" and record["versions"]["python"].startswith("3.")
    assert record["started"] <= record["finished"]


def test_overview_and_html_report(demo, snakefile):
    overview = read_tsv(demo / "overview.tsv")
    assert overview.columns.tolist() == ["section", "item", "value"]
    # the bundled SIMULATED inputs are said first, then the cohort
    assert overview.iloc[0][["section", "item"]].tolist() == ["data", "SIMULATED"]
    cohort = overview[overview["section"] == "cohort"].set_index("item")["value"]
    assert cohort["analysed samples"] == "NEC: 18, healthy: 20"
    assert overview["item"].str.startswith("excluded HD05").any()
    assert overview["section"].str.startswith("prognosis").sum() == 6
    validation = overview[overview["section"] == "validation"].set_index("item")["value"]
    assert validation["analysed samples"] == "NEC: 40, healthy: 40"
    assert validation["excluded VHD22"].startswith("hemolysed")
    report = demo.parent / "report.html"
    result = run_workflow(
        demo.parent, "--report", str(report), snakefile=snakefile, configfile=demo.parent / "config.yaml"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = report.read_text(errors="replace")
    assert "0. Overview" in html and "cut-off search" in html and report.stat().st_size > 1_000_000


def _checksums(results: Path, *patterns: str) -> dict[str, str]:
    return {
        str(p.relative_to(results)): hashlib.sha256(p.read_bytes()).hexdigest()
        for pattern in patterns or ("*.tsv",)
        for p in sorted(results.rglob(pattern))
    }


def test_a_run_on_one_core_gives_byte_identical_results(demo, snakefile, tmp_path):
    """Same config and inputs: every table, figure, report view and the locked model byte
    for byte, --cores 2 (the shared demo run) vs --cores 1; the files' modes too."""
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=demo_config(tmp_path), cores=1)
    assert result.returncode == 0, result.stderr[-3000:]
    patterns = ("*.tsv", "*.png", "*.pdf", "*.json", "*.html", "*.rst")
    first, second = _checksums(demo, *patterns), _checksums(tmp_path / "results", *patterns)
    first.pop("provenance.json")
    second.pop("provenance.json")
    assert len(first) >= 60 and first == second
    modes = [
        {str(p.relative_to(r)): p.stat().st_mode for p in r.rglob("*")} for r in (demo, tmp_path / "results")
    ]
    assert modes[0] == modes[1]
