"""mirflow.analyses.de: the DE candidates (the demo recovers the seed's Table 4 and the
three markers that survive adjustment) and Table 4's layout."""

from __future__ import annotations

from conftest import SEED_MARKERS as MARKERS
from conftest import SEED_TABLE4 as TABLE4

from mirflow.analyses.de import candidates, table4
from mirflow.settings import DESettings
from mirflow.stats.wilcoxon import wilcoxon_table

ALPHA = 0.05


def test_demo_recovers_the_seeds_findings(demo_fits):
    settings = DESettings(alpha=ALPHA, min_log2_fold_change=1, screen="unadjusted")
    unadjusted = candidates(demo_fits["unadjusted"], demo_fits["adjusted"], settings, "unadjusted")
    found = set(unadjusted["mirna"])
    assert len(found & set(TABLE4)) >= 18
    assert len(found & set(TABLE4)) / len(found) >= 0.8
    adjusted = demo_fits["adjusted"].set_index("mirna")["p_adjusted"]
    assert (adjusted[MARKERS] < ALPHA).all()
    age_driven = [m for m in TABLE4 if m not in MARKERS]
    assert (adjusted[age_driven] >= ALPHA).sum() >= 15


def test_table4_layout(demo_cohort):
    counts, labels, _ = demo_cohort
    values = counts.loc[["hsa-miR-320c", "hsa-miR-1246"]].astype(float)
    tests = wilcoxon_table(values, labels)
    table = table4(values, labels, tests, ["hsa-miR-320c", "hsa-miR-1246"])
    assert table["mirna"].tolist() == ["hsa-miR-1246", "hsa-miR-320c"]
    assert table.columns.tolist() == ["mirna", "control", "case", "overall", "p_value", "p_adjusted"]
    assert table["control"].str.fullmatch(r"\d+\.\d \(\d+\.\d-\d+\.\d\)").all()
