"""mirflow.registry: a named method a config can choose; an unknown name is an error naming
the known ones (the schema's enums equal the registries: tests/architecture/test_registries.py)."""

from __future__ import annotations

import pytest

from mirflow.registry import Registry


def test_unknown_name_is_an_error_naming_the_known_ones():
    registry: Registry = Registry("roc.cutoff")
    registry.register("youden", "J")(lambda s, p: s)
    with pytest.raises(ValueError, match=r"unknown roc.cutoff 'best'; known: youden"):
        registry["best"]
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("youden", "again")(lambda s, p: s)
