"""Kaplan-Meier summaries against R survival."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, ROOT

from mirflow.io.sheet import read_sample_sheet
from mirflow.stats.survival import km_median


@pytest.fixture(scope="module")
def reference() -> dict[str, float]:
    table = pd.read_csv(FIXTURES / "r" / "km_median.tsv", sep="\t")
    return dict(zip(table["case"], table["median"], strict=True))


def test_km_median_matches_r_survfit(reference):
    cases = read_sample_sheet(ROOT / "config/samples.tsv").query("group == 'NEC'")
    # Medians are observed times (or midpoints of two): exact up to float rounding.
    assert km_median(cases["pfs_months"], cases["pfs_event"]) == pytest.approx(
        reference["demo_pfs"], abs=1e-9
    )
    assert km_median(cases["os_months"], cases["os_event"]) == pytest.approx(reference["demo_os"], abs=1e-9)
    exact = km_median(np.array([1, 2, 3, 4, 6, 7, 8, 9]), np.array([1, 1, 1, 1, 1, 0, 1, 0]))
    assert exact == reference["exact_half"] == 5.0
    assert np.isnan(km_median(np.array([1, 2, 3, 4]), np.array([1, 0, 0, 0])))
    assert np.isnan(reference["not_reached"])
