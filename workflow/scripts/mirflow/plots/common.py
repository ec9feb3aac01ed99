"""Figures, written as PNG (and PDF unless figures.formats leaves it out) with fixed metadata
so re-runs give the same files."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

GROUP_COLOURS = {"control": "#4C72B0", "case": "#C44E52", "excluded": "#7F7F7F"}
# Figures of more libraries than this leave out per-library labels (thousands of them are
# unreadable, and laying them out took minutes) and draw an aggregate or an evenly spaced
# subsample, saying so on the figure. The tables always hold every library.
LABELLED_LIBRARIES = 100


# savefig's options per file format: PNG at 200 dpi; no timestamp or software version in either
SAVE_OPTIONS = {
    ".png": {"dpi": 200, "metadata": {"Software": None}},
    ".pdf": {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}},
}


def save(fig: plt.Figure, *paths: str | Path) -> None:
    """Write a figure to each of ``paths`` (one per format of figures.formats, told by the
    suffix), then close it."""
    try:
        for path in paths:
            fig.savefig(path, bbox_inches="tight", **SAVE_OPTIONS[Path(path).suffix])
    finally:
        plt.close(fig)


def short_name(mirna: str) -> str:
    """'hsa-miR-1246' -> 'miR-1246' for labels."""
    return mirna.removeprefix("hsa-")


def evenly_spaced(n: int, k: int) -> np.ndarray:
    """Positions of ``k`` of ``n`` items (all of them when ``k >= n``), evenly spaced
    from the first to the last: a deterministic subsample, the same on every run."""
    return np.unique(np.linspace(0, n - 1, min(n, k)).round().astype(int))


def library_subsample(libraries: pd.Index, groups: pd.Series, limit: int) -> pd.Index:
    """At most ``limit`` of ``libraries`` to draw: all when they fit, else evenly spaced
    ones within each group (``groups`` maps library to group), each group keeping its
    share, in the libraries' order."""
    if len(libraries) <= limit:
        return libraries
    keep = np.zeros(len(libraries), dtype=bool)
    codes, uniques = pd.factorize(groups.reindex(libraries), use_na_sentinel=False)
    for code in range(len(uniques)):
        members = np.flatnonzero(codes == code)
        share = max(1, round(limit * len(members) / len(libraries)))
        keep[members[evenly_spaced(len(members), share)]] = True
    return libraries[keep]
