"""The STARD-style flow diagram of samples: sheet -> excluded and why -> analysed per group,
one column per cohort (discovery, and validation when the run has one)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.text import Text

from mirflow.plots.common import GROUP_COLOURS

# The flow table's stages (mirflow.analyses.reporting): plots do not import analyses.
UNMATCHED, SHEET, EXCLUDED, ANALYSED = "count table only", "sample sheet", "excluded", "analysed"
WRAP = 42
BOX = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "black", "linewidth": 1}
# The vertical layout is in text lines (y grows downwards): the space above each level's
# boxes, and how tall one line is on the page (inches).
GAPS = {"sheet": 2.5, "excluded": 1.5, "analysed": 1.5, "groups": 3.0}
LINE_INCHES = 0.2


def _sheet_text(flow: pd.DataFrame) -> str:
    """'Samples in the sample sheet', n, one line per group (and the ignored samples)."""
    rows = flow[flow["stage"] == SHEET]
    per_group = (f"{g}: {n}" for g, n in rows.groupby("group", sort=False)["n"].sum().items())
    lines = ["Samples in the sample sheet", f"n = {int(rows['n'].sum())}", *per_group]
    ignored = flow[flow["stage"] == UNMATCHED]
    if not ignored.empty:
        lines += ["(count-table samples not in", f"the sheet, ignored: {int(ignored['n'].sum())})"]
    return "\n".join(lines)


def _excluded_text(flow: pd.DataFrame) -> str:
    """'Excluded, n = 1' and one wrapped item per group and reason."""
    rows = flow[flow["stage"] == EXCLUDED]
    lines = [f"Excluded, n = {int(rows['n'].sum())}"]
    for row in rows.itertuples():
        lines.append(textwrap.fill(f"- {row.group} {row.n}: {row.reason}", WRAP, subsequent_indent="  "))
    return "\n".join(lines)


def _texts(flow: pd.DataFrame) -> dict[str, str]:
    """Each level's box text of one cohort (the groups' boxes are one line pair each)."""
    analysed = flow[flow["stage"] == ANALYSED]
    return {
        "sheet": _sheet_text(flow),
        "excluded": _excluded_text(flow),
        "analysed": f"Analysed\nn = {int(analysed['n'].sum())}",
        "groups": "\n",
    }


def _levels(texts: list[dict[str, str]]) -> tuple[dict[str, float], float]:
    """The centre of each level (in lines from the top), its tallest box across the
    cohorts deciding its height, and the total height."""
    centres, top = {}, 0.0
    for level, gap in GAPS.items():
        height = max(t[level].count("\n") + 1 for t in texts) + 1
        centres[level] = top + gap + height / 2
        top += gap + height
    return centres, top + 0.5


def _box(ax: plt.Axes, x: float, y: float, text: str, colour: str = "black", ha: str = "center") -> Text:
    return ax.text(x, y, text, ha=ha, va="center", fontsize=8.5, bbox=BOX | {"edgecolor": colour})


def _arrow(ax: plt.Axes, start: tuple[float, float], end: Text, source: Text | None = None) -> None:
    """An arrow from ``start`` (or the box ``source`` there) to the box ``end``, each end
    clipped at its box."""
    ax.annotate(
        "",
        xy=end.get_position(),
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": "black",
            "linewidth": 1,
            "patchA": source.get_bbox_patch() if source is not None else None,
            "patchB": end.get_bbox_patch(),
            "shrinkA": 0,
            "shrinkB": 2,
        },
    )


def _column(
    ax: plt.Axes, flow: pd.DataFrame, left: float, texts: dict[str, str], y: dict[str, float]
) -> None:
    """One cohort's boxes and arrows in the unit-wide column from ``left``."""
    centre = left + 0.33
    ax.text(centre, 1, f"{flow['cohort'].iloc[0].capitalize()} cohort", ha="center", va="center",
            fontsize=11, fontweight="bold")  # fmt: skip
    sheet = _box(ax, centre, y["sheet"], texts["sheet"])
    excluded = _box(ax, left + 0.55, y["excluded"], texts["excluded"], GROUP_COLOURS["excluded"], ha="left")
    analysed = _box(ax, centre, y["analysed"], texts["analysed"])
    _arrow(ax, (centre, y["sheet"]), analysed, source=sheet)
    _arrow(ax, (centre, y["excluded"]), excluded)
    groups = flow[flow["stage"] == ANALYSED]
    offsets = (-0.18, 0.18) if len(groups) == 2 else [0.0] * len(groups)
    colours = (GROUP_COLOURS["case"], GROUP_COLOURS["control"])
    for row, offset, colour in zip(groups.itertuples(), offsets, colours, strict=False):
        group = _box(ax, centre + offset, y["groups"], f"{row.group}\nn = {row.n}", colour=colour)
        _arrow(ax, (centre, y["analysed"]), group, source=analysed)


def flow_diagram(flow: pd.DataFrame) -> plt.Figure:
    """The flow table (cohort, stage, group, n, reason) as boxes and arrows: samples in the
    sheet per group -> excluded per group and reason -> analysed, split by group (case box
    red, control blue), one column per cohort in the table's order."""
    cohorts = [flow[flow["cohort"] == c] for c in dict.fromkeys(flow["cohort"])]
    texts = [_texts(rows) for rows in cohorts]
    y, height = _levels(texts)
    fig, ax = plt.subplots(figsize=(6.5 * len(cohorts), height * LINE_INCHES))
    ax.set_xlim(0, len(cohorts))
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    for i, (rows, text) in enumerate(zip(cohorts, texts, strict=True)):
        _column(ax, rows, i, text, y)
    return fig
