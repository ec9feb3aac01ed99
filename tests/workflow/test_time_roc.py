"""Time-dependent accuracy end to end (SPEC stage 10): on the SIMULATED demo (the shared demo
run: discovery, lock and validation) and on a sheet derived from the demo's with a competing
event for PFS (early PFS events recoded as deaths without progression, one patient censored
before the landmark). The tables have the SPEC's columns and their values are those of the
library's statistics on the run's own inputs; the figures and report views exist; re-making the
tables gives the same bytes."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, copy_run, demo_config, run_workflow

from mirflow.io.tables import read_tsv
from mirflow.stats import time_roc as ipcw

TIME_ROC_SPEC = [
    "endpoint",
    "mirna",
    "time",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "n_cases",
    "n_controls",
    "reason",
]
CONCORDANCE_SPEC = [
    "endpoint",
    "model",
    "uno_c",
    "ci_low",
    "ci_high",
    "tau",
    "brier",
    "brier_reference",
    "time",
]
TABLES = [
    f"results/prognostic/{name}.tsv"
    for name in ("time_roc", "concordance", "cumulative_incidence", "gray", "cox_baseline")
]
VALIDATION_TABLES = ["results/validation/time_roc.tsv", "results/validation/concordance.tsv"]
# PFS events before the landmark recoded as deaths without progression, and one as a censoring
DEATHS = ("NEC04", "NEC09", "NEC17")
CENSORED = "NEC12"


def _cases(run: Path) -> pd.Index:
    design = read_tsv(run / "results/cohort/covariates.tsv").set_index("sample")
    return design.index[design["group"] == "case"]


def _sheet(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", comment="#", dtype={"sample": str}).set_index("sample")


def _arrays(sheet: pd.DataFrame, cases: pd.Index, endpoint: str) -> tuple[np.ndarray, np.ndarray]:
    time, event = {"PFS": ("pfs_months", "pfs_event"), "OS": ("os_months", "os_event")}[endpoint]
    return sheet.loc[cases, time].to_numpy(float), sheet.loc[cases, event].to_numpy(float)


# ---- the demo ---------------------------------------------------------------------------------


def test_demo_tables_have_the_spec_columns_and_one_landmark_per_score(demo_run):
    roc = read_tsv(demo_run / "results/prognostic/time_roc.tsv")
    concordance = read_tsv(demo_run / "results/prognostic/concordance.tsv")
    assert roc.columns[: len(TIME_ROC_SPEC)].tolist() == TIME_ROC_SPEC
    assert set(CONCORDANCE_SPEC) <= set(concordance.columns)
    markers = read_tsv(demo_run / "results/diagnostic/markers.tsv")["mirna"].tolist()
    assert set(roc["mirna"]) == {*markers, "panel"} and set(roc["endpoint"]) == {"PFS", "OS"}
    assert roc.groupby(["endpoint", "mirna"])["landmark"].sum().eq(1).all()
    assert roc["auc"].notna().all() and (roc["reason"].isna()).all()
    # the demo's grid: 10 quantiles of the event times, plus the landmark
    assert roc.groupby(["endpoint", "mirna"]).size().max() <= 11
    for path in ("results/prognostic/cumulative_incidence.tsv", "results/prognostic/gray.tsv"):
        assert read_tsv(demo_run / path).empty  # no competing event configured
    for name in ("PFS", "OS"):
        for ext in ("png", "pdf"):
            assert (demo_run / f"results/figures/prog_time_roc_{name}.{ext}").stat().st_size > 0
    for view in ("time_roc", "concordance", "gray", "validation_time_roc", "validation_concordance"):
        assert (demo_run / f"results/report/{view}.html").is_file()


def test_demo_auc_t_is_the_ipcw_auc_and_equals_the_landmark_auc_without_early_censoring(demo_run):
    """Nobody in the demo is censored before month 6, so the IPCW AUC at the landmark is the
    landmark ROC's AUC; every row is the statistic of the run's own sheet and values."""
    roc = read_tsv(demo_run / "results/prognostic/time_roc.tsv")
    cutoffs = read_tsv(demo_run / "results/prognostic/cutoffs.tsv").set_index(["endpoint", "mirna"])
    sheet = _sheet(ROOT / "config/samples.tsv")
    cases = _cases(demo_run)
    values = read_tsv(demo_run / "results/counts/normalised.tsv", index_col="mirna")
    for row in roc[roc["mirna"] != "panel"].itertuples():
        time, event = _arrays(sheet, cases, row.endpoint)
        expected = ipcw.time_auc(time, event, values.loc[row.mirna, cases].to_numpy(float), row.time)
        assert row.auc == pytest.approx(expected.auc, abs=1e-12)
        assert row.auc_ci_low == pytest.approx(expected.lower, abs=1e-12)
        if row.landmark:
            assert row.auc == pytest.approx(cutoffs.loc[(row.endpoint, row.mirna), "landmark_auc"], abs=1e-12)


def test_demo_concordance_is_uno_c_and_brier_of_the_cox_models(demo_run):
    concordance = read_tsv(demo_run / "results/prognostic/concordance.tsv")
    cox = read_tsv(demo_run / "results/prognostic/cox.tsv").set_index(["endpoint", "mirna", "model"])
    sheet = _sheet(ROOT / "config/samples.tsv")
    cases = _cases(demo_run)
    transformed = read_tsv(demo_run / "results/counts/transformed.tsv", index_col="mirna")
    assert set(concordance["model"]) == {"univariable"}
    for row in concordance[concordance["mirna"] != "panel"].itertuples():
        time, event = _arrays(sheet, cases, row.endpoint)
        # the same Cox fit as cox.tsv's, its linear predictor ordered as the marker (HR > 1)
        assert row.hazard_ratio == pytest.approx(
            cox.loc[(row.endpoint, row.mirna, "univariable"), "hazard_ratio"]
        )
        x = transformed.loc[row.mirna, cases].to_numpy(float) * np.sign(np.log(row.hazard_ratio))
        assert row.uno_c == pytest.approx(ipcw.uno_c(time, event, x, row.tau).concordance, abs=1e-12)
        assert row.brier_reference == pytest.approx(ipcw.null_brier_score(time, event, 6.0).brier, abs=1e-12)
        assert 0 <= row.brier <= 1 and row.time == 6.0


def test_demo_validation_scores_the_locked_panel_and_markers(demo_run):
    roc = read_tsv(demo_run / "results/validation/time_roc.tsv")
    concordance = read_tsv(demo_run / "results/validation/concordance.tsv")
    assert roc.columns[: len(TIME_ROC_SPEC)].tolist() == TIME_ROC_SPEC
    assert set(CONCORDANCE_SPEC) <= set(concordance.columns)
    scores = concordance[concordance["model"] == "locked_score"]
    assert scores["brier"].isna().all() and scores["reason"].str.contains("locked_cox row").all()
    assert concordance["brier_reference"].notna().all()
    # each score's locked Cox model, scored as it is (nothing refitted): the locked hazard ratio,
    # and the Brier score of its predictions from the locked baseline hazard
    cox = concordance[concordance["model"] == "locked_cox"].set_index(["endpoint", "mirna"])
    assert cox.index.tolist() == scores.set_index(["endpoint", "mirna"]).index.tolist()
    assert cox["brier"].between(0, 1).all() and cox["ipa"].notna().all()
    locked = json.loads((demo_run / "results/model/locked_model.json").read_text())
    for endpoint in locked["prognostic"]["endpoints"]:
        for model in endpoint["cox_models"]:
            row = cox.loc[(endpoint["name"], model["score"])]
            assert row["hazard_ratio"] == pytest.approx(np.exp(model["coefficient"]), rel=1e-15)
    predictions = read_tsv(demo_run / "results/validation/panel_predictions.tsv").set_index("sample")
    cases = predictions.index[predictions["group"] == "case"]
    sheet = _sheet(ROOT / "config/validation_samples.tsv")
    time, event = _arrays(sheet, cases, "OS")
    landmark = roc[(roc["endpoint"] == "OS") & (roc["mirna"] == "panel") & roc["landmark"]].iloc[0]
    expected = ipcw.time_auc(time, event, predictions.loc[cases, "linear_predictor"].to_numpy(float), 6.0)
    assert landmark["auc"] == pytest.approx(expected.auc, abs=1e-12)


def test_remaking_the_tables_gives_the_same_bytes(demo_run, snakefile, tmp_path):
    again = copy_run(demo_run, tmp_path / "again")
    targets = [*TABLES, *VALIDATION_TABLES]
    result = run_workflow(
        again,
        "--forcerun",
        "time_roc",
        "validation_time_roc",
        *targets,
        snakefile=snakefile,
        configfile=again / "config.yaml",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "time_roc" in result.stderr
    for path in targets:
        assert filecmp.cmp(demo_run / path, again / path, shallow=False), path


# ---- a competing event --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def competing_run(tmp_path_factory, snakefile) -> Path:
    """Discovery on the demo with PFS's competing event 'pfs_death' (3 early PFS events
    recoded as deaths without progression, one as a censoring before the landmark)."""
    workdir = tmp_path_factory.mktemp("competing")
    sheet = _sheet(ROOT / "config/samples.tsv")
    sheet["pfs_death"] = np.where(sheet["group"] == "NEC", 0.0, np.nan)
    sheet.loc[list(DEATHS), ["pfs_event", "pfs_death"]] = [0.0, 1.0]
    sheet.loc[CENSORED, "pfs_event"] = 0.0
    sheet.to_csv(workdir / "samples.tsv", sep="\t", na_rep="NA")
    config = yaml.safe_load(demo_config(workdir, validation=None).read_text())
    config["samples"] = str(workdir / "samples.tsv")
    config["survival"]["endpoints"]["PFS"]["competing_event"] = "pfs_death"
    config["survival"]["n_permutations"] = 200
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    result = run_workflow(workdir, snakefile=snakefile, configfile=workdir / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_competing_event_gives_cumulative_incidence_and_gray(competing_run):
    incidence = read_tsv(competing_run / "results/prognostic/cumulative_incidence.tsv")
    gray = read_tsv(competing_run / "results/prognostic/gray.tsv").set_index("mirna")
    cutoffs = read_tsv(competing_run / "results/prognostic/cutoffs.tsv")
    cutoffs = cutoffs[cutoffs["endpoint"] == "PFS"].set_index("mirna")
    assert set(incidence["endpoint"]) == {"PFS"} and set(gray.index) == set(cutoffs.index)
    sheet = _sheet(competing_run / "samples.tsv")
    cases = _cases(competing_run)
    time, event = _arrays(sheet, cases, "PFS")
    status = np.where(event == 1, 1, np.where(sheet.loc[cases, "pfs_death"] == 1, 2, 0))
    assert (gray["competing_events"] == len(DEATHS)).all()
    values = read_tsv(competing_run / "results/counts/normalised.tsv", index_col="mirna")
    for mirna, cut in cutoffs["cutoff"].items():
        high = values.loc[mirna, cases].to_numpy(float) >= cut
        expected = ipcw.gray_test(time, status, high.astype(int))
        assert gray.loc[mirna, "p_value"] == pytest.approx(expected.p_value, abs=1e-12)
        for stratum, mask in (("low", ~high), ("high", high)):
            curve = incidence[(incidence["mirna"] == mirna) & (incidence["stratum"] == stratum)]
            aj = ipcw.aalen_johansen(time[mask], status[mask], curve["time"].to_numpy(), causes=[1, 2])
            np.testing.assert_allclose(curve["cif_event"], aj["cif_1"], atol=1e-12)
            np.testing.assert_allclose(curve["cif_competing"], aj["cif_2"], atol=1e-12)


def test_the_km_based_tables_say_they_count_the_competing_event_as_censoring(competing_run):
    for path in ("km.tsv", "time_roc.tsv", "concordance.tsv"):
        table = read_tsv(competing_run / "results/prognostic" / path)
        notes = table.groupby("endpoint")["note"].first()
        assert "competing event 'pfs_death' counted as censoring" in notes["PFS"], path
        assert pd.isna(notes["OS"]), path


def test_ipcw_weights_the_patients_the_landmark_roc_drops(competing_run):
    """Four PFS patients are censored before the landmark: the landmark ROC leaves them out
    (n_evaluable 14), AUC(6) weights the others for them (its value is the library's)."""
    roc = read_tsv(competing_run / "results/prognostic/time_roc.tsv")
    cutoffs = read_tsv(competing_run / "results/prognostic/cutoffs.tsv").set_index(["endpoint", "mirna"])
    sheet = _sheet(competing_run / "samples.tsv")
    cases = _cases(competing_run)
    time, event = _arrays(sheet, cases, "PFS")
    values = read_tsv(competing_run / "results/counts/normalised.tsv", index_col="mirna")
    landmark = roc[(roc["endpoint"] == "PFS") & roc["landmark"] & (roc["mirna"] != "panel")]
    for row in landmark.itertuples():
        assert cutoffs.loc[("PFS", row.mirna), "n_evaluable"] == len(cases) - len(DEATHS) - 1
        expected = ipcw.time_auc(time, event, values.loc[row.mirna, cases].to_numpy(float), 6.0)
        assert row.auc == pytest.approx(expected.auc, abs=1e-12) and row.censoring_weight_min < 1
