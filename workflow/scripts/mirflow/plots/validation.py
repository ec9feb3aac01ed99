"""Figures of external validation: the locked panel's calibration plot and the decision
curves. They draw the tables they are given (mirflow.analyses.validation); nothing is
estimated here."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mirflow.formatting import plain, with_ci
from mirflow.groups import CASE, CONTROL
from mirflow.plots.common import GROUP_COLOURS, short_name

PALETTE = plt.get_cmap("tab10").colors
REFERENCES = {"treat all": ("#555555", "--"), "treat none": ("#999999", ":")}


def _message(ax: plt.Axes, text: str) -> None:
    wrapped = "\n".join(textwrap.fill(line, 50) for line in text.split("\n"))
    ax.text(0.5, 0.5, wrapped, ha="center", va="center", transform=ax.transAxes, fontsize=8)


def calibration_plot(
    curve: pd.DataFrame, predictions: pd.DataFrame, panel: pd.Series, names: dict[str, str]
) -> plt.Figure:
    """Observed vs predicted probability of the locked panel: the diagonal (perfect
    calibration), the lowess calibration curve (``curve``: predicted, observed), the
    predicted probabilities as rugs (cases above, controls below), and the calibration
    intercept and slope (95% CI), Brier score and AUC in the legend. ``panel`` is the
    validation panel row; its reason is shown when there is no panel."""
    fig, ax = plt.subplots(figsize=(5.2, 5.2))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=0.8, label="perfect calibration")
    if predictions.empty:
        reason = panel.get("reason")
        _message(ax, reason if isinstance(reason, str) and reason else "no locked panel")
    else:
        ax.plot(
            curve["predicted"].to_numpy(dtype=float),
            curve["observed"].to_numpy(dtype=float),
            color="#333333",
            linewidth=1.6,
            label="lowess calibration curve",
        )
        for label, y0, y1 in ((CASE, 1.0, 0.96), (CONTROL, 0.0, 0.04)):
            p = predictions.loc[predictions["group"] == label, "predicted_probability"].to_numpy(dtype=float)
            ax.vlines(
                p, y0, y1, color=GROUP_COLOURS[label], linewidth=0.8, label=f"{names[label]} (n={len(p)})"
            )
        summary = "\n".join(
            [
                with_ci(panel, "calibration_intercept", "calibration-in-the-large"),
                with_ci(panel, "calibration_slope", "calibration slope"),
                f"Brier {panel['brier']:.3f}; " + with_ci(panel, "auc", "AUC"),
            ]
        )
        ax.plot([], [], color="none", label=summary)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("predicted probability (locked panel)")
    ax.set_ylabel("observed proportion of cases")
    markers = ", ".join(short_name(m) for m in str(panel.get("markers", "")).split(";") if m) or "-"
    ax.set_title(textwrap.fill(f"Locked panel on the validation cohort: {markers}", 60), fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    fig.tight_layout()
    return fig


def decision_curve_plot(curves: pd.DataFrame, prevalence: float | None, markers: pd.DataFrame) -> plt.Figure:
    """Net benefit against the threshold probability of the panel, each marker as a
    binary test at its locked cut-off, treating all and treating none (``curves``: model,
    threshold, net_benefit); the y axis from a little below 0 to the largest benefit."""
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    cutoffs = dict(zip(markers["mirna"], markers["cutoff"], strict=True)) if len(markers) else {}
    directions = dict(zip(markers["mirna"], markers["direction"], strict=True)) if len(markers) else {}
    colours = iter(PALETTE)
    for model, rows in curves.groupby("model", sort=False):
        x, y = rows["threshold"].to_numpy(dtype=float), rows["net_benefit"].to_numpy(dtype=float)
        if model in REFERENCES:
            colour, style = REFERENCES[model]
            ax.plot(x, y, color=colour, linestyle=style, linewidth=1.0, label=str(model))
            continue
        if model in cutoffs:
            sign = ">=" if directions[model] == "<" else "<="
            label = f"{short_name(str(model))} {sign} {plain(cutoffs[model])} (binary test)"
        else:
            label = "locked panel"
        ax.plot(x, y, color=next(colours), linewidth=1.5 if model == "panel" else 1.0, label=label)
    top = float(np.nanmax(curves["net_benefit"])) if len(curves) else 0.5
    ax.set_ylim(-0.05 * max(top, 0.1), max(top, 0.1) * 1.1)
    ax.set_xlim(0, 1)
    ax.set_xlabel("threshold probability")
    ax.set_ylabel("net benefit")
    where = f"at prevalence {prevalence:g}" if prevalence is not None else "at the cohort's case fraction"
    ax.set_title(f"Decision curves of the locked model on the validation cohort ({where})", fontsize=9)
    ax.legend(fontsize=7, loc="best", frameon=False)
    fig.tight_layout()
    return fig
