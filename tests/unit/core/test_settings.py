"""mirflow.settings: typed settings resolved once from the validated config, handed to rules
as plain params that Snakemake can compare, rebuilt unchanged by the steps; what the schema
cannot say clearly about the config is one clear message."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from conftest import ROOT
from snakemake.utils import validate

from mirflow.errors import InputError
from mirflow.settings import Settings, as_params, resolve, resolve_transform

BUILTIN = (str, int, float, bool, type(None))
SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def _demo() -> Settings:
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(config, SCHEMA)  # fills defaults
    return resolve(config)


def _plain(value) -> bool:
    """Only values whose repr Snakemake stores (a dataclass would be ignored silently)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return isinstance(value, BUILTIN)


SECTIONS = ["counts", "contrast", "qc", "filter", "de", "roc", "panel", "survival"]


@pytest.mark.parametrize("name", SECTIONS)
def test_params_round_trip_and_are_plain(name):
    section = getattr(_demo(), name)
    params = as_params(section)
    assert _plain(params), params
    assert type(section).from_params(params) == section


def test_demo_settings_resolve_with_defaults():
    settings = _demo()
    assert settings.qc.hemolysis_numerator == "hsa-miR-451a"
    assert settings.survival.endpoints["OS"].landmark == 6
    assert settings.survival.adjust_for == () and settings.markers == "auto"
    assert settings.counts.path == ("resources/demo/demo_geneglobe.xlsx",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.roc.cutoff = "closest_topleft"  # type: ignore[misc]


def test_yaml_numbers_as_contrast_levels_become_strings():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    config["contrast"] = {"column": "icu_mort", "case": 1, "control": 0}
    validate(config, SCHEMA)
    assert resolve(config).contrast.names == {"case": "1", "control": "0"}


def test_transform_resolution():
    assert resolve_transform("auto", "counts") == "log2"
    assert resolve_transform("auto", "expression") == "none"
    assert resolve_transform("none", "counts") == "none"


# ---- the config's problems: one message naming the key and the fix ---------------------------


def _config(**changes):
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    for key, value in changes.items():
        config[key] = value
    validate(config, SCHEMA)
    return config


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"contrast": {"column": "group", "case": "NEC", "control": "NEC"}},
            "the config (contrast): contrast.case and contrast.control are equal (both 'NEC'). "
            "Fix: set them to two different values of the sheet column 'group'",
        ),
        (
            {"contrast": {"column": "group", "case": True, "control": "healthy"}},
            "the config (contrast.case): contrast.case is the YAML boolean true: unquoted yes/no, "
            "true/false and on/off are read as true/false, not as the text in the sheet. "
            "Fix: write the level in quotes, as the sheet has it: case: 'yes'",
        ),
        (
            {"contrast": {"column": "group", "case": "NEC", "control": False}},
            "write the level in quotes, as the sheet has it: control: 'no'",
        ),
        (
            {"contrast": {"column": "group", "case": "NEC ", "control": "healthy"}},
            "contrast.case 'NEC ' has spaces around it",
        ),
        (
            {"covariates": ["age", "group"]},
            "the config (covariates): covariates names 'group', the contrast column (contrast.column)",
        ),
        (
            {"contrast": {"column": "arm", "case": "A", "control": "B"}, "covariates": ["group"]},
            "covariates names 'group', a name the workflow uses for its own columns "
            "(sample, group, marker, const). Fix: rename the sheet column (e.g. 'group_1')",
        ),
        ({"covariates": ["sample"]}, "covariates names 'sample', a name the workflow uses"),
        ({"covariates": ["age", "sex", "age"]}, "covariates lists 'age' twice. Fix: list each column once"),
        (
            {"survival": {"adjust_for": ["ecog", "ecog"]}},
            "the config (survival.adjust_for): survival.adjust_for lists 'ecog' twice",
        ),
        (
            {"contrast": {"column": "sample", "case": "NEC01", "control": "HD01"}},
            "contrast.column is 'sample', the sheet's column of sample ids, not of groups",
        ),
        (
            {"qc": {"exclude": {123: "haemolysed"}}},
            "the config (qc.exclude): qc.exclude names the sample 123 as a number, not as text",
        ),
        ({"survival": {"adjust_for": ["marker"]}}, "survival.adjust_for names 'marker', a name the workflow"),
        ({"survival": {"adjust_for": ["group"]}}, "survival.adjust_for names 'group', the contrast column"),
        (
            {"survival": {"endpoints": {"OS": {"time": "os_months", "event": "os_months", "landmark": 6}}}},
            "the config (survival.endpoints.OS): time and event are the same column 'os_months'",
        ),
    ],
)
def test_config_problems(changes, message):
    with pytest.raises(InputError) as error:
        resolve(_config(**changes))
    assert message in str(error.value)


def test_yaml_yes_as_a_level_reaches_the_clear_message():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text().replace("case: NEC", "case: yes"))
    assert config["contrast"]["case"] is True
    validate(config, SCHEMA)  # the schema lets it through
    with pytest.raises(InputError, match="case: 'yes'"):
        resolve(config)
    quoted = yaml.safe_load((ROOT / "config/config.yaml").read_text().replace("case: NEC", "case: 'yes'"))
    validate(quoted, SCHEMA)
    assert resolve(quoted).contrast.case == "yes"


def test_time_grid_and_competing_event_settings():
    """survival.time_grid lives beside the survival section (the rules that take that whole
    section do not re-run for it); an endpoint's competing_event is optional and round-trips."""
    settings = _demo()
    assert settings.time_grid == 10 and not hasattr(settings.survival, "time_grid")
    assert settings.survival.endpoints["PFS"].competing_event is None
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    config["survival"]["time_grid"] = 4
    config["survival"]["endpoints"]["PFS"]["competing_event"] = "death"
    validate(config, SCHEMA)
    settings = resolve(config)
    assert settings.time_grid == 4 and settings.survival.endpoints["PFS"].competing_event == "death"
    params = as_params(settings.survival)
    assert params["endpoints"]["PFS"]["competing_event"] == "death"
    assert type(settings.survival).from_params(params) == settings.survival
