"""mirflow.plan: everything decided when the workflow starts, before any job: discovery or
validation only, the count files, the sample sheet checked against the settings, the design's
rank, and the files the run makes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, demo_config
from snakemake.utils import validate

from mirflow import sealing, targets
from mirflow.errors import InputError
from mirflow.plan import (
    analysis_plan_file,
    check_config,
    check_criteria,
    check_markers,
    count_paths,
    load_sheet,
    make_plan,
    no_tilde,
    validation_only,
)
from mirflow.settings import ValidationSettings, resolve

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")
LOCK = targets.LOCK
VALIDATION = {"model": "old/locked_model.json", "samples": "new.tsv", "counts": {"path": "new.xlsx"}}
TABLE = "mirna,S1,S2\nhsa-miR-16-5p,10,20\nhsa-miR-21-5p,3,0\n"


def _validated(config: dict) -> dict:
    validate(config, SCHEMA)  # fills defaults
    return config


# ---- discovery or validation only ------------------------------------------------------------


def test_a_discovery_config_is_not_validation_only():
    config = _validated(yaml.safe_load((ROOT / "config/config.yaml").read_text()))
    assert validation_only(config, LOCK) is None


def test_a_config_without_samples_only_applies_its_external_model():
    settings = validation_only(_validated({"validation": dict(VALIDATION)}), LOCK)
    assert settings is not None and settings.model == "old/locked_model.json"
    assert settings.counts.path == ("new.xlsx",)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"seed": 1}, "lacks samples, counts, contrast"),
        ({"samples": "s.tsv", "contrast": {"case": "a", "control": "b"}}, "lacks counts"),
        ({"counts": {"path": "c.tsv"}, "validation": VALIDATION}, "has counts but no samples"),
        # validation.model left out: the default is this run's own lock, which needs discovery
        ({"validation": {k: v for k, v in VALIDATION.items() if k != "model"}}, "no own lock"),
    ],
)
def test_neither_discovery_nor_validation_only_is_one_clear_error(config, message):
    with pytest.raises(InputError, match=message):
        validation_only(_validated(config), LOCK)


# ---- count_paths: directories, patterns, duplicates ------------------------------------------


def test_count_paths_refuses_directory_empty_pattern_and_duplicates(tmp_path):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports/a.csv").write_text(TABLE)
    with pytest.raises(InputError, match=r"is a directory, not a count file.*exports/\*\.xlsx"):
        count_paths([str(tmp_path / "exports")])
    with pytest.raises(InputError, match="no file matches this pattern"):
        count_paths([str(tmp_path / "exports/*.xlsx")])
    (tmp_path / "exports/old").mkdir()
    with pytest.raises(InputError, match=r"old: is a directory.*matched by the pattern"):
        count_paths([str(tmp_path / "exports/*")])
    with pytest.raises(InputError, match=r"a\.csv: is given twice in counts\.path"):
        count_paths([str(tmp_path / "exports/a.csv"), str(tmp_path / "exports/*.csv")])
    with pytest.raises(InputError, match=r"nothere\.csv: no such file"):
        count_paths([str(tmp_path / "nothere.csv")])
    assert count_paths([str(tmp_path / "exports/*.csv")]) == [tmp_path / "exports/a.csv"]


def test_a_link_to_a_listed_file_and_an_office_lock_file_are_said_as_such(tmp_path):
    (tmp_path / "a.csv").write_text(TABLE)
    (tmp_path / "link.csv").symlink_to(tmp_path / "a.csv")
    with pytest.raises(InputError) as error:
        count_paths([str(tmp_path / "a.csv"), str(tmp_path / "link.csv")])
    assert f"link.csv: is given twice in counts.path: it is the same file as {tmp_path / 'a.csv'}" in str(
        error.value
    )
    (tmp_path / "~$a.csv").write_bytes(b"")
    with pytest.raises(InputError, match=r"~\$a\.csv: is the lock file an office program keeps"):
        count_paths([str(tmp_path / "*a.csv")])


# ---- the sample sheet, checked when the workflow starts --------------------------------------


def test_demo_sheet_reads_without_warnings(caplog):
    config = _validated(yaml.safe_load((ROOT / "config/config.yaml").read_text()))
    config["samples"] = str(ROOT / config["samples"])
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        sheet, labels = load_sheet(resolve(config))
    assert caplog.text == "" and labels.value_counts().to_dict() == {"control": 21, "case": 18}
    assert sheet.attrs["rows"]["NEC01"] == 3 and sheet.attrs["letters"]["age"] == "C"


def test_a_design_confounded_with_the_groups_stops_the_plan(tmp_path):
    sheet = (ROOT / "config/samples.tsv").read_text().splitlines()
    header = next(i for i, line in enumerate(sheet) if line.startswith("sample\t"))
    sheet[header] += "\tbatch"
    for i in range(header + 1, len(sheet)):
        sheet[i] += "\trun1" if "\tNEC\t" in sheet[i] else "\trun2"
    (tmp_path / "samples.tsv").write_text("\n".join(sheet) + "\n")
    config = yaml.safe_load(demo_config(tmp_path, covariates=["age", "batch"]).read_text())
    config["samples"] = str(tmp_path / "samples.tsv")
    with pytest.raises(InputError, match=r"is not full rank: Intercept, batch\[T\.run2\], case vs control"):
        make_plan(_validated(config))


# ---- the plan of the demo --------------------------------------------------------------------


def test_the_demo_plan_makes_discovery_and_validation_files(tmp_path):
    plan = make_plan(_validated(yaml.safe_load(demo_config(tmp_path).read_text())))
    assert plan.discovery and plan.counts and sorted(plan.endpoints) == ["OS", "PFS"]
    assert plan.count_files == (str(ROOT / "resources/demo/demo_geneglobe.xlsx"),)
    assert plan.model == LOCK and sorted(plan.validation_endpoints) == ["OS", "PFS"]
    assert plan.validation_count_files == (str(ROOT / "resources/demo/validation_geneglobe.xlsx"),)
    tables = plan.result_tables()
    assert set(targets.VALIDATION_TABLES) <= set(tables) and LOCK in tables
    output = plan.final_output()
    assert set(tables) <= set(output) and output[-1] == targets.PROVENANCE
    assert targets.OVERVIEW in output and "results/figures/val_km_OS.pdf" in output
    assert len(output) == len(set(output))


def test_a_validation_only_plan_reads_the_endpoints_of_the_model(tmp_path):
    model = tmp_path / "locked_model.json"
    model.write_text('{"prognostic": {"endpoints": [{"name": "DFS"}]}}')
    validation = {
        "model": str(model),
        "samples": str(ROOT / "config/validation_samples.tsv"),
        "counts": {"path": str(ROOT / "resources/demo/validation_geneglobe.xlsx")},
        "plan": "none",
    }
    plan = make_plan(_validated({"validation": validation}))
    assert not plan.discovery and plan.settings is None and plan.model == str(model)
    assert plan.validation_endpoints == ("DFS",) and plan.analysis_plan is None
    assert plan.result_tables() == [*targets.VALIDATION_TABLES, *targets.REPORTING_TABLES]
    output = plan.final_output()
    assert targets.OVERVIEW not in output and "results/figures/val_km_DFS.png" in output
    # a model that cannot be read gives no endpoint here; the first validation job refuses it
    model.write_text("not json")
    assert make_plan(_validated({"validation": validation})).validation_endpoints == ()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("model", "no such file (validation.model)"),
        ("samples", "no such file (validation.samples)"),
        ("counts", "no such file (validation.counts.path)"),
    ],
)
def test_missing_validation_files_stop_the_plan(tmp_path, entry, message):
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    missing = str(tmp_path / "nothere")
    if entry == "counts":
        config["validation"]["counts"]["path"] = missing
    else:
        config["validation"][entry] = missing
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_plan(_validated(config))


# ---- config problems found before any job -----------------------------------------------------


def test_a_schema_error_names_the_file_the_key_path_and_its_documentation(tmp_path):
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    config["survival"]["endpoints"]["OS"]["landmark"] = "six"
    with pytest.raises(InputError) as error:
        check_config(config, SCHEMA, ["study/config.yaml"])
    message = str(error.value)
    assert message.startswith("study/config.yaml (survival.endpoints.OS.landmark): 'six' is not of type")
    assert "Fix: correct survival.endpoints.OS.landmark (config/README.md describes every key" in message


@pytest.mark.parametrize(
    ("edit", "message", "fix"),
    [
        (
            lambda c: c.update(covariate=c.pop("covariates")),
            ": unknown key 'covariate' in the top level of the config (did you mean 'covariates'?)",
            "rename or remove it; the keys of the top level of the config: samples, ",
        ),
        (
            lambda c: c["validation"].update(allow_overlaps=True),
            " (validation): unknown key 'allow_overlaps' in validation (did you mean 'allow_overlap'?)",
            "the keys of validation: ",
        ),
        (
            lambda c: c["qc"].update(zzz=1, yyy=2),
            " (qc): unknown keys 'zzz', 'yyy' in qc. ",
            "Fix: rename or remove them; the keys of qc: min_library_size, ",
        ),
        (
            lambda c: c.update(validation=None),
            " (validation): is empty (null; a key with nothing after its colon) "
            "but must be a section of keys",
            "Fix: give validation its value or remove the key",
        ),
    ],
)
def test_a_typo_or_an_empty_section_is_said_as_such(tmp_path, edit, message, fix):
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    edit(config)
    with pytest.raises(InputError) as error:
        check_config(config, SCHEMA, ["config.yaml"])
    text = str(error.value)
    assert text.startswith("config.yaml" + message) and fix in text, text
    assert "None" not in text and "Additional properties" not in text


def test_a_seed_beyond_64_bits_is_refused_by_the_schema(tmp_path):
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    config["seed"] = 2**70
    with pytest.raises(InputError, match=r"\(seed\): 1180591620717411303424 is greater than"):
        check_config(config, SCHEMA, ["config.yaml"])


def test_the_demo_config_passes_the_schema(tmp_path):
    check_config(yaml.safe_load(demo_config(tmp_path).read_text()), SCHEMA, ["config.yaml"])


@pytest.mark.parametrize(
    ("markers", "message"),
    [
        (["hsa-miR-1290", "hsa-miR-1290"], "marker 'hsa-miR-1290' is listed twice (items 1 and 2)"),
        (["hsa-miR-1290\u200b"], "holds characters that do not show (U+200B ZERO WIDTH SPACE"),
        ([" hsa-miR-1290"], "holds characters that do not show (spaces around it"),
        (["hsa-mir-1290"], "marker 'hsa-mir-1290' is 'hsa-miR-1290' in miRBase v22 (case fixed)"),
        (["hsa-miR-320a"], "marker 'hsa-miR-320a' is 'hsa-miR-320a-3p' in miRBase v22 (renamed)"),
        (["hsa-miR-1264x"], "is not a miRBase v22 miRNA name (did you mean hsa-miR-1264"),
    ],
)
def test_configured_markers_are_checked_before_any_job(mirbase, markers, message):
    with pytest.raises(InputError) as error:
        check_markers(markers, mirbase)
    assert message in str(error.value) and "(markers, item" in str(error.value)


def test_miRBase_v22_markers_pass(mirbase):
    check_markers(["hsa-miR-1290", "hsa-miR-320c", "hsa-miR-1246"], mirbase)


def _settings_with_criterion(tmp_path, criterion: dict, **changes):
    config = yaml.safe_load(demo_config(tmp_path, **changes).read_text())
    config["plan"]["criteria"] = [criterion]
    return resolve(_validated(config))


@pytest.mark.parametrize(
    ("criterion", "changes", "message"),
    [
        (
            {"target": "hsa-miR-21-5p", "metric": "auc", "op": ">", "value": 0.7},
            {"markers": ["hsa-miR-1290"]},
            "criterion target 'hsa-miR-21-5p' is not one of the configured markers (hsa-miR-1290)",
        ),
        (
            {"target": "hsa-mir-1290", "metric": "auc", "op": ">", "value": 0.7},
            {},
            "criterion target 'hsa-mir-1290' is 'hsa-miR-1290' in miRBase v22 (case fixed), the name the "
            "count tables are harmonised to. Fix: write 'hsa-miR-1290' in the criterion",
        ),
        (
            {"target": "hsa-miR-1290", "endpoint": "DFS", "metric": "hazard_ratio", "op": ">", "value": 1},
            {},
            "criterion endpoint 'DFS' is not an endpoint of survival.endpoints (OS, PFS)",
        ),
    ],
)
def test_plan_criteria_are_checked_before_any_job(tmp_path, mirbase, criterion, changes, message):
    with pytest.raises(InputError) as error:
        check_criteria(_settings_with_criterion(tmp_path, criterion, **changes), mirbase)
    assert message in str(error.value) and "(plan.criteria, item 1)" in str(error.value)


def test_a_panel_criterion_needs_no_marker(tmp_path, mirbase):
    panel = {"target": "panel", "metric": "auc", "op": ">", "value": 0.7}
    check_criteria(_settings_with_criterion(tmp_path, panel, markers=["hsa-miR-1290"]), mirbase)


def test_a_path_with_a_tilde_is_refused_with_the_expanded_path():
    with pytest.raises(InputError) as error:
        no_tilde("~/study/samples.tsv", "samples")
    message = str(error.value)
    assert "starts with '~', which is not expanded here (samples)" in message
    assert f"write the full path: {Path('~/study/samples.tsv').expanduser()}" in message
    no_tilde("study/~samples.tsv", "samples")


def test_one_case_and_one_control_is_said_as_too_few_samples(tmp_path):
    lines = (ROOT / "config/samples.tsv").read_text().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("sample\t"))
    first = {"NEC": None, "healthy": None}
    for line in lines[header + 1 :]:
        group = line.split("\t")[1]
        first[group] = first[group] or line
    (tmp_path / "samples.tsv").write_text("\n".join([lines[header], *first.values()]) + "\n")
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    config["samples"] = str(tmp_path / "samples.tsv")
    with pytest.raises(InputError) as error:
        make_plan(_validated(config))
    message = str(error.value)
    assert "1 case sample(s) (group = 'NEC') besides qc.exclude" in message
    assert "needs at least 2 samples per group" in message and "confounded" not in message


def test_discovery_files_given_as_the_validation_cohort_are_refused_before_any_job(tmp_path):
    config = yaml.safe_load(demo_config(tmp_path).read_text())
    config["validation"]["samples"] = config["samples"]
    with pytest.raises(InputError) as error:
        make_plan(_validated(config))
    message = str(error.value)
    assert "(validation): is also a discovery file of this run: the validation cohort is not" in message
    # a copy of a discovery file under another name
    copy = tmp_path / "copy_of_samples.tsv"
    copy.write_bytes(Path(config["samples"]).read_bytes())
    config["validation"]["samples"] = str(copy)
    with pytest.raises(InputError, match=f"has the content of the discovery file {config['samples']}: the"):
        make_plan(_validated(config))
    assert "the validation cohort is not independent of the discovery cohort" in message
    config["validation"]["allow_overlap"] = True
    assert make_plan(_validated(config)).validation is not None


@pytest.mark.parametrize("version", [sealing.LOCK_SCHEMA_VERSION, 2])
def test_a_lock_of_another_schema_version_is_left_to_its_own_message_not_blamed_on_the_plan(
    tmp_path, version
):
    """The plan names the lock it was sealed with; a lock of another schema version (sealed
    again) would not match it, but the cause is the version: the plan check at start-up lets
    the first validation job say so (read_model), and blames the plan only for a lock this
    workflow can read."""
    lock = tmp_path / "locked_model.json"
    lock.write_text(sealing.dumps(sealing.seal({"schema_version": version, "markers": []})))
    plan = tmp_path / "analysis_plan.json"
    plan.write_text(sealing.dumps(sealing.seal({"plan_version": 1, "lock": {"content_sha256": "a" * 64}})))
    settings = ValidationSettings.from_params(
        {
            "model": str(lock),
            "samples": "s.tsv",
            "counts": {"path": "c.tsv", "format": "auto", "value": "umis", "kind": "counts"},
        }
        | {"plan": str(plan), "prevalence": None, "exclude": {}}
    )
    if version == sealing.LOCK_SCHEMA_VERSION:
        with pytest.raises(InputError, match=r"sealed for the locked model with content_sha256 a{64}"):
            analysis_plan_file(settings, str(lock), targets.LOCK, None)
    else:
        # no plan at start-up: the first validation job refuses the lock for its version
        assert analysis_plan_file(settings, str(lock), targets.LOCK, None) is None


def test_every_criterion_outside_the_configured_markers_is_named_at_once(tmp_path, mirbase):
    config = yaml.safe_load(demo_config(tmp_path, markers=["hsa-miR-1290"]).read_text())
    config["plan"]["criteria"] = [
        {"target": "panel", "metric": "auc", "op": ">", "value": 0.7},
        {"target": "hsa-miR-1246", "metric": "auc", "op": ">", "value": 0.7},
        {"target": "hsa-miR-1290", "metric": "auc", "op": ">", "value": 0.7},
        {"target": "hsa-miR-320c", "metric": "auc", "op": ">", "value": 0.7},
    ]
    with pytest.raises(InputError) as error:
        check_criteria(resolve(_validated(config)), mirbase)
    assert str(error.value) == (
        "the config (plan.criteria, items 2, 4): criterion targets 'hsa-miR-1246', 'hsa-miR-320c' are not "
        "among the configured markers (hsa-miR-1290). Fix: name a marker of markers:, or the panel"
    )
