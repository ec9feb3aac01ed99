"""Step of rule de_figures: volcano and MA plots, heatmap and box plots of the candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from mirflow.groups import CASE, CONTROL
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_design, read_tsv
from mirflow.plots import de as de_plots
from mirflow.plots.common import save
from mirflow.settings import ContrastSettings, DESettings
from mirflow.stats.design import is_continuous


def _annotation(samples_path: str, covariates: Sequence[str], samples: pd.Index) -> pd.Series | None:
    """Raw values of the first continuous covariate (age in the demo), for the heatmap."""
    sheet = read_sample_sheet(samples_path, warn=False)
    for column in covariates:
        if is_continuous(sheet[column]):
            return pd.to_numeric(sheet.loc[samples, column]).rename(column)
    return None


def run_de_figures(
    settings: DESettings,
    contrast: ContrastSettings,
    transform: str,
    covariates: Sequence[str],
    seed: int,
    samples_path: str,
    candidates_path: str,
    transformed_path: str,
    covariates_path: str,
    fits: Mapping[str, str],
    figures: Mapping[str, Sequence[str]],
) -> None:
    """Volcano and MA plots per fit, heatmap and box plots of the candidates.

    ``transform`` is the resolved ``counts.transform`` (log2 or none); ``fits`` maps a
    fit name (unadjusted/adjusted/wilcoxon) to its table; ``figures`` maps a figure
    name to its paths (one per format).
    """
    found = read_tsv(candidates_path)["mirna"].tolist()
    _, labels = read_design(covariates_path)
    values = read_tsv(transformed_path, index_col="mirna").loc[found, labels.index]  # the candidates only
    names = contrast.names
    n = f"{names[CASE]} n={int((labels == CASE).sum())}, {names[CONTROL]} n={int((labels == CONTROL).sum())}"
    for fit, path in fits.items():
        table = read_tsv(path)
        if fit == "wilcoxon":
            table = table.assign(log2_fold_change=table["log2_median_ratio"])
            x_label = "log2 ratio of group medians (case / control)"
            title = f"Wilcoxon-Mann-Whitney, BH ({n})"
        else:
            x_label = "log2 fold change (case / control)"
            title = f"DESeq2 {fit} fit ({n})"
            save(de_plots.ma_plot(table, set(found), title), *figures[f"de_ma_{fit}"])
        figure = de_plots.volcano(
            table, set(found), settings.alpha, settings.min_log2_fold_change, title, x_label
        )
        save(figure, *figures[f"de_volcano_{fit}"])
    annotation = _annotation(samples_path, covariates, values.columns)
    save(de_plots.heatmap(values, labels, names, annotation), *figures["de_heatmap"])
    scale = "log2(normalised + 1)" if transform == "log2" else "normalised value"
    save(de_plots.box_plots(values, labels, names, scale, seed), *figures["de_boxplots"])
