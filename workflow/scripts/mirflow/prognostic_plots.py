"""Figures of the prognostic stage: Kaplan-Meier curves with numbers at risk (the seed's
Fig 8A/C) and ROC curves of the landmark events (Fig 8B/D)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from statsmodels.duration.survfunc import SurvfuncRight

from mirflow import roc, survival
from mirflow.de_plots import short_name
from mirflow.prognostic import Endpoint

STRATUM_COLOURS = {"low": "#4C72B0", "high": "#C44E52"}


def _p(value: float) -> str:
    return "NA" if pd.isna(value) else (f"{value:.3f}" if value >= 0.001 else f"{value:.1e}")


def _median(value: float) -> str:
    return "NR" if pd.isna(value) else f"{value:.1f}"


def _km_panel(
    ax: plt.Axes, table_ax: plt.Axes, endpoint: Endpoint, values: pd.Series, rows: pd.DataFrame
) -> None:
    cutoff = rows["cutoff"].iloc[0]
    high = (values >= cutoff).to_numpy()
    ticks = MaxNLocator(6).tick_values(0, float(endpoint.time.max()))
    ticks = ticks[ticks <= endpoint.time.max()]
    for line, (stratum, mask) in enumerate((("low", ~high), ("high", high))):
        row = rows.set_index("stratum").loc[stratum]
        time, event = endpoint.time.to_numpy()[mask], endpoint.event.to_numpy()[mask]
        sign = "<" if stratum == "low" else ">="
        label = f"{sign} {cutoff:.4g}: n={int(row['n'])}, median {_median(row['median'])}"
        colour = STRATUM_COLOURS[stratum]
        if len(time):
            fit = SurvfuncRight(time, event)
            x = np.concatenate([[0], fit.surv_times])
            y = np.concatenate([[1], fit.surv_prob])
            ax.step(x, y, where="post", color=colour, label=label, linewidth=1.4)
            censored = time[event == 0]
            ax.plot(
                censored,
                [
                    fit.surv_prob[np.searchsorted(fit.surv_times, t, side="right") - 1]
                    if t >= fit.surv_times[0]
                    else 1.0
                    for t in censored
                ],
                "|",
                color=colour,
                markersize=7,
            )
        at_risk = [(time >= t).sum() for t in ticks]
        for t, count in zip(ticks, at_risk, strict=True):
            table_ax.text(t, 1 - line, str(count), ha="center", va="center", fontsize=7, color=colour)
    first = rows.iloc[0]
    ax.text(
        0.98,
        0.97,
        f"log-rank p = {_p(first['logrank_p'])}\ncorrected for cut-off search p = "
        f"{_p(first['maxstat_p'])} (Lau94)\nHR high vs low {first['hazard_ratio']:.2f} "
        f"({first['hr_ci_low']:.2f}-{first['hr_ci_high']:.2f})",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=7,
    )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(-0.02 * endpoint.time.max(), endpoint.time.max() * 1.02)
    ax.set_xticks(ticks)
    ax.set_ylabel(f"{endpoint.name} probability")
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
    endpoint: Endpoint, curves: dict[str, pd.Series], km: pd.DataFrame, names: dict[str, str]
) -> plt.Figure:
    """One Kaplan-Meier panel per marker: strata, censor marks, medians, numbers at risk,
    log-rank and search-corrected p."""
    n = max(1, len(curves))
    fig, axes = plt.subplots(
        2, n, figsize=(4.6 * n, 4.6), squeeze=False, gridspec_kw={"height_ratios": [4, 1]}
    )
    for column, (mirna, values) in enumerate(curves.items()):
        _km_panel(axes[0, column], axes[1, column], endpoint, values, km[km["mirna"] == mirna])
    if not curves:
        axes[0, 0].text(0.5, 0.5, "no markers", ha="center")
    fig.suptitle(
        f"{endpoint.name} by marker level ({names['population']}, n={len(endpoint.time)}, "
        f"{int(endpoint.event.sum())} events)",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def landmark_roc_figure(
    endpoint: Endpoint, curves: dict[str, pd.Series], cutoffs: pd.DataFrame
) -> plt.Figure:
    """ROC of each marker for 'event by the landmark' among evaluable patients."""
    status = survival.landmark_status(endpoint.time, endpoint.event, endpoint.landmark)
    fig, ax = plt.subplots(figsize=(5, 5))
    table = cutoffs[cutoffs["endpoint"] == endpoint.name].set_index("mirna")
    for colour, (mirna, values) in zip(plt.get_cmap("tab10").colors, curves.items(), strict=False):
        early, late = values[status == 1].to_numpy(), values[status == 0].to_numpy()
        if not (len(early) and len(late)):
            continue
        _, sensitivity, specificity = roc.roc_points(early, late, "<")
        row = table.loc[mirna]
        ax.step(
            np.r_[1, 1 - specificity, 0],
            np.r_[1, sensitivity, 0],
            where="post",
            color=colour,
            label=f"{short_name(mirna)}: AUC {row['landmark_auc']:.3f} ({row['landmark_auc_ci_low']:.2f}-"
            f"{row['landmark_auc_ci_high']:.2f})",
        )
        ax.scatter(1 - row["specificity"], row["sensitivity"], color=colour, edgecolor="black", zorder=3)
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("sensitivity")
    n_early, n_late = int((status == 1).sum()), int((status == 0).sum())
    ax.set_title(
        f"{endpoint.name} event by {endpoint.landmark:g}: {n_early} yes, {n_late} no, "
        f"{int(status.isna().sum())} not evaluable",
        fontsize=9,
    )
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    fig.tight_layout()
    return fig
