"""Figures, written as PNG and PDF with fixed metadata so re-runs give the same files."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

GROUP_COLOURS = {"control": "#4C72B0", "case": "#C44E52", "excluded": "#7F7F7F"}


def save(fig: plt.Figure, png: str | Path, pdf: str | Path) -> None:
    """Write a figure as PNG (200 dpi) and PDF without timestamps, then close it."""
    fig.savefig(png, dpi=200, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(pdf, bbox_inches="tight", metadata={"CreationDate": None, "Creator": None, "Producer": None})
    plt.close(fig)


def short_name(mirna: str) -> str:
    """'hsa-miR-1246' -> 'miR-1246' for labels."""
    return mirna.removeprefix("hsa-")
