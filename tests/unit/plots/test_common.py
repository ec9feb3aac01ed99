"""mirflow.plots.common: which libraries a figure of thousands of them draws (an even,
deterministic subsample within each group)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mirflow.plots.common import evenly_spaced, library_subsample


def test_library_subsample_is_even_within_groups_and_deterministic():
    libraries = pd.Index([f"S{i}" for i in range(1000)])
    groups = pd.Series(np.where(np.arange(1000) % 4 == 0, "a", "b"), index=libraries)
    shown = library_subsample(libraries, groups, 100)
    assert shown.equals(library_subsample(libraries, groups, 100))
    assert groups[shown].value_counts().to_dict() == {"b": 75, "a": 25}
    assert list(shown) == sorted(shown, key=list(libraries).index)  # the libraries' order
    assert library_subsample(libraries[:50], groups, 100).equals(libraries[:50])
    np.testing.assert_array_equal(evenly_spaced(5, 3), [0, 2, 4])
    np.testing.assert_array_equal(evenly_spaced(4, 10), [0, 1, 2, 3])


def test_a_figure_is_saved_in_each_format_asked_for_and_the_same_each_time(tmp_path):
    import matplotlib.pyplot as plt

    from mirflow.plots.common import save

    def draw() -> plt.Figure:
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        return fig

    save(draw(), tmp_path / "a.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]
    save(draw(), tmp_path / "b.png", tmp_path / "b.pdf")
    save(draw(), tmp_path / "c.png", tmp_path / "c.pdf")
    assert (tmp_path / "b.png").read_bytes() == (tmp_path / "c.png").read_bytes()
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert plt.get_fignums() == []
