"""mirflow.analyses.markers: the markers a config names must be analysed miRNAs."""

from __future__ import annotations

import pandas as pd
import pytest

from mirflow.analyses.markers import configured_markers
from mirflow.errors import InputError


def test_configured_markers_must_exist():
    available = pd.Index(["hsa-miR-1246", "hsa-miR-1290"])
    assert configured_markers("auto", available) == []
    assert configured_markers(["hsa-miR-1290"], available) == ["hsa-miR-1290"]
    expected = r"hsa-miR-1264 is not in the count table \(did you mean hsa-miR-1246"
    with pytest.raises(InputError, match=expected):
        configured_markers(["hsa-miR-1264"], available)
