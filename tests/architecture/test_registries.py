"""Every method a config can name is implemented and documented, and nothing else: the
config schema's enums equal the registries' names (the survival cut-offs' registry lives in
mirflow.stats.survival_cutoffs, beside the ROC cut-off scores)."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from mirflow.stats.normalise import SIZE_FACTORS
from mirflow.stats.roc import CI_METHODS, CUTOFF_SCORES
from mirflow.stats.survival import CONFIDENCE_BANDS
from mirflow.stats.survival_cutoffs import CUTOFFS

SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
REGISTRIES = {
    ("normalisation",): SIZE_FACTORS,
    ("roc", "ci"): CI_METHODS,
    ("roc", "cutoff"): CUTOFF_SCORES,
    ("survival", "cutoff"): CUTOFFS,
    ("survival", "ci_transform"): CONFIDENCE_BANDS,
}


def _enum(path: tuple[str, ...]) -> list[str]:
    node = SCHEMA
    for key in path:
        node = node["properties"][key]
    return node["enum"]


@pytest.mark.parametrize("path", list(REGISTRIES), ids=".".join)
def test_schema_enum_equals_registry(path):
    registry = REGISTRIES[path]
    assert registry.setting == ".".join(path)
    assert sorted(_enum(path)) == sorted(registry)
    assert all(method.description for method in registry.values())


@pytest.mark.parametrize("path", list(REGISTRIES), ids=".".join)
def test_config_yaml_documents_every_method(path):
    """config/config.yaml's comment for the key names every method."""
    text = (ROOT / "config/config.yaml").read_text()
    for name in REGISTRIES[path]:
        assert name in text, (path, name)
