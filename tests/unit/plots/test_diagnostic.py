"""mirflow.plots.diagnostic: the ROC figure of markers draws from the tables it is given; with
no curve to show it says so and raises no warning (a legend of nothing was a raw matplotlib
UserWarning in the console)."""

from __future__ import annotations

import warnings

import pandas as pd

from mirflow.groups import CASE, CONTROL
from mirflow.plots.diagnostic import roc_curves

NAMES = {CASE: "NEC", CONTROL: "healthy"}


def test_no_marker_draws_an_empty_figure_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = roc_curves(
            pd.DataFrame(columns=["mirna", "threshold", "sensitivity", "specificity"]),
            pd.DataFrame(columns=["mirna", "auc", "cutoff", "n_case", "n_control"]),
            NAMES,
        )
    assert fig.axes[0].get_legend() is None
    assert any("no markers" in text.get_text() for text in fig.axes[0].texts)
