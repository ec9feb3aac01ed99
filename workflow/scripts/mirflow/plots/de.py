"""Figures of the differential-expression stage: volcano, MA, heatmap, box plots."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from mirflow.groups import CASE, CONTROL
from mirflow.plots.common import (
    GROUP_COLOURS,
    LABELLED_LIBRARIES,
    evenly_spaced,
    library_subsample,
    short_name,
)

NOT_CANDIDATE = "#BBBBBB"
# The heatmap clusters and draws at most this many libraries (an evenly spaced subsample
# within each group beyond it): clustering is quadratic in the libraries, and a figure
# column narrower than a pixel shows nothing more.
HEATMAP_LIBRARIES = 1000
# Box plots draw at most this many points per group (evenly spaced); boxes use every value.
POINTS_PER_GROUP = 300


def _label_slots(targets: np.ndarray, low: float, high: float, gap: float) -> np.ndarray:
    """Heights for labels wanted at ``targets`` (descending): each as close to its
    point as possible but at least ``gap`` below the one above, kept inside the axes."""
    slots = np.empty_like(targets)
    ceiling = high
    for i, target in enumerate(targets):
        slots[i] = min(target, ceiling)
        ceiling = slots[i] - gap
    overflow = low - slots[-1]
    if overflow > 0:  # pushed below the axes: shift everything up, still spaced by gap
        slots = np.minimum(slots + overflow, high - gap * np.arange(len(slots)))
    return slots


def _margin_labels(ax: plt.Axes, points: pd.DataFrame, x: str, y: str) -> None:
    """Name points in a column right of the axes, each near its point's height and at
    least one text line from its neighbours, with a leader line: labels cannot overlap."""
    if points.empty:
        return
    ordered = points.sort_values(y, ascending=False, kind="stable")
    low, high = ax.get_ylim()
    gap = 0.045 * (high - low)
    slots = _label_slots(ordered[y].to_numpy(dtype=float), low + gap / 2, high - gap / 2, gap)
    for (name, row), slot in zip(ordered.iterrows(), slots, strict=True):
        ax.annotate(
            short_name(str(name)),
            xy=(row[x], row[y]),
            xytext=(1.03, slot),
            textcoords=("axes fraction", "data"),
            fontsize=7,
            va="center",
            arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 2},
        )


def _scatter_candidates(ax: plt.Axes, x: pd.Series, y: pd.Series, hit: np.ndarray) -> None:
    """Other miRNAs small and grey, candidates larger and red, with counts in the legend."""
    hit = np.asarray(hit)
    for mask, size, colour, label in (
        (~hit, 8, NOT_CANDIDATE, "other miRNAs"),
        (hit, 14, GROUP_COLOURS[CASE], "candidates"),
    ):
        ax.scatter(
            x[mask], y[mask], s=size, color=colour, label=f"{label} (n={int(mask.sum())})", linewidth=0
        )


def volcano(
    table: pd.DataFrame,
    candidates: set[str],
    alpha: float,
    min_lfc: float,
    title: str,
    x_label: str = "log2 fold change (case / control)",
    n_labels: int = 15,
) -> plt.Figure:
    """-log10 adjusted p against log2 fold change; candidates red; the miRNAs passing
    both thresholds in this fit (the ``n_labels`` most significant) named in the margin."""
    data = table.dropna(subset=["p_adjusted", "log2_fold_change"]).set_index("mirna")
    data = data.assign(score=-np.log10(data["p_adjusted"].clip(lower=1e-300)))
    hit = data.index.isin(list(candidates))
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    _scatter_candidates(ax, data["log2_fold_change"], data["score"], hit)
    ax.axhline(-np.log10(alpha), color="black", linestyle="--", linewidth=0.8)
    for sign in (-1, 1):
        ax.axvline(sign * min_lfc, color="black", linestyle=":", linewidth=0.8)
    ax.set_xlabel(x_label)
    ax.set_ylabel("-log10 adjusted p")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    passing = (data["p_adjusted"] < alpha) & (data["log2_fold_change"].abs() >= min_lfc)
    top = data[passing].sort_values("score", ascending=False, kind="stable").head(n_labels)
    _margin_labels(ax, top, "log2_fold_change", "score")
    fig.tight_layout()
    return fig


def ma_plot(table: pd.DataFrame, candidates: set[str], title: str) -> plt.Figure:
    """log2 fold change against mean normalised count (log scale); candidates red."""
    data = table.dropna(subset=["log2_fold_change"])
    hit = data["mirna"].isin(list(candidates))
    fig, ax = plt.subplots(figsize=(6, 4.5))
    _scatter_candidates(ax, data["base_mean"], data["log2_fold_change"], hit)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("mean of normalised counts")
    ax.set_ylabel("log2 fold change (case / control)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


def _message_figure(text: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(5, 2))
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=10)
    ax.set_axis_off()
    return fig


def heatmap(
    values: pd.DataFrame, labels: pd.Series, names: dict[str, str], annotation: pd.Series | None
) -> plt.Figure:
    """Candidates' z-scored values (rows), samples clustered (columns), annotated with
    group and, when given, a continuous covariate such as age (grey scale).

    Beyond :data:`LABELLED_LIBRARIES` samples the per-sample labels are left out, and
    beyond :data:`HEATMAP_LIBRARIES` an evenly spaced subsample within each group is
    clustered and drawn (z-scores and the covariate's scale from all samples); the
    x-axis label says how many are shown."""
    if len(values) < 2:
        return _message_figure(f"{len(values)} candidate miRNA(s): no heatmap")
    shown = library_subsample(values.columns, labels, HEATMAP_LIBRARIES)
    labelled = len(values.columns) <= LABELLED_LIBRARIES
    z = values.sub(values.mean(axis=1), axis=0).div(values.std(axis=1, ddof=1).replace(0, 1), axis=0)[shown]
    z.index = [short_name(str(m)) for m in z.index]
    colours = pd.DataFrame(
        {"group": labels[shown].map({CASE: GROUP_COLOURS[CASE], CONTROL: GROUP_COLOURS[CONTROL]})}
    )
    if annotation is not None:
        scaled = (annotation - annotation.min()) / (annotation.max() - annotation.min())
        colours[str(annotation.name)] = [
            plt.get_cmap("Greys")(0.15 + 0.85 * v) if pd.notna(v) else "white" for v in scaled[shown]
        ]
    grid = sns.clustermap(
        z,
        cmap="RdBu_r",
        center=0,
        vmin=-3,
        vmax=3,
        col_colors=colours,
        method="average",
        metric="euclidean",
        xticklabels=labelled,
        yticklabels=True,
        figsize=(max(7, 0.2 * min(z.shape[1], LABELLED_LIBRARIES) + 3), max(4, 0.25 * len(z) + 2.5)),
        cbar_kws={"label": "z-score"},
        dendrogram_ratio=(0.12, 0.1),
        rasterized=not labelled,
    )
    if labelled:
        grid.ax_heatmap.set_xlabel("sample")
    elif len(shown) < len(values.columns):
        grid.ax_heatmap.set_xlabel(
            f"{len(shown):,} of {len(values.columns):,} samples shown (evenly spaced within each group); "
            "clustered on those shown"
        )
    else:
        grid.ax_heatmap.set_xlabel(f"{len(shown):,} samples (per-sample labels left out)")
    grid.ax_heatmap.tick_params(axis="x", labelsize=6)
    grid.ax_heatmap.tick_params(axis="y", labelsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=GROUP_COLOURS[g]) for g in (CONTROL, CASE)]
    counts = [int((labels[values.columns] == g).sum()) for g in (CONTROL, CASE)]
    legend = [f"{names[g]} (n={n})" for g, n in zip((CONTROL, CASE), counts, strict=True)]
    legend_title = "group"
    if annotation is not None:
        legend_title += f"; {annotation.name} {annotation.min():.0f} (light) to {annotation.max():.0f} (dark)"
    grid.ax_col_dendrogram.legend(
        handles,
        legend,
        title=legend_title,
        fontsize=7,
        title_fontsize=7,
        frameon=False,
        loc="center",
        ncol=2,
        bbox_to_anchor=(0.5, 1.3),
    )
    return grid.figure


def box_plots(
    values: pd.DataFrame, labels: pd.Series, names: dict[str, str], y_label: str, seed: int, ncols: int = 5
) -> plt.Figure:
    """One panel per miRNA: values per group as box plots with the samples as points
    (the seed's Fig 7A). Point jitter is seeded so the figure is reproducible. The boxes
    use every value; a group of more than :data:`POINTS_PER_GROUP` samples is drawn as
    that many evenly spaced points, as the title says."""
    if values.empty:
        return _message_figure("no candidate miRNAs")
    rng = np.random.default_rng(seed)
    nrows = int(np.ceil(len(values) / ncols))
    ncols = min(ncols, len(values))
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.2 * ncols, 2.4 * nrows), squeeze=False)
    groups = [(CONTROL, names[CONTROL]), (CASE, names[CASE])]
    for ax, (mirna, row) in zip(axes.flat, values.iterrows(), strict=False):
        data = [row[labels[row.index] == g].to_numpy(dtype=float) for g, _ in groups]
        ax.boxplot(data, widths=0.55, showfliers=False, medianprops={"color": "black"})
        for i, (points, (group, _)) in enumerate(zip(data, groups, strict=True), start=1):
            drawn = points[evenly_spaced(len(points), POINTS_PER_GROUP)]
            ax.scatter(
                i + rng.uniform(-0.15, 0.15, len(drawn)),
                drawn,
                s=8,
                alpha=0.8,
                color=GROUP_COLOURS[group],
                linewidth=0,
            )
        ax.set_xticks(
            [1, 2], [f"{n}\n(n={len(d)})" for (_, n), d in zip(groups, data, strict=True)], fontsize=7
        )
        ax.set_title(short_name(str(mirna)), fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
    for ax in axes[:, 0]:
        ax.set_ylabel(y_label, fontsize=8)
    for ax in list(axes.flat)[len(values) :]:
        ax.set_axis_off()
    sizes = labels[values.columns].value_counts()
    if sizes.max() > POINTS_PER_GROUP:
        fig.suptitle(
            f"Points: at most {POINTS_PER_GROUP} samples per group, evenly spaced in sheet order "
            f"({', '.join(f'{n} n={sizes.get(g, 0):,}' for g, n in groups)}); boxes from all samples",
            fontsize=9,
        )
    fig.tight_layout()
    return fig
