"""A small locked model for the tests of the analyses that read one (the plan, the checklist)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mirflow.analyses.lock import (
    LockedCutoff,
    LockedEndpoint,
    LockedMarker,
    LockedModel,
    LockedNormalisation,
    LockedPanel,
    LockedPrognostic,
    PanelTerm,
)
from mirflow.settings import ContrastSettings


def _locked_model(panel: bool = True) -> LockedModel:
    """A small locked model: two markers, a panel of both, one endpoint."""
    markers = tuple(LockedMarker(m, "<", 10.0, 0.9, 0.8, 0.9) for m in ("hsa-miR-1", "hsa-miR-2"))
    return LockedModel(
        path="results/model/locked_model.json",
        content_sha256="c" * 64,
        workflow_version="test",
        contrast=ContrastSettings("group", "case", "control"),
        kind="counts",
        value="umis",
        transform="log2",
        min_library_size=50000,
        max_hemolysis_log2=7,
        hemolysis=("hsa-miR-451a", "hsa-miR-23a-3p"),
        mirnas=("hsa-miR-1", "hsa-miR-2"),
        normalisation=LockedNormalisation("median_of_ratios", {"hsa-miR-1": 1.0}, None),
        covariates=(),
        markers=markers,
        panel=LockedPanel(
            "Firth logistic",
            ("hsa-miR-1", "hsa-miR-2"),
            (),
            -3.0,
            (PanelTerm("hsa-miR-1", 1.0, "marker"), PanelTerm("hsa-miR-2", 0.5, "marker")),
            0.9,
            0.95,
        )
        if panel
        else None,
        panel_reason=None if panel else "no markers",
        prognostic=LockedPrognostic(
            "cases",
            "log-log",
            (LockedEndpoint("OS", "os", "os_event", 6.0, (LockedCutoff("hsa-miR-1", 100.0, ""),)),),
        ),
        inputs={"samples.tsv": "d" * 64},
        identities=None,
    )


@pytest.fixture
def locked_model() -> Callable[..., LockedModel]:
    """The factory of a small locked model (``panel=False``: without a panel)."""
    return _locked_model
