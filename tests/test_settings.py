"""Typed settings: resolved once from the validated config, handed to rules as plain
params that Snakemake can compare, rebuilt unchanged by the steps."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from conftest import ROOT
from snakemake.utils import validate

from mirflow.analyses.prognostic import choose_cutoff
from mirflow.errors import InputError
from mirflow.settings import Settings, as_params, resolve, validation_only

BUILTIN = (str, int, float, bool, type(None))


def _demo() -> Settings:
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))  # fills defaults
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
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))
    assert resolve(config).contrast.names == {"case": "1", "control": "0"}


def test_unknown_survival_cutoff_is_an_error_not_a_fallback():
    """choose_cutoff used to fall back to the landmark-ROC cut-off for any unknown name."""
    with pytest.raises(ValueError, match=r"unknown survival\.cutoff 'quartile'"):
        choose_cutoff(None, None, "quartile", None)  # type: ignore[arg-type]


LOCK = "results/model/locked_model.json"
VALIDATION = {"model": "old/locked_model.json", "samples": "new.tsv", "counts": {"path": "new.xlsx"}}


def _validated(config: dict) -> dict:
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))  # fills defaults
    return config


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
