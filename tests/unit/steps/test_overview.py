"""mirflow.steps.overview: the run's front page says why when the data leave nothing to
analyse (no candidates, no markers, a panel not fitted, a marker that does not vary, a split
without comparison)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.analyses import prognostic
from mirflow.settings import DESettings
from mirflow.steps.overview import overview


def test_overview_without_candidates_says_why(overview_tables):
    km = pd.DataFrame(columns=prognostic.KM_COLUMNS)
    empty = overview_tables.candidates([])
    table = overview(
        overview_tables.qc(), empty, overview_tables.roc([]), overview_tables.panel("no markers"), km
    ).set_index("item")["value"]
    assert table["candidates"] == (
        "0: no candidates at padj < alpha and |log2FC| >= min_log2_fold_change "
        "(de.alpha, de.min_log2_fold_change) (so no markers, no ROC, no panel, no prognosis)"
    )
    assert table["markers"] == "none: no candidates"
    assert table["panel"] == "panel not fitted: no markers"
    de = DESettings(alpha=1e-300, min_log2_fold_change=1, screen="unadjusted")
    table = overview(
        overview_tables.qc(), empty, overview_tables.roc([]), overview_tables.panel("no markers"), None, de=de
    )
    table = table.set_index("item")["value"]
    assert table["candidates"] == (
        "0: no candidates at padj < alpha = 1e-300 and |log2FC| >= 1 (unadjusted fit; de.alpha, "
        "de.min_log2_fold_change) (so no markers, no ROC, no panel)"
    )


def test_overview_candidates_without_markers_and_panel_not_fitted(overview_tables):
    table = overview(
        overview_tables.qc(),
        overview_tables.candidates(["miR-a"]),
        overview_tables.roc([]),
        overview_tables.panel("no markers"),
        None,
    )
    values = table.set_index("item")["value"]
    assert (
        values["markers"]
        == "none: no candidate has covariate-adjusted logistic p < 0.05 (so no ROC, no panel)"
    )
    table = overview(
        overview_tables.qc(),
        overview_tables.candidates(["miR-a"]),
        overview_tables.roc(["miR-a"]),
        overview_tables.panel("miR-a constant over the 38 samples"),
        None,
    )
    assert table.set_index("item")["value"]["panel"] == "panel not fitted: miR-a constant over the 38 samples"


def test_overview_of_a_constant_roc_marker(overview_tables):
    roc = overview_tables.roc(["miR-a"]).assign(auc=0.5, auc_ci_low=np.nan, auc_ci_high=np.nan, cutoff=np.nan)
    table = overview(
        overview_tables.qc(), overview_tables.candidates([]), roc, overview_tables.panel("x"), None
    ).set_index("item")["value"]
    assert table["miR-a"] == "AUC 0.500 (CI NA); no cut-off (the marker does not vary)"
    assert table["candidates"].endswith("(de.alpha, de.min_log2_fold_change)")  # configured markers go on


def test_overview_of_patients_all_on_one_side_of_the_cutoff(overview_tables):
    index = [f"P{i:02d}" for i in range(5)]
    endpoint = prognostic.Endpoint(
        "OS",
        pd.Series([3.0, 5.0, 8.0, 12.0, 20.0], index=index),
        pd.Series([1, 0, 1, 1, 0], index=index),
        6.0,
    )
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=index)
    rows = prognostic.stratify(endpoint, values, 0.5, "log-log", np.nan, np.nan)
    km = pd.DataFrame([{"mirna": "miR-a"} | r for r in rows], columns=prognostic.KM_COLUMNS)
    summary = overview(
        overview_tables.qc(),
        overview_tables.candidates(["miR-a"]),
        overview_tables.roc(["miR-a"]),
        overview_tables.panel(),
        km,
    )
    assert summary.iloc[-1]["value"] == (
        "< 0.5: median NR (n=0) vs >=: 12.0 (n=5); log-rank p NA, corrected for the cut-off search p NA; "
        "all 5 patients in the high (>= the cut-off) stratum: no comparison"
    )
