"""mirflow.plots.qc: the QC figure of thousands of libraries has no per-sample labels and
says what it shows; small cohorts keep one label per sample."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle, StepPatch

from mirflow.groups import CASE, CONTROL
from mirflow.plots import qc as qc_plots
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
def test_qc_overview_labels_samples_only_when_readable(n):
    labels, qc, _ = _cohort(n)
    fig = qc_plots.qc_overview(qc, labels, NAMES, 50_000, 7)
    axes = fig.axes
    title = axes[0].get_title()
    if n <= LABELLED_LIBRARIES:
        assert len(_tick_labels(axes[-1])) == n
        assert sum(isinstance(p, Rectangle) for p in axes[0].patches) == n
        assert "drawn" not in title
    else:
        assert _tick_labels(axes[-1]) == []
        assert f"all {n:,} samples drawn" in title and "labels left out" in title
        # every sample drawn as one step patch per status, not one bar each; the
        # excluded library also as a dot
        assert all(isinstance(p, StepPatch) for p in axes[0].patches) and len(axes[0].patches) == 3
        assert sum(len(c.get_offsets()) for c in axes[0].collections if isinstance(c, PathCollection)) == 1
        assert fig.get_size_inches()[0] <= 0.18 * LABELLED_LIBRARIES
    plt.close(fig)
