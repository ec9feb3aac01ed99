"""Figures of the diagnostic stage: ROC curves, panel ROC, forest plot of odds ratios.

The figures draw the tables they are given (the curve tables of
:mod:`mirflow.analyses.diagnostic`); nothing is estimated here."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from mirflow.formatting import plain
from mirflow.groups import CASE, CONTROL
from mirflow.plots.common import short_name

PALETTE = plt.get_cmap("tab10").colors


def _format_ci(row: pd.Series) -> str:
    if pd.isna(row["auc_ci_low"]):
        return f"AUC {row['auc']:.3f}"
    return f"AUC {row['auc']:.3f} ({row['auc_ci_low']:.2f}-{row['auc_ci_high']:.2f})"


def _empty(ax: plt.Axes, text: str) -> None:
    wrapped = "\n".join(textwrap.fill(line, 48) for line in text.split("\n"))
    box = {"facecolor": "white", "edgecolor": "none"}
    ax.text(0.5, 0.5, wrapped, ha="center", va="center", transform=ax.transAxes, fontsize=8, bbox=box)


def _square(ax: plt.Axes, title: str) -> None:
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=0.8)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("sensitivity")
    ax.set_title(title, fontsize=10)


def roc_curves(curves: pd.DataFrame, table: pd.DataFrame, names: dict[str, str]) -> plt.Figure:
    """Empirical ROC curve per marker with its cut-off marked and AUC (95% CI) in the
    legend (the seed's Fig 7B). ``curves`` is the ROC curve table (mirna, threshold,
    sensitivity, specificity; the ends included), ``table`` the ROC table."""
    fig, ax = plt.subplots(figsize=(5.2, 5.2))
    rows = table.set_index("mirna")
    for colour, mirna in zip(PALETTE, table["mirna"], strict=False):
        row = rows.loc[mirna]
        points = curves[curves["mirna"] == mirna]
        x = 1 - points["specificity"].to_numpy(dtype=float)
        y = points["sensitivity"].to_numpy(dtype=float)
        label = f"{short_name(mirna)}: {_format_ci(row)}"
        if pd.notna(row["cutoff"]):
            ax.scatter(
                1 - row["specificity"],
                row["sensitivity"],
                color=colour,
                s=30,
                zorder=3,
                edgecolor="black",
                linewidth=0.6,
            )
            label += f"\ncut-off {'>=' if row['direction'] == '<' else '<='} {plain(row['cutoff'])}"
        ax.step(x, y, where="post", color=colour, linewidth=1.4, label=label)
    if table.empty:
        _empty(ax, "no markers")
    n_case, n_control = (
        (int(table["n_case"].iloc[0]), int(table["n_control"].iloc[0])) if len(table) else (0, 0)
    )
    _square(ax, f"{names[CASE]} (n={n_case}) vs {names[CONTROL]} (n={n_control}); dots: cut-offs")
    if ax.get_legend_handles_labels()[0]:  # no curve (no marker, or none estimable): no legend
        ax.legend(fontsize=7, loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def panel_roc(curves: pd.DataFrame, panel: pd.Series, names: dict[str, str]) -> plt.Figure:
    """Out-of-fold ROC curve of every cross-validation repeat (grey) with the CV AUC.
    ``curves`` is the panel curve table (repeat, threshold, sensitivity, specificity,
    n_case, n_control), ``panel`` the panel table's row (its ``reason`` is shown when
    the panel was not fitted)."""
    fig, ax = plt.subplots(figsize=(5.2, 5.2))
    if curves.empty:
        reason = panel.get("reason")
        fitted = isinstance(reason, str) and reason
        _empty(ax, f"panel not fitted:\n{reason}" if fitted else "no markers: no panel")
    for _, repeat in curves.groupby("repeat", sort=True):
        ax.plot(
            1 - repeat["specificity"].to_numpy(dtype=float),
            repeat["sensitivity"].to_numpy(dtype=float),
            color="#555555",
            alpha=0.25,
            linewidth=0.8,
        )
    if not curves.empty:
        label = (
            f"cross-validated AUC {panel['auc_cv']:.3f} (SD {panel['auc_cv_sd']:.3f})\n"
            f"{int(panel['n_repeats'])} x {int(panel['n_folds'])}-fold; apparent AUC "
            f"{panel['auc_apparent']:.3f} (optimistic)"
        )
        ax.plot([], [], color="#555555", label=label)
        ax.legend(fontsize=7, loc="lower right", frameon=False)
    markers = ", ".join(short_name(m) for m in str(panel["markers"]).split(";") if m) or "-"
    title = textwrap.fill(f"Panel: {markers}", 80)
    if len(curves):
        first = curves.sort_values("repeat", kind="stable").iloc[0]
        title += f"\n{names[CASE]} n={int(first['n_case'])}, {names[CONTROL]} n={int(first['n_control'])}"
    _square(ax, title)
    fig.tight_layout()
    return fig


def forest(table: pd.DataFrame, markers: list[str], covariates: str) -> plt.Figure:
    """Odds ratio (95% CI, log scale) of each candidate's adjusted logistic model; the
    selected markers in red; squares mark Firth fits."""
    data = table.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(6, max(2.5, 0.3 * len(data) + 1.2)))
    for i, row in data.iterrows():
        colour = "#C44E52" if row["mirna"] in markers else "#333333"
        ax.plot([row["ci_low"], row["ci_high"]], [i, i], color=colour, linewidth=1.2)
        ax.scatter(
            row["odds_ratio"],
            i,
            color=colour,
            s=28,
            zorder=3,
            marker="s" if row["method"] == "firth" else "o",
        )
    ax.axvline(1, color="#999999", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(
        range(len(data)),
        [f"{short_name(m)} (p={p:.2g})" for m, p in zip(data["mirna"], data["p_value"], strict=True)],
        fontsize=7,
    )
    ax.set_xlabel("odds ratio per unit of the marker (log2 by default), 95% CI")
    ax.set_title(
        f"case ~ marker + {covariates}\nred: markers; squares: Firth's penalised likelihood", fontsize=9
    )
    if data.empty:
        _empty(ax, "no candidates")
    fig.tight_layout()
    return fig
