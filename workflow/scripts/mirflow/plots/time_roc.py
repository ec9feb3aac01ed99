"""The time-dependent AUC figure: AUC(t) with its 95% CI band per marker (and the panel's linear
predictor) over the time grid of one endpoint, the landmark marked.

It draws ``results/prognostic/time_roc.tsv`` (or its validation counterpart) as it is given;
nothing is estimated here."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mirflow.plots.common import short_name

PANEL = "panel"


def _label(mirna: str) -> str:
    return "panel (linear predictor)" if mirna == PANEL else short_name(mirna)


def _landmark_text(rows: pd.DataFrame) -> str:
    """'AUC(6) 0.71 (0.45-0.98)' of the landmark row, '' when not estimated."""
    landmark = rows[rows["landmark"].astype(bool)]
    if landmark.empty or pd.isna(landmark["auc"].iloc[0]):
        return ""
    row = landmark.iloc[0]
    return f"AUC({row['time']:g}) {row['auc']:.2f} ({row['auc_ci_low']:.2f}-{row['auc_ci_high']:.2f})"


def _reason(curve: pd.DataFrame) -> str:
    reasons = [r for r in curve["reason"].dropna().astype(str) if r]
    return reasons[0] if reasons else "not estimable"


def time_roc_figure(table: pd.DataFrame, endpoint: str) -> plt.Figure:
    """AUC(t) of each score of ``endpoint`` (the rows of the time-dependent AUC table) in a
    panel of its own: points at the evaluated times joined by lines, the 95% CI as a band,
    0.5 dotted, the landmark dashed, AUC at the landmark in the panel's title; a score
    without any estimate shows its reason."""
    rows = table[table["endpoint"].astype(str) == str(endpoint)]
    scores = list(dict.fromkeys(rows["mirna"].astype(str)))
    columns = min(2, max(1, len(scores)))
    lines = max(1, -(-len(scores) // columns))
    fig, axes = plt.subplots(
        lines, columns, figsize=(3.4 * columns, 2.7 * lines), sharex=True, sharey=True, squeeze=False
    )
    times = rows["time"].to_numpy(dtype=float)
    landmarks = rows.loc[rows["landmark"].astype(bool), "time"].drop_duplicates().to_numpy(dtype=float)
    colours = plt.get_cmap("tab10").colors
    for k, ax in enumerate(axes.ravel()):
        if k >= len(scores):
            ax.set_visible(k == 0)
            if k == 0:
                ax.text(0.5, 0.5, "no scores", ha="center", va="center", transform=ax.transAxes, fontsize=8)
            continue
        mirna = scores[k]
        curve = rows[rows["mirna"].astype(str) == mirna].sort_values("time")
        estimated = curve[curve["auc"].notna()]
        colour = colours[k % len(colours)]
        if estimated.empty:
            ax.text(
                0.5,
                0.5,
                "no AUC(t):\n" + textwrap.fill(_reason(curve), 40),
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=7,
            )
        else:
            t = estimated["time"].to_numpy(dtype=float)
            ax.fill_between(
                t,
                estimated["auc_ci_low"].to_numpy(dtype=float),
                estimated["auc_ci_high"].to_numpy(dtype=float),
                color=colour,
                alpha=0.2,
                linewidth=0,
            )
            ax.plot(t, estimated["auc"].to_numpy(dtype=float), color=colour, marker="o", markersize=3)
        for landmark in landmarks:
            ax.axvline(landmark, color="#555555", linestyle="--", linewidth=0.8)
        ax.axhline(0.5, color="#999999", linestyle=":", linewidth=0.8)
        title = _label(mirna)
        at_landmark = _landmark_text(curve)
        ax.set_title(f"{title}\n{at_landmark}" if at_landmark else title, fontsize=8)
        ax.tick_params(labelsize=7)
    ax0 = axes[0, 0]
    ax0.set_ylim(0, 1)
    if times.size and np.isfinite(times).any():
        low, high = float(np.nanmin(times)), float(np.nanmax(times))
        span = (high - low) or 1.0
        ax0.set_xlim(max(0.0, low - 0.05 * span), high + 0.05 * span)
    for ax in axes[-1, :]:
        ax.set_xlabel(f"{endpoint}: time t", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("AUC(t)", fontsize=8)
    marks = ", ".join(f"{v:g}" for v in landmarks)
    fig.suptitle(
        f"{endpoint}: cumulative/dynamic AUC(t), IPCW, 95% CI (event by t vs event-free after t; "
        f"higher value = higher risk; dashed: landmark {marks})",
        fontsize=8,
    )
    fig.tight_layout()
    return fig
