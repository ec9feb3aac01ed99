"""End-to-end: the demo cohort through the workflow, and every bad-input case."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, demo_config, run_workflow

from mirflow.io.counts import read_counts
from mirflow.io.tables import read_tsv

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
FIGURES = [
    "qc_samples",
    "qc_pca",
    "de_volcano_unadjusted",
    "de_volcano_adjusted",
    "de_ma_unadjusted",
    "de_ma_adjusted",
    "de_heatmap",
    "de_boxplots",
    "val_qc_samples",
    "val_qc_pca",
    "val_roc",
    "val_calibration",
    "val_decision_curve",
    "val_km_PFS",
    "val_km_OS",
]


def test_outputs_have_spec_columns(demo):
    for name, columns in SPEC_COLUMNS.items():
        table = read_tsv(demo / name)
        assert table.columns.tolist()[: len(columns)] == columns, name
    for name in ("raw", "normalised"):
        assert read_tsv(demo / f"counts/{name}.tsv").columns[0] == "mirna"
    for figure in FIGURES:
        for suffix in (".png", ".pdf"):
            assert (demo / "figures" / f"{figure}{suffix}").stat().st_size > 10_000


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
    from test_de import MARKERS, TABLE4

    candidates = read_tsv(demo / "de/candidates.tsv").set_index("mirna")
    assert len(set(candidates.index) & set(TABLE4)) >= 18
    assert set(candidates.index) <= set(TABLE4)
    assert (candidates.loc[MARKERS, "adjusted_p_adjusted"] < 0.05).all()
    assert (candidates["screened_by"] == "unadjusted").all()
    table4 = read_tsv(demo / "de/table4.tsv")
    assert table4["mirna"].tolist() == sorted(candidates.index)


def test_markers_after_age_adjustment_are_the_seeds_three(demo):
    from test_de import MARKERS

    markers = read_tsv(demo / "diagnostic/markers.tsv")
    assert sorted(markers["mirna"]) == sorted(MARKERS)
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


def test_provenance_records_config_inputs_and_versions(demo):
    import json

    from mirflow.steps.provenance import config_hash, sha256

    record = json.loads((demo / "provenance.json").read_text())
    assert record["config_sha256"] == config_hash(record["config"])
    assert record["config"]["filter"] == {"min_count": 10, "min_fraction": 0.5}  # defaults resolved
    assert record["seed"] == 20240525
    inputs = record["inputs"]
    assert str(ROOT / "config/samples.tsv") in inputs and len(inputs) == 6
    assert str(ROOT / "config/validation_samples.tsv") in inputs
    assert str(ROOT / "resources/demo/validation_geneglobe.xlsx") in inputs
    assert all(sha256(path) == digest for path, digest in inputs.items())
    assert record["versions"]["pydeseq2"] == "0.5.4" and record["versions"]["python"].startswith("3.")
    assert record["started"] <= record["finished"]


def test_overview_and_html_report(demo):
    overview = read_tsv(demo / "overview.tsv")
    assert overview.columns.tolist() == ["section", "item", "value"]
    assert overview.iloc[0]["value"] == "NEC: 18, healthy: 20"
    assert overview["item"].str.startswith("excluded HD05").any()
    assert overview["section"].str.startswith("prognosis").sum() == 6
    validation = overview[overview["section"] == "validation"].set_index("item")["value"]
    assert validation["analysed samples"] == "NEC: 40, healthy: 40"
    assert validation["excluded VHD22"].startswith("hemolysed")
    report = demo.parent / "report.html"
    result = run_workflow(demo.parent, "--report", str(report), configfile=demo.parent / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    html = report.read_text(errors="replace")
    assert "0. Overview" in html and "cut-off search" in html and report.stat().st_size > 1_000_000


def _checksums(results: Path, *patterns: str) -> dict[str, str]:
    return {
        str(p.relative_to(results)): hashlib.sha256(p.read_bytes()).hexdigest()
        for pattern in patterns or ("*.tsv",)
        for p in sorted(results.rglob(pattern))
    }


def test_rerun_on_one_core_without_the_worker_gives_byte_identical_results(demo, tmp_path):
    """Same config and inputs: every table, figure and the locked model byte for byte,
    --cores 2 with the warm worker (the demo fixture) vs --cores 1 with each job in its
    own process (MIRFLOW_WORKER=off)."""
    result = run_workflow(tmp_path, configfile=demo_config(tmp_path), cores=1, env={"MIRFLOW_WORKER": "off"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (tmp_path / ".snakemake" / "mirflow-worker").exists()
    patterns = ("*.tsv", "*.png", "*.pdf", "*.json")
    first, second = _checksums(demo, *patterns), _checksums(tmp_path / "results", *patterns)
    first.pop("provenance.json")
    second.pop("provenance.json")
    assert len(first) >= 60 and first == second
    # files a job made in the worker get the job's umask, as its own process would give them
    modes = [
        {str(p.relative_to(r)): p.stat().st_mode for p in r.rglob("*")} for r in (demo, tmp_path / "results")
    ]
    assert modes[0] == modes[1]


# ---- bad input: one clear message, nothing left in results/ ----------------------


def _matrix_copy(workdir: Path) -> Path:
    """The demo's UMI table as an editable TSV matrix."""
    table = read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"])
    path = workdir / "counts.tsv"
    table.to_csv(path, sep="\t", index_label="mirna")
    return path


def _edit_counts(workdir: Path, edit) -> dict:
    path = _matrix_copy(workdir)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    return {"counts": {"path": str(path)}}


def _edit_sheet(workdir: Path, edit) -> dict:
    sheet = pd.read_csv(ROOT / "config/samples.tsv", sep="\t", comment="#", dtype=str, keep_default_na=False)
    sheet = edit(sheet)
    path = workdir / "samples.tsv"
    sheet.to_csv(path, sep="\t", index=False)
    return {"samples": str(path)}


def _set_cell(lines, row, column, value):
    cells = lines[row].split("\t")
    cells[column] = value
    lines[row] = "\t".join(cells)
    return lines


BAD_INPUTS = {
    "unknown normalisation": (lambda w: {"normalisation": "tmm"}, "tmm"),
    "unknown config key": (lambda w: {"colour": "red"}, "colour"),
    "non-numeric count": (
        lambda w: _edit_counts(w, lambda lines: _set_cell(lines, 5, 3, "n/a")),
        "the value 'n/a' where a number is expected",
    ),
    "negative count": (
        lambda w: _edit_counts(w, lambda lines: _set_cell(lines, 5, 3, "-4")),
        "a negative count",
    ),
    "duplicate miRNA": (
        lambda w: _edit_counts(w, lambda lines: [*lines, lines[5]]),
        "appears more than once",
    ),
    "duplicate sample column": (
        lambda w: _edit_counts(w, lambda lines: [line + "\t" + line.split("\t")[1] for line in lines]),
        "appears more than once. Fix: give every sample a unique column name",
    ),
    "duplicate sample in sheet": (
        lambda w: _edit_sheet(w, lambda s: s.assign(sample=s["sample"].replace("HD02", "HD01"))),
        "sample id 'HD01' appears more than once",
    ),
    "sheet sample missing from counts": (
        lambda w: _edit_sheet(w, lambda s: s.assign(sample=s["sample"].replace("HD02", "HD99"))),
        "1 sample(s) are not in the count table",
    ),
    "contrast level with no samples": (
        lambda w: {"contrast": {"column": "group", "case": "SCLC", "control": "healthy"}},
        "no sample has group = 'SCLC'",
    ),
    "event without a time": (
        lambda w: _edit_sheet(
            w, lambda s: s.assign(pfs_months=s["pfs_months"].where(s["sample"] != "NEC03", "NA"))
        ),
        "an event status without a time",
    ),
    "landmark beyond follow-up": (
        lambda w: {
            "survival": {"endpoints": {"OS": {"time": "os_months", "event": "os_event", "landmark": 500}}}
        },
        "landmark 500 is beyond all follow-up",
    ),
    "endpoint column missing": (
        lambda w: {
            "survival": {"endpoints": {"PFS": {"time": "pfs_days", "event": "pfs_event", "landmark": 6}}}
        },
        "no column 'pfs_days' (named by survival.endpoints.PFS.time",
    ),
    "missing count file": (lambda w: {"counts": {"path": str(w / "nothere.csv")}}, "no such file"),
    "covariate confounded with the groups": (
        lambda w: {
            **_edit_sheet(w, lambda s: s.assign(batch=s["group"].map({"NEC": "run1"}).fillna("run2"))),
            "covariates": ["age", "batch"],
        },
        "is not full rank: Intercept, batch[T.run2], case vs control are confounded",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_stops_with_one_clear_message(tmp_path, case):
    make, message = BAD_INPUTS[case]
    result = run_workflow(tmp_path, configfile=demo_config(tmp_path, **make(tmp_path)))
    assert result.returncode != 0
    assert message.lower() in result.stderr.lower(), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    leftovers = [p for p in (tmp_path / "results").rglob("*") if p.is_file()]
    assert leftovers == []


def test_per_sample_exports_via_glob_and_file_column(tmp_path, demo):
    """GeneGlobe's newer one-file-per-sample exports, mapped by the sheet's 'file' column."""
    table = read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"])
    exports = tmp_path / "exports"
    exports.mkdir()
    for sample in table.columns:
        detected = table.loc[table[sample] > 0, sample]
        frame = pd.DataFrame({"Name": detected.index, "Count": detected.to_numpy()})
        frame.assign(CPM=frame["Count"] / frame["Count"].sum() * 1e6).to_csv(
            exports / f"run_{sample}.csv", index=False
        )
    changes = _edit_sheet(tmp_path, lambda s: s.assign(file="run_" + s["sample"]))
    config = demo_config(tmp_path, counts={"path": str(exports / "*.csv")}, **changes)
    result = run_workflow(tmp_path, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    raw = read_tsv(tmp_path / "results/counts/raw.tsv", index_col="mirna")
    expected = read_tsv(demo / "counts/raw.tsv", index_col="mirna")
    pd.testing.assert_frame_equal(raw.loc[expected.index, expected.columns], expected)


def test_expression_values_skip_normalisation(tmp_path, demo):
    """kind: expression (e.g. qPCR 2^-dCt): values used as given, no filter, no size factors."""
    values = read_tsv(demo / "counts/normalised.tsv", index_col="mirna")
    path = tmp_path / "expression.tsv"
    values.to_csv(path, sep="\t", index_label="mirna")
    drop_hemolysed = _edit_sheet(tmp_path, lambda s: s[s["sample"].isin(values.columns)])
    counts = {"path": str(path), "kind": "expression"}
    # no validation: the bundled validation cohort is counts, which a lock of kind expression refuses
    config = demo_config(tmp_path, counts=counts, validation=None, **drop_hemolysed)
    result = run_workflow(tmp_path, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    out = read_tsv(tmp_path / "results/counts/normalised.tsv", index_col="mirna")
    pd.testing.assert_frame_equal(out, values, check_exact=False, rtol=1e-15)
    transformed = read_tsv(tmp_path / "results/counts/transformed.tsv", index_col="mirna")
    pd.testing.assert_frame_equal(transformed, values, check_exact=False, rtol=1e-15)
    factors = read_tsv(tmp_path / "results/counts/size_factors.tsv")
    assert (factors["size_factor"] == 1).all() and factors["method"].str.startswith("none").all()
    candidates = read_tsv(tmp_path / "results/de/candidates.tsv")
    assert len(candidates) >= 10 and (candidates["screened_by"] == "wilcoxon").all()
    assert candidates["adjusted_p_adjusted"].isna().all()
    assert not (tmp_path / "results/de/deseq2.tsv").exists()
    assert (tmp_path / "results/figures/de_volcano_wilcoxon.png").exists()
