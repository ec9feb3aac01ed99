"""The null calibration study (tools/calibrate_null.py) and the simulator's null option."""

import hashlib

import calibrate_null
import numpy as np
import pandas as pd
import pytest
import simulate_demo as simulate
from conftest import ROOT

# The bundled demo workbook, as `python resources/demo/simulate_demo.py` (defaults) writes it.
DEMO_WORKBOOK_SHA256 = "b7b6f41e84045e803942bc64db63c767b4edc99905746c13af12e072e6282da0"


@pytest.fixture(scope="module")
def mirnas():
    return simulate.load_mirnome(ROOT / "resources" / "mirbase" / "mirbase_v22_hsa.csv")


def test_null_design_has_no_effect(mirnas):
    null = simulate.simulate_cohort(mirnas, n_cases=6, n_controls=6, n_hemolysed=0, seed=5, null=True)
    design = null.design
    assert (design[["disease_log_effect", "age_slope", "burden_loading"]] == 0).all().all()
    assert (design["role"] == "null").all()
    assert null.null and null.command.endswith(" --null")
    # Everything else as without --null: same baselines, dispersions, samples and survival.
    usual = simulate.simulate_cohort(mirnas, n_cases=6, n_controls=6, n_hemolysed=0, seed=5)
    assert not usual.null and "--null" not in usual.command
    pd.testing.assert_frame_equal(
        design[["base_cpm", "dispersion"]], usual.design[["base_cpm", "dispersion"]]
    )
    pd.testing.assert_frame_equal(null.samples, usual.samples)
    assert (usual.design["disease_log_effect"] != 0).sum() == 3
    assert "NULL cohort" in simulate.about_lines(null)[4]


def test_null_cohort_has_no_group_difference(mirnas):
    """In a large null cohort the Table 4 miRNAs are not higher in patients (they are in the demo)."""
    null = simulate.simulate_cohort(mirnas, n_cases=60, n_controls=60, n_hemolysed=0, seed=7, null=True)
    cpm = null.umis / null.umis.sum() * 1e6
    is_case = (null.samples.set_index("sample").loc[cpm.columns, "group"] == "NEC").to_numpy()
    ratio = np.log2(cpm.loc[list(simulate.TABLE4), is_case].mean(axis=1) + 1) - np.log2(
        cpm.loc[list(simulate.TABLE4), ~is_case].mean(axis=1) + 1
    )
    assert ratio.abs().max() < 1  # the demo's Table 4 ratios are 1.1-5.2 log2 units
    assert abs(ratio.mean()) < 0.3


def test_default_simulator_output_unchanged(tmp_path):
    """The CLI's defaults (no --null) still write the bundled workbook byte for byte."""
    assert hashlib.sha256((ROOT / "resources/demo/demo_geneglobe.xlsx").read_bytes()).hexdigest() == (
        DEMO_WORKBOOK_SHA256
    )
    workbook = tmp_path / "demo.xlsx"
    simulate.main(
        [
            "--out-workbook",
            str(workbook),
            "--out-samples",
            str(tmp_path / "samples.tsv"),
            "--mirbase",
            str(ROOT / "resources/mirbase/mirbase_v22_hsa.csv"),
        ]
    )
    assert hashlib.sha256(workbook.read_bytes()).hexdigest() == DEMO_WORKBOOK_SHA256
    assert (tmp_path / "samples.tsv").read_bytes() == (ROOT / "config/samples.tsv").read_bytes()


def test_calibration_smoke(tmp_path, capsys):
    out = tmp_path / "calibration.tsv"
    calibrate_null.main(
        [
            "--n-cohorts",
            "2",
            "--sizes",
            "8:8",
            "--seed",
            "11",
            "--n-permutations",
            "99",
            "--n-folds",
            "3",
            "--n-repeats",
            "1",
            "--out",
            str(out),
        ]
    )
    summary = pd.read_csv(out, sep="\t")
    assert list(summary.columns) == calibrate_null.RESULT_COLUMNS
    assert len(summary) == len(calibrate_null.METRICS)
    assert (summary[["cases", "controls"]] == 8).all().all()
    assert summary["n_cohorts"].between(0, 2).all()
    bounded = summary[summary["kind"].isin(["proportion", "auc"])]
    assert len(bounded) >= 15
    assert bounded["estimate"].dropna().between(0, 1).all()
    assert (summary["mc_se"].dropna() >= 0).all()
    assert {"DESeq2", "Prognosis PFS", "Prognosis OS", "Panel (3 null miRNAs)", "ROC (1 null miRNA)"} == set(
        summary["section"]
    )
    cohorts = pd.read_csv(tmp_path / "calibration_cohorts.tsv", sep="\t")
    assert list(cohorts["cohort"]) == [0, 1]
    p_columns = [c for c in cohorts.columns if "_p_" in c]
    assert cohorts[p_columns].stack().between(0, 1).all()
    markdown = (tmp_path / "calibration.md").read_text()
    assert "master seed 11" in markdown and "| DESeq2 |" in markdown
    captured = capsys.readouterr()
    assert "master seed: 11" in captured.err and "[calibrate] 2/2 cohorts" in captured.err
    assert "| section | metric |" in captured.out


def test_cohort_seeds_do_not_depend_on_the_run():
    first, rng = calibrate_null.cohort_seeds(1, 18, 20, 3)
    again, rng_again = calibrate_null.cohort_seeds(1, 18, 20, 3)
    assert first == again and rng.random() == rng_again.random()
    assert calibrate_null.cohort_seeds(1, 18, 20, 4)[0] != first
    assert calibrate_null.cohort_seeds(1, 100, 100, 3)[0] != first
    assert calibrate_null.parse_sizes("18:20,100:100") == [(18, 20), (100, 100)]
