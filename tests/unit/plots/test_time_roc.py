"""mirflow.plots.time_roc: one panel per score of the endpoint, drawn from the table (the AUC
at the landmark in the panel's title, the CI as a band), and the reason where a score has no
estimate; other endpoints' rows are not drawn."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from conftest import figure_texts

from mirflow.plots.time_roc import time_roc_figure


def _table() -> pd.DataFrame:
    rows = []
    for endpoint in ("OS", "PFS"):
        for mirna, shift in (("hsa-miR-1", 0.1), ("panel", 0.2)):
            for t in (2.0, 6.0, 9.0):
                rows.append(
                    {
                        "endpoint": endpoint,
                        "mirna": mirna,
                        "time": t,
                        "auc": 0.5 + shift,
                        "auc_ci_low": 0.4 + shift,
                        "auc_ci_high": 0.6 + shift,
                        "landmark": t == 6.0,
                        "reason": "",
                    }
                )
        rows += [
            {
                "endpoint": endpoint,
                "mirna": "hsa-miR-2",
                "time": t,
                "landmark": t == 6.0,
                "reason": "miR-2 is constant",
            }
            for t in (2.0, 6.0, 9.0)
        ]
    return pd.DataFrame(rows)


def test_one_panel_per_score_with_the_landmark_auc():
    fig = time_roc_figure(_table(), "OS")
    texts = figure_texts(fig)
    assert "miR-1\nAUC(6) 0.60 (0.50-0.70)" in texts
    assert "panel (linear predictor)\nAUC(6) 0.70 (0.60-0.80)" in texts
    assert "no AUC(t):\nmiR-2 is constant" in texts
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    first = visible[0]
    assert len(first.lines[0].get_xdata()) == 3 and first.collections  # the points and the CI band
    np.testing.assert_array_equal(first.lines[0].get_ydata(), [0.6, 0.6, 0.6])
    assert "landmark 6" in fig._suptitle.get_text()
    plt.close(fig)


def test_an_endpoint_without_rows_says_so():
    fig = time_roc_figure(_table(), "DFS")
    assert "no scores" in figure_texts(fig)
    plt.close(fig)
