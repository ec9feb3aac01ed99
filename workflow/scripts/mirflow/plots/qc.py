"""Figures of the QC stage: library size vs hemolysis, PCA."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mirflow.plots.common import GROUP_COLOURS, LABELLED_LIBRARIES

# Excluded samples named in the PCA (more would cover each other).
NAMED_EXCLUDED = 20


def _status(qc: pd.DataFrame, labels: pd.Series, names: dict[str, str]) -> pd.Series:
    """Legend label per sample: the group name, or 'excluded'."""
    status = labels.reindex(qc["sample"]).map(names).fillna("not in contrast")
    status[qc["excluded"].to_numpy()] = "excluded"
    return pd.Series(status.to_numpy(), index=qc["sample"])


def qc_overview(
    qc: pd.DataFrame,
    labels: pd.Series,
    names: dict[str, str],
    min_library_size: float | None,
    max_hemolysis_log2: float,
) -> plt.Figure:
    """Three panels per sample: library size, miRNAs detected, hemolysis ratio.

    Up to :data:`LABELLED_LIBRARIES` samples, one labelled bar each; more, every sample
    is still drawn (an outlier must stay visible) as one filled step line per status,
    excluded samples also as dots, without per-sample labels, at a capped width."""
    status = _status(qc, labels, names)
    colours = {
        names["control"]: GROUP_COLOURS["control"],
        names["case"]: GROUP_COLOURS["case"],
        "excluded": GROUP_COLOURS["excluded"],
        "not in contrast": "#BBBBBB",
    }
    order = qc.assign(status=status.to_numpy()).sort_values(["status", "sample"], kind="stable")
    labelled = len(order) <= LABELLED_LIBRARIES
    fig, axes = plt.subplots(3, 1, figsize=(max(7, 0.18 * min(len(qc), LABELLED_LIBRARIES)), 8), sharex=True)
    x = np.arange(len(order))
    panels = (
        ("library_size", "Library size\n(miRNA counts)", min_library_size),
        ("detected", "miRNAs detected\n(count >= 1)", None),
        ("hemolysis_log2", "Hemolysis\nlog2(miR-451a / miR-23a-3p)", max_hemolysis_log2),
    )
    for ax, (column, label, threshold) in zip(axes, panels, strict=True):
        heights = order[column].fillna(0)
        if labelled:
            ax.bar(x, heights, color=[colours[s] for s in order["status"]])
        else:
            statuses, y = order["status"].to_numpy(), heights.to_numpy()
            for s in pd.unique(statuses):
                block = np.flatnonzero(statuses == s)
                edges = np.r_[block, block[-1] + 1] - 0.5
                ax.stairs(y[block], edges, fill=True, color=colours[s], linewidth=0)
            excluded = statuses == "excluded"
            ax.scatter(x[excluded], y[excluded], s=12, color=colours["excluded"], edgecolor="black", zorder=3)
        ax.set_ylabel(label)
        if threshold is not None:
            ax.axhline(threshold, color="black", linestyle="--", linewidth=1)
    title = "Sample QC (dashed lines: thresholds)"
    if labelled:
        axes[-1].set_xticks(x, order["sample"], rotation=90, fontsize=6)
        axes[-1].set_xlabel("Sample")
    else:
        axes[-1].set_xticks([])
        axes[-1].set_xlabel(f"{len(order):,} samples, one column each, ordered by status then id")
        title += f"\nall {len(order):,} samples drawn; per-sample labels left out (ids in the QC table)"
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c) for s, c in colours.items() if (order["status"] == s).any()
    ]
    labels_shown = [
        f"{s} (n={int((order['status'] == s).sum())})" for s in colours if (order["status"] == s).any()
    ]
    axes[0].legend(handles, labels_shown, loc="upper right", fontsize=7, frameon=False)
    axes[0].set_title(title)
    fig.tight_layout()
    return fig


def pca_plot(
    scores: pd.DataFrame, variance: np.ndarray, qc: pd.DataFrame, labels: pd.Series, names: dict[str, str]
) -> plt.Figure:
    """PC1 vs PC2 of log2 CPM, coloured by group, excluded samples grey and named."""
    status = _status(qc, labels, names)
    colours = {
        names["control"]: GROUP_COLOURS["control"],
        names["case"]: GROUP_COLOURS["case"],
        "excluded": GROUP_COLOURS["excluded"],
        "not in contrast": "#BBBBBB",
    }
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    for group, colour in colours.items():
        members = status.index[status == group]
        if len(members):
            ax.scatter(
                scores.loc[members, "PC1"],
                scores.loc[members, "PC2"],
                s=25,
                color=colour,
                label=f"{group} (n={len(members)})",
                edgecolor="white",
                linewidth=0.5,
            )
    excluded = status.index[status == "excluded"]
    for sample in excluded if len(excluded) <= NAMED_EXCLUDED else ():
        ax.annotate(
            sample,
            (scores.at[sample, "PC1"], scores.at[sample, "PC2"]),
            fontsize=7,
            xytext=(4, 4),
            textcoords="offset points",
        )
    ax.set_xlabel(f"PC1 ({100 * variance[0]:.1f}% of variance)")
    ax.set_ylabel(f"PC2 ({100 * variance[1]:.1f}% of variance)")
    title = "PCA of log2 CPM (most variable miRNAs)"
    if len(excluded) > NAMED_EXCLUDED:
        title += f"\n{len(excluded)} excluded samples, not named (ids in the QC table)"
    ax.set_title(title)
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig
