"""Figures of the prognostic stage: Kaplan-Meier curves with numbers at risk (the seed's
Fig 8A/C) and ROC curves of the landmark events (Fig 8B/D).

The figures draw the tables they are given (the curve tables of
:mod:`mirflow.analyses.prognostic`); nothing is estimated here."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any, Protocol

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from mirflow.formatting import plain
from mirflow.plots.common import short_name

STRATUM_COLOURS = {"low": "#4C72B0", "high": "#C44E52"}


class EndpointData(Protocol):
    """What the KM figure reads of an endpoint (``mirflow.analyses.prognostic.Endpoint``)."""

    name: str
    time: pd.Series
    event: pd.Series


def p_text(value: float) -> str:
    """A p-value with its relation as the figure shows it ("= 0.012", "= 3.1e-05"); one
    that underflows double precision reads "< 1e-300", not a misleading "= 0"."""
    if pd.isna(value):
        return "= NA"
    if value < 1e-300:
        return "< 1e-300"
    return f"= {value:.3f}" if value >= 0.001 else f"= {value:.1e}"


def _median(value: float) -> str:
    return "NR" if pd.isna(value) else f"{value:.1f}"


def _hazard(row: pd.Series) -> str:
    if pd.isna(row["hazard_ratio"]):
        return "NA"
    return f"{row['hazard_ratio']:.2f} ({row['hr_ci_low']:.2f}-{row['hr_ci_high']:.2f})"


def _message(ax: plt.Axes, text: str) -> None:
    """A short message in place of a plot (what could not be estimated, and why)."""
    wrapped = "\n".join(textwrap.fill(line, 40) for line in text.split("\n"))
    box = {"facecolor": "white", "edgecolor": "none"}
    ax.text(0.5, 0.5, wrapped, ha="center", va="center", transform=ax.transAxes, fontsize=8, bbox=box)


def km_ticks(max_time: float) -> np.ndarray:
    """The KM figure's time ticks, where the numbers at risk are shown: up to 6 round
    numbers from 0 to ``max_time``. The KM curve table must have rows at these times.
    Just 0 when there is no positive time (no patients, or all at time 0)."""
    if not np.isfinite(max_time) or max_time <= 0:
        return np.array([0.0])
    ticks = MaxNLocator(6).tick_values(0, float(max_time))
    return ticks[ticks <= max_time]


def _not_stratified(ax: plt.Axes, table_ax: plt.Axes, rows: pd.DataFrame) -> None:
    first = rows.iloc[0]
    _message(ax, f"not stratified:\n{first['reason']}")
    ax.set_title(short_name(str(first["mirna"])), fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    table_ax.axis("off")


def _km_panel(
    ax: plt.Axes,
    table_ax: plt.Axes,
    endpoint: EndpointData,
    curve: pd.DataFrame,
    rows: pd.DataFrame,
    searched: bool,
) -> None:
    if rows["stratum"].isna().all():
        _not_stratified(ax, table_ax, rows)
        return
    cutoff = rows["cutoff"].iloc[0]
    max_time = endpoint.time.max()
    ticks = km_ticks(max_time)
    for line, stratum in enumerate(("low", "high")):
        row = rows.set_index("stratum").loc[stratum]
        points = curve[curve["stratum"] == stratum]
        sign = "<" if stratum == "low" else ">="
        label = f"{sign} {plain(cutoff)}: n={int(row['n'])}, median {_median(row['median'])}"
        colour = STRATUM_COLOURS[stratum]
        if row["n"] > 0:
            steps = points[points["events"] > 0]
            x = np.concatenate([[0], steps["time"].to_numpy(dtype=float)])
            y = np.concatenate([[1], steps["survival"].to_numpy(dtype=float)])
            ax.step(x, y, where="post", color=colour, label=label, linewidth=1.4)
            censored = points[points["censored"] > 0]
            ax.plot(
                np.repeat(censored["time"].to_numpy(dtype=float), censored["censored"]),
                np.repeat(censored["survival"].to_numpy(dtype=float), censored["censored"]),
                "|",
                color=colour,
                markersize=7,
            )
        at_risk = points.set_index("time").loc[ticks, "n_at_risk"]
        for t, count in zip(ticks, at_risk, strict=True):
            table_ax.text(t, 1 - line, str(count), ha="center", va="center", fontsize=7, color=colour)
    first = rows.iloc[0]
    reason = first.get("reason")
    note = f"\n{textwrap.fill(reason, 48)}" if isinstance(reason, str) and reason else ""
    ax.text(
        0.98,
        0.97,
        f"log-rank p {p_text(first['logrank_p'])}\n"
        + (f"corrected for cut-off search p {p_text(first['maxstat_p'])} (Lau94)\n" if searched else "")
        + f"HR high vs low {_hazard(first)}{note}",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=7,
    )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(-0.02 * max_time, max_time * 1.02)
    ax.set_xticks(ticks)
    ax.set_ylabel(f"{endpoint.name}: probability of no event")
    ax.set_title(short_name(str(rows["mirna"].iloc[0])), fontsize=10)
    ax.legend(fontsize=7, loc="lower left", frameon=False)
    table_ax.set_xlim(ax.get_xlim())
    table_ax.set_ylim(-0.5, 1.5)
    table_ax.set_yticks([1, 0], ["low", "high"], fontsize=7)
    table_ax.set_xticks(ticks)
    table_ax.tick_params(axis="x", labelsize=7)
    table_ax.set_xlabel(f"{endpoint.time.name} (numbers at risk above)")
    for spine in ("top", "right", "left"):
        table_ax.spines[spine].set_visible(False)


def km_figure(
    endpoint: EndpointData,
    curves: pd.DataFrame,
    km: pd.DataFrame,
    names: dict[str, str],
    searched: bool = True,
) -> plt.Figure:
    """One Kaplan-Meier panel per marker of ``km`` (the KM table): strata, censor marks,
    medians, numbers at risk, log-rank and (``searched``: the cut-off was searched on
    these data) search-corrected p; a locked cut-off has no search to correct for. ``curves`` is the KM
    curve table (endpoint, mirna, stratum, time, survival, n_at_risk, events,
    censored) with rows at the :func:`km_ticks` of the endpoint's longest time."""
    markers = list(km["mirna"].unique())
    n = max(1, len(markers))
    fig, axes = plt.subplots(
        2, n, figsize=(4.6 * n, 4.6), squeeze=False, gridspec_kw={"height_ratios": [4, 1]}
    )
    for column, mirna in enumerate(markers):
        _km_panel(
            axes[0, column],
            axes[1, column],
            endpoint,
            curves[curves["mirna"] == mirna],
            km[km["mirna"] == mirna],
            searched,
        )
    if not markers:
        _message(axes[0, 0], "no markers")
        axes[1, 0].axis("off")
    fig.suptitle(
        f"{endpoint.name} by marker level ({names['population']}, n={len(endpoint.time)}, "
        f"{int(endpoint.event.sum())} events)",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def landmark_roc_figure(curves: pd.DataFrame, cutoffs: pd.DataFrame, counts: Mapping[str, Any]) -> plt.Figure:
    """ROC of each marker for 'event by the landmark' among evaluable patients.
    ``curves`` is the landmark ROC table (endpoint, mirna, threshold, sensitivity,
    specificity), ``cutoffs`` the cut-off table and ``counts`` the endpoint's landmark
    counts (endpoint, landmark, n_events, n_event_free, n_not_evaluable)."""
    name = counts["endpoint"]
    fig, ax = plt.subplots(figsize=(5, 5))
    table = cutoffs[cutoffs["endpoint"] == name].set_index("mirna")
    curves = curves[curves["endpoint"] == name]
    drawn, skipped = 0, []
    for colour, mirna in zip(plt.get_cmap("tab10").colors, table.index, strict=False):
        points = curves[curves["mirna"] == mirna]
        row = table.loc[mirna]
        if points.empty or pd.isna(row["landmark_auc"]):
            reason = row.get("reason")
            reason = reason if isinstance(reason, str) and reason else "no landmark events and non-events"
            skipped.append(f"{short_name(mirna)}: {reason}")
            continue
        drawn += 1
        ax.step(
            1 - points["specificity"].to_numpy(dtype=float),
            points["sensitivity"].to_numpy(dtype=float),
            where="post",
            color=colour,
            label=f"{short_name(mirna)}: AUC {row['landmark_auc']:.3f} ({row['landmark_auc_ci_low']:.2f}-"
            f"{row['landmark_auc_ci_high']:.2f})",
        )
        ax.scatter(1 - row["specificity"], row["sensitivity"], color=colour, edgecolor="black", zorder=3)
    if not drawn:
        reasons = list(dict.fromkeys(text.split(": ", 1)[1] for text in skipped))
        _message(ax, "\n".join(["no landmark ROC", *reasons]) if len(table) else "no markers")
    elif skipped:
        note = "not drawn:\n" + "\n".join(textwrap.fill(text, 50) for text in skipped)
        ax.text(0.98, 0.22, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=6)
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("sensitivity")
    ax.set_title(
        f"{name} event by {counts['landmark']:g}: {counts['n_events']} yes, {counts['n_event_free']} no, "
        f"{counts['n_not_evaluable']} not evaluable",
        fontsize=9,
    )
    if drawn:
        ax.legend(fontsize=7, loc="lower right", frameon=False)
    fig.tight_layout()
    return fig
