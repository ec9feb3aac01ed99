"""External validation (SPEC stage 8; issue 11, item 2): the locked model applied, unchanged,
to a cohort. On the discovery cohort itself it must reproduce discovery exactly; on a
bundled SIMULATED independent cohort the three true markers must validate; a validation-only
config needs no discovery job; bad input stops the first validation job with one message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, SEED_MARKERS, demo_config, run_workflow

from mirflow.analyses import lock
from mirflow.analyses.validation_cohort import COVARIATE_COLUMNS
from mirflow.errors import InputError
from mirflow.io.counts import read_counts
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import ValidationCountsSettings
from mirflow.steps.validation_cohort import run_validation_cohort
from mirflow.steps.validation_figures import run_validation_figures
from mirflow.steps.validation_results import run_validation_results

THREE = sorted(SEED_MARKERS)
SHEET = ROOT / "config/samples.tsv"
WORKBOOK = ROOT / "resources/demo/demo_geneglobe.xlsx"
SCHEMA = ROOT / "workflow/schemas/locked_model.schema.yaml"
MIRBASE = ROOT / "resources/mirbase"
# The three rules of the validation stage; a validation-only run adds only the run's records.
VALIDATION_RULES = {"validation_cohort", "validation_results", "validation_figures"}
# ... with the markers' accuracy at a cut-off and the evaluation against the sealed plan
VALIDATION_RULES |= {"validation_accuracy", "validation_criteria"}
# (a validation-only run's records include its STARD 2015 / TRIPOD+AI checklist)
RECORDS = {"provenance", "front_page", "report_tables", "validation_reporting"}


def jobs(result) -> set[str]:
    return set(re.findall(r"^(?:local)?rule (\w+):", result.stderr, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def self_validation(demo, snakefile, tmp_path_factory):
    """The demo's lock applied to the demo's own files by a validation-only config (no
    samples, counts or contrast: no discovery data), in a directory without any discovery
    result; the overlap with the lock's discovery cohort is intended (allow_overlap)."""
    workdir = tmp_path_factory.mktemp("self_validation")
    validation = {
        "model": str(demo / "model/locked_model.json"),
        "samples": str(SHEET),
        "counts": {"path": str(WORKBOOK)},
        "allow_overlap": True,
    }
    config = workdir / "validation_only.yaml"
    config.write_text(yaml.safe_dump({"validation": validation}))
    result = run_workflow(workdir, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "results", result


def test_a_validation_only_config_runs_no_discovery_job(self_validation):
    results, result = self_validation
    ran = jobs(result)
    assert VALIDATION_RULES | {"provenance", "all"} <= ran
    # no discovery job: every job validates, or records the run
    assert {rule for rule in ran - {"all"} if not rule.startswith("validation_")} <= RECORDS, sorted(ran)
    assert not {"counts", "qc", "de", "diagnostic", "prognostic", "model", "cohort"} & {
        p.name for p in results.iterdir()
    }
    # a KM figure per endpoint of the external model (read when the workflow starts)
    figures = ["val_roc", "val_calibration", "val_decision_curve", "val_qc_samples", "val_qc_pca"]
    for name in [*figures, "val_km_PFS", "val_km_OS"]:
        assert (results / "figures" / f"{name}.png").stat().st_size > 10_000


def test_the_lock_applied_to_the_discovery_cohort_reproduces_discovery_exactly(demo, self_validation):
    results, _ = self_validation
    validation = results / "validation"
    # normalised against the locked reference = the discovery's own normalisation, bit for bit
    pd.testing.assert_frame_equal(
        read_tsv(validation / "counts/normalised.tsv", index_col="mirna"),
        read_tsv(demo / "counts/normalised.tsv", index_col="mirna"),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(
        read_tsv(validation / "counts/size_factors.tsv"),
        read_tsv(demo / "counts/size_factors.tsv"),
        check_exact=True,
    )
    roc = read_tsv(demo / "diagnostic/roc.tsv").set_index("mirna")
    markers = read_tsv(validation / "markers.tsv").set_index("mirna")
    assert markers.index.tolist() == roc.index.tolist()
    columns = [
        "direction",
        "cutoff",
        "auc",
        "auc_ci_low",
        "auc_ci_high",
        "sensitivity",
        "specificity",
        "n_case",
    ]
    pd.testing.assert_frame_equal(markers[columns], roc[columns], check_exact=True)
    assert (markers["discovery_auc"] == roc["auc"]).all()
    # every sample's call at the locked cut-off is its discovery classification
    normalised = read_tsv(demo / "counts/normalised.tsv", index_col="mirna")
    calls = read_tsv(validation / "marker_calls.tsv")
    for mirna, rows in calls.groupby("mirna"):
        expected = normalised.loc[mirna, rows["sample"]] >= roc.loc[mirna, "cutoff"]
        assert rows["positive"].tolist() == expected.tolist()
        assert rows["value"].tolist() == normalised.loc[mirna, rows["sample"]].tolist()
    # the panel's locked coefficients predict as the discovery fit did: its apparent AUC
    panel = read_tsv(validation / "panel.tsv").iloc[0]
    assert panel["auc"] == read_tsv(demo / "diagnostic/panel.tsv").iloc[0]["auc_apparent"]
    assert (panel["n_case"], panel["n_control"]) == (18, 20)
    assert np.isfinite(panel[["calibration_intercept", "calibration_slope", "brier"]].astype(float)).all()
    # KM at the locked cut-offs = discovery's KM (no search: the maxstat columns are NA)
    km = read_tsv(validation / "km.tsv")
    discovery_km = read_tsv(demo / "prognostic/km.tsv")
    assert km.columns.tolist() == discovery_km.columns.tolist()
    same = ["endpoint", "mirna", "stratum", "n", "events", "median", "median_ci_low", "median_ci_high"]
    same += ["logrank_p", "hazard_ratio", "hr_ci_low", "hr_ci_high", "cutoff"]
    pd.testing.assert_frame_equal(km[same], discovery_km[same], check_exact=True)
    assert km["maxstat_p"].isna().all()
    pd.testing.assert_frame_equal(
        read_tsv(validation / "table5.tsv"), read_tsv(demo / "prognostic/table5.tsv")
    )
    # the locked Cox models predict the discovery patients as the discovery fits did: the same
    # Brier score, reference, Uno's C and hazard ratio (the panel's predictor is recomputed from
    # the locked terms, so its sums may differ in the last bits)
    scored = read_tsv(validation / "concordance.tsv")
    scored = scored[scored["model"] == "locked_cox"].set_index(["endpoint", "mirna"])
    fitted = read_tsv(demo / "prognostic/concordance.tsv").set_index(["endpoint", "mirna"])
    assert scored.index.tolist() == fitted.index.tolist()
    for column in ("brier", "brier_se", "brier_reference", "ipa", "uno_c", "uno_c_se", "hazard_ratio"):
        np.testing.assert_allclose(scored[column], fitted[column], rtol=0, atol=1e-12, err_msg=column)


def test_decision_curve_has_the_panel_each_marker_and_the_references(self_validation):
    results, _ = self_validation
    curve = read_tsv(results / "validation/decision_curve.tsv")
    markers = read_tsv(results / "validation/markers.tsv")["mirna"]
    assert curve["model"].unique().tolist() == ["panel", *markers, "treat all", "treat none"]
    assert curve.groupby("model")["threshold"].agg(["min", "max", "size"]).eq([0.01, 0.99, 99]).all().all()
    markers = read_tsv(results / "validation/markers.tsv").set_index("mirna")
    n = markers["n_case"].iloc[0] + markers["n_control"].iloc[0]
    for mirna, row in markers.iterrows():  # a binary test: TP/n - FP/n t/(1 - t)
        rows = curve[curve["model"] == mirna]
        t = rows["threshold"].to_numpy()
        np.testing.assert_allclose(
            rows["net_benefit"], row["tp"] / n - row["fp"] / n * t / (1 - t), rtol=1e-12
        )


def test_the_true_markers_validate_on_the_bundled_independent_cohort(demo):
    """The demo run (discovery, lock, then validation on the bundled SIMULATED cohort: 40
    patients, 40 donors and a hemolysed donor, same simulated assay, new people)."""
    markers = read_tsv(demo / "validation/markers.tsv").set_index("mirna")
    assert sorted(markers.index) == THREE
    assert (markers["auc_ci_low"] > 0.5).all(), markers[["auc", "auc_ci_low"]]
    assert (markers[["n_case", "n_control"]] == [40, 40]).all().all()
    assert (markers["tp"] + markers["fn"] == 40).all() and (markers["tn"] + markers["fp"] == 40).all()
    assert (markers["prevalence"] == 0.05).all() and markers["ppv_at_prevalence"].notna().all()
    panel = read_tsv(demo / "validation/panel.tsv").iloc[0]
    assert panel["auc_ci_low"] > 0.5
    predictions = read_tsv(demo / "validation/panel_predictions.tsv")
    assert predictions.columns[:3].tolist() == ["sample", "group", "predicted_probability"]
    assert len(predictions) == 80 and predictions["predicted_probability"].between(0, 1).all()
    km = read_tsv(demo / "validation/km.tsv")
    assert set(km["endpoint"]) == {"PFS", "OS"} and (km.groupby(["endpoint", "mirna"]).size() == 2).all()
    overview = read_tsv(demo / "overview.tsv")
    section = overview[overview["section"] == "validation"]
    assert set(THREE) <= set(section["item"]) and "locked panel" in set(section["item"])
    provenance = json.loads((demo / "provenance.json").read_text())
    assert str(ROOT / "resources/demo/validation_geneglobe.xlsx") in provenance["inputs"]


# ---- bad input: one clear message from the first validation job, nothing left behind ------------


def _sheet(path: Path, groups: dict[str, str], **columns: dict[str, object]) -> str:
    frame = pd.DataFrame({"sample": list(groups), "group": list(groups.values())})
    for name, values in columns.items():
        frame[name] = frame["sample"].map(values)
    write_tsv(frame, path)
    return str(path)


@pytest.fixture(scope="module")
def demo_counts(demo, tmp_path_factory):
    """The demo's analysed samples' harmonised counts as a matrix, their labels, the model."""
    folder = tmp_path_factory.mktemp("bad_inputs")
    raw = read_tsv(demo / "counts/raw.tsv", index_col="mirna")
    labels = read_tsv(demo / "cohort/covariates.tsv").set_index("sample")["group"]
    groups = labels.map({"case": "NEC", "control": "healthy"}).to_dict()
    model = json.loads((demo / "model/locked_model.json").read_text())
    return folder, raw, groups, model


OUTPUTS = (
    "harmonised.tsv",
    "report.tsv",
    "unmatched.tsv",
    "qc.tsv",
    "normalised.tsv",
    "transformed.tsv",
    "size_factors.tsv",
    "overlap.tsv",
    "covariates.tsv",
)


def _run_cohort_step(folder: Path, model_path: Path, sheet: str, counts: str, allow_overlap: bool) -> None:
    outputs = {name: folder / name for name in OUTPUTS}
    for path in outputs.values():
        path.unlink(missing_ok=True)
    run_validation_cohort(
        counts=ValidationCountsSettings((counts,), "matrix", "umis", "counts"),
        exclude={},
        allow_overlap=allow_overlap,
        model_path=str(model_path),
        schema_path=str(SCHEMA),
        samples_path=sheet,
        count_files=[counts],
        mirbase_v21=str(MIRBASE / "mirbase_v21_hsa.csv"),
        mirbase_v22=str(MIRBASE / "mirbase_v22_hsa.csv"),
        out_counts=str(outputs["harmonised.tsv"]),
        out_report=str(outputs["report.tsv"]),
        out_unmatched=str(outputs["unmatched.tsv"]),
        out_qc=str(outputs["qc.tsv"]),
        out_normalised=str(outputs["normalised.tsv"]),
        out_transformed=str(outputs["transformed.tsv"]),
        out_size_factors=str(outputs["size_factors.tsv"]),
        out_overlap=str(outputs["overlap.tsv"]),
        out_covariates=str(outputs["covariates.tsv"]),
    )


def _with_sex_in_panel(model: dict) -> dict:
    """The demo model as if discovery had locked a panel with sex (levels F, M)."""
    panel = model["panel"] | {
        "covariates": ["sex"],
        "terms": [
            *model["panel"]["terms"],
            {"name": "sex_M", "kind": "level", "covariate": "sex", "level": "M", "coefficient": 0.3},
        ],
    }
    covariates = [*model["covariates"], {"name": "sex", "type": "categorical", "levels": ["F", "M"]}]
    return lock.seal(model | {"panel": panel, "covariates": covariates})


SHA = "[0-9a-f]{64}"
CASES = {
    "missing locked miRNA": r"lacks miRNA\(s\) of the locked model .*panel \(1 of 3\): hsa-miR-1290",
    "edited model": rf"was changed after it was locked: it records content_sha256 {SHA}, but its content",
    "other schema version": (
        rf"is a locked model of schema version 2 \(content_sha256 {SHA}\); this workflow reads schema"
    ),
    "unseen covariate level": r"'sex' has level\(s\) 'X' not seen in discovery \(locked levels: 'F', 'M'",
    "no contrast levels": (
        r"no sample has group = 'NEC', the locked model's case level \(the sheet has: donor, patient\)"
    ),
    "no contrast column": r"has no column 'group', the locked model's contrast column",
    "normalised values as counts": (
        r"a count that is not a whole number \(.*\)\. Fix: the locked model .* scores counts: give the "
        r"validation cohort's raw counts"
    ),
    "level in another letter case": (
        r"group = 'nec', which differs from the case level 'NEC' locked in .*model\.json only in letter "
        r"case: they would be left out of the contrast\. Fix: write 'NEC' in these cells \(letter case "
        r"matters\)$"
    ),
}


def _bad_input(folder: Path, raw: pd.DataFrame, groups: dict, model: dict, case: str) -> tuple[Path, str]:
    """The model and sheet of a bad-input case (the counts in folder/counts.tsv)."""
    counts = raw
    model_path = folder / "model.json"
    model_path.write_text(lock.dumps(model))
    sheet = _sheet(folder / "sheet.tsv", groups)
    if case == "missing locked miRNA":
        counts = raw.drop(index="hsa-miR-1290")
    elif case == "edited model":
        model_path.write_text(lock.dumps(model).replace('"transform": "log2"', '"transform": "none"'))
    elif case == "other schema version":
        model_path.write_text(lock.dumps(lock.seal(model | {"schema_version": 2})))
    elif case == "unseen covariate level":
        model_path.write_text(lock.dumps(_with_sex_in_panel(model)))
        sexes = {s: ("X" if i == 3 else "MF"[i % 2]) for i, s in enumerate(groups)}
        sheet = _sheet(folder / "sheet.tsv", groups, sex=sexes)
    elif case == "no contrast levels":
        sheet = _sheet(
            folder / "sheet.tsv", {s: {"NEC": "patient", "healthy": "donor"}[g] for s, g in groups.items()}
        )
    elif case == "no contrast column":
        frame = pd.DataFrame({"sample": list(groups), "condition": list(groups.values())})
        write_tsv(frame, folder / "sheet.tsv")
    elif case == "normalised values as counts":
        counts = raw / raw.sum() * 1e6
    elif case == "level in another letter case":
        sheet = _sheet(folder / "sheet.tsv", {s: g.lower() if g == "NEC" else g for s, g in groups.items()})
    write_tsv(counts, folder / "counts.tsv", index_label="mirna")
    return model_path, sheet


@pytest.mark.parametrize("case", list(CASES))
def test_bad_validation_input_is_one_clear_message(demo_counts, case):
    folder, raw, groups, model = demo_counts
    model_path, sheet = _bad_input(folder, raw, groups, model, case)
    # the discovery's own samples, on purpose: the overlap is allowed here
    with pytest.raises(InputError, match=CASES[case]):
        _run_cohort_step(folder, model_path, sheet, str(folder / "counts.tsv"), allow_overlap=True)


# The step's docstring: "Everything that can be refused is refused before the first table
# (the model: checksum, schema version, schema; the sheet; every locked miRNA in the counts)".
@pytest.mark.parametrize("case", list(CASES))
def test_bad_validation_input_is_refused_before_the_first_table(demo_counts, case):
    folder, raw, groups, model = demo_counts
    model_path, sheet = _bad_input(folder, raw, groups, model, case)
    with pytest.raises(InputError):
        _run_cohort_step(folder, model_path, sheet, str(folder / "counts.tsv"), allow_overlap=True)
    assert not [name for name in OUTPUTS if (folder / name).exists()]


def test_counts_lacking_a_locked_mirna_stop_the_run_and_leave_nothing(demo, snakefile, tmp_path):
    """What the user sees of that case: one message from the first validation job, no table."""
    counts = read_counts([ROOT / "resources/demo/validation_geneglobe.xlsx"]).drop(index="hsa-miR-1290")
    counts.to_csv(tmp_path / "counts.tsv", sep="\t", index_label="mirna")
    validation = {
        "model": str(demo / "model/locked_model.json"),
        "samples": str(ROOT / "config/validation_samples.tsv"),
        "counts": {"path": str(tmp_path / "counts.tsv")},
    }
    config = tmp_path / "validation_only.yaml"
    config.write_text(yaml.safe_dump({"validation": validation}))
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=config)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "input error:" in line]
    assert len(errors) == 1 and re.search(CASES["missing locked miRNA"], errors[0]), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not [p for p in (tmp_path / "results").rglob("*") if p.is_file()]


def test_a_hand_edited_model_stops_the_validation_target_with_one_line(demo, snakefile, tmp_path):
    edited = tmp_path / "locked_model.json"
    edited.write_text((demo / "model/locked_model.json").read_text().replace('"NEC"', '"NET"', 1))
    # the bundled validation cohort (the discovery's own files would be refused first, as not independent)
    validation = {
        "model": str(edited),
        "samples": str(ROOT / "config/validation_samples.tsv"),
        "counts": {"path": str(ROOT / "resources/demo/validation_geneglobe.xlsx")},
    }
    config = demo_config(tmp_path, validation=validation)
    result = run_workflow(tmp_path, "validation", snakefile=snakefile, configfile=config)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "input error:" in line]
    assert len(errors) == 1 and "was changed after it was locked" in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not [p for p in (tmp_path / "results").rglob("*") if p.is_file()]


def test_the_validation_target_without_a_validation_section_says_what_to_add(snakefile, tmp_path):
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    config.pop("validation", None)
    path = tmp_path / "discovery_only.yaml"
    path.write_text(yaml.safe_dump(config))
    result = run_workflow(tmp_path, "-n", "validation", snakefile=snakefile, configfile=path)
    assert result.returncode != 0
    # a dry run logs to stdout
    assert "needs a validation: section in the config" in result.stdout + result.stderr, result.stdout[-2000:]


def test_km_at_the_locked_cutoffs_says_why_when_the_sheet_lacks_an_endpoint(demo, tmp_path):
    """The validation steps on the discovery cohort whose sheet lacks OS: the OS rows say
    why, PFS is stratified as in discovery, and the figures are drawn."""
    sheet = read_sample_sheet(str(SHEET), warn=False).drop(columns=["os_months", "os_event"])
    write_tsv(sheet.reset_index(), tmp_path / "no_os.tsv")
    out = {name: str(tmp_path / f"{name}.tsv") for name in ("markers", "calls", "panel", "predictions")}
    out |= {name: str(tmp_path / f"{name}.tsv") for name in ("km", "table5", "decision", "calibration")}
    common = {
        "model_path": str(demo / "model/locked_model.json"),
        "samples_path": str(tmp_path / "no_os.tsv"),
        "qc_path": str(demo / "qc/samples.tsv"),
        "normalised_path": str(demo / "counts/normalised.tsv"),
    }
    write_tsv(pd.DataFrame(columns=COVARIATE_COLUMNS), tmp_path / "covariates.tsv")  # no covariate checked
    run_validation_results(
        prevalence=None,
        transformed_path=str(demo / "counts/transformed.tsv"),
        covariates_path=str(tmp_path / "covariates.tsv"),
        **common,
        **{f"out_{name}": path for name, path in out.items()},
    )
    km = read_tsv(out["km"])
    os_rows = km[km["endpoint"] == "OS"]
    assert len(os_rows) == 3 and os_rows["stratum"].isna().all()
    assert os_rows["reason"].str.contains("has no column os_months").all()
    assert (km[km["endpoint"] == "PFS"].groupby("mirna").size() == 2).all()
    # the discovery cohort at its own locked cut-offs: the discovery KM strata again
    discovery = read_tsv(demo / "prognostic/km.tsv")
    discovery = discovery[discovery["endpoint"] == "PFS"].reset_index(drop=True)
    pfs = km[km["endpoint"] == "PFS"].reset_index(drop=True)
    assert pfs[["mirna", "stratum", "n", "events"]].equals(discovery[["mirna", "stratum", "n", "events"]])
    names = ["val_qc_samples", "val_qc_pca", "val_roc", "val_calibration", "val_decision_curve"]
    figures = {name: (str(tmp_path / f"{name}.png"), str(tmp_path / f"{name}.pdf")) for name in names}
    figures |= {
        f"val_km_{e}": (str(tmp_path / f"{e}.png"), str(tmp_path / f"{e}.pdf")) for e in ("PFS", "OS")
    }
    run_validation_figures(
        prevalence=None,
        exclude={},
        counts_path=str(demo / "counts/harmonised.tsv"),
        markers_path=out["markers"],
        panel_path=out["panel"],
        predictions_path=out["predictions"],
        km_path=out["km"],
        decision_path=out["decision"],
        calibration_path=out["calibration"],
        out_pca=str(tmp_path / "pca.tsv"),
        figures=figures,
        **common,
    )
    for png, pdf in figures.values():
        assert Path(png).stat().st_size > 10_000 and Path(pdf).stat().st_size > 5_000
