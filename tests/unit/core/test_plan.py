"""mirflow.plan: everything decided when the workflow starts, before any job: discovery or
validation only, the count files, the sample sheet checked against the settings, the design's
rank, and the files the run makes."""

from __future__ import annotations

import logging

import pytest
import yaml
from conftest import ROOT, demo_config
from snakemake.utils import validate

from mirflow import targets
from mirflow.errors import InputError
from mirflow.plan import count_paths, load_sheet, make_plan, validation_only
from mirflow.settings import resolve

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
