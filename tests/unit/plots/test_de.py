"""mirflow.plots.de: the heatmap and box plots of thousands of libraries draw a subsample or
at most a few hundred points per group, and say so; small cohorts keep one label per sample."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, QuadMesh

from mirflow.groups import CASE, CONTROL
from mirflow.plots import de as de_plots
from mirflow.plots.common import LABELLED_LIBRARIES

NAMES = {CASE: "NEC", CONTROL: "healthy"}


def _cohort(n: int) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Labels (cases first), a QC table with one excluded library, and 6 candidates' values."""
    rng = np.random.default_rng(1)
    samples = pd.Index([f"S{i:05d}" for i in range(n)])
    labels = pd.Series(np.where(np.arange(n) < n // 2, CASE, CONTROL), index=samples)
    qc = pd.DataFrame(
        {
            "sample": samples,
            "library_size": rng.integers(60_000, 2_000_000, n),
            "detected": rng.integers(900, 1400, n),
            "hemolysis_log2": rng.normal(4, 0.7, n),
            "excluded": np.arange(n) == 3,
        }
    )
    values = pd.DataFrame(
        rng.normal(5, 2, (6, n)) + 2 * (labels == CASE).to_numpy(),
        index=[f"hsa-miR-{i}" for i in range(6)],
        columns=samples,
    )
    return labels, qc, values


def _tick_labels(ax: plt.Axes) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


@pytest.mark.parametrize("n", [38, 5_000])
def test_heatmap_subsamples_thousands_of_libraries_and_says_so(n):
    labels, _, values = _cohort(n)
    fig = de_plots.heatmap(values, labels, NAMES, None)
    heatmap = next(ax for ax in fig.axes if ax.get_xlabel())  # not the colour bars
    mesh = next(c for c in heatmap.collections if isinstance(c, QuadMesh))
    shown = min(n, de_plots.HEATMAP_LIBRARIES)
    assert mesh.get_array().size == len(values) * shown
    if n <= LABELLED_LIBRARIES:
        assert len(_tick_labels(heatmap)) == n and heatmap.get_xlabel() == "sample"
    else:
        assert _tick_labels(heatmap) == []
        assert f"{shown:,} of {n:,} samples shown (evenly spaced within each group)" in heatmap.get_xlabel()
    plt.close(fig)


@pytest.mark.parametrize("n", [38, 5_000])
def test_box_plots_draw_at_most_a_few_hundred_points_per_group(n):
    labels, _, values = _cohort(n)
    fig = de_plots.box_plots(values, labels, NAMES, "log2", seed=1)
    points = [len(c.get_offsets()) for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert points == [min(n // 2, de_plots.POINTS_PER_GROUP)] * 2
    # the n under each box is the group's size, not the points drawn
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        f"healthy\n(n={n // 2})",
        f"NEC\n(n={n // 2})",
    ]
    suptitle = fig._suptitle.get_text() if fig._suptitle else ""
    if n // 2 > de_plots.POINTS_PER_GROUP:
        assert f"at most {de_plots.POINTS_PER_GROUP} samples per group" in suptitle
        assert f"NEC n={n // 2:,}" in suptitle and "boxes from all samples" in suptitle
    else:
        assert suptitle == ""
    plt.close(fig)
