"""Workflow steps of the differential-expression stage (SPEC stage 4)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mirflow import de, de_plots, normalise, plots, wilcoxon
from mirflow.samples import CASE, CONTROL, is_continuous, read_sample_sheet
from mirflow.tables import read_design, read_tsv, write_tsv

log = logging.getLogger(__name__)
Config = Mapping[str, Any]


def run_deseq2(
    config: Config,
    raw_path: str,
    normalised_path: str,
    covariates_path: str,
    out_adjusted: str,
    out_unadjusted: str,
    threads: int = 1,
) -> None:
    """DESeq2 Wald tests: ``~ contrast`` and, with covariates, ``~ covariates + contrast``.

    Without covariates both files hold the one ``~ contrast`` fit.
    """
    covariates, labels = read_design(covariates_path)
    kept = read_tsv(normalised_path, index_col="mirna").index
    counts = read_tsv(raw_path, index_col="mirna").loc[kept]
    alpha = config["de"]["alpha"]
    frame, formula, _ = de.design_frame(labels, None)
    log.info("DESeq2 %s on %d miRNAs x %d samples", de.design_label({}), *counts[frame.index].shape)
    unadjusted = de.run_deseq2(counts, frame, formula, alpha, threads)
    adjusted = unadjusted
    if covariates.shape[1]:
        frame, formula, names = de.design_frame(labels, covariates)
        de.check_full_rank(frame, formula, names, config["samples"])
        log.info("DESeq2 %s on %d samples", de.design_label(names), len(frame))
        adjusted = de.run_deseq2(counts, frame, formula, alpha, threads)
    for name, table in (("unadjusted", unadjusted), ("adjusted", adjusted)):
        log.info("%s fit: %d miRNAs with padj < %g", name, int((table["p_adjusted"] < alpha).sum()), alpha)
    write_tsv(adjusted, out_adjusted)
    write_tsv(unadjusted, out_unadjusted)


def run_wilcoxon(normalised_path: str, covariates_path: str, out: str) -> None:
    """Shapiro-Wilk and Wilcoxon-Mann-Whitney per miRNA on normalised values, BH."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")[labels.index]
    write_tsv(wilcoxon.wilcoxon_table(values, labels), out)


def run_candidates(
    config: Config,
    wilcoxon_path: str,
    normalised_path: str,
    covariates_path: str,
    out_candidates: str,
    out_table4: str,
    deseq2_paths: Sequence[str] = (),
) -> None:
    """Candidates from the fit named by ``de.screen`` (Wilcoxon for expression values)
    and the seed's Table 4 for them."""
    settings = config["de"]
    tests = read_tsv(wilcoxon_path)
    if deseq2_paths:
        adjusted, unadjusted = (read_tsv(p) for p in deseq2_paths)
        screened_by = settings["screen"]
        screen, other = (adjusted, unadjusted) if screened_by == "adjusted" else (unadjusted, adjusted)
    else:
        screened_by, other = "wilcoxon", None
        screen = tests.assign(log2_fold_change=tests["log2_median_ratio"])
    found = de.candidates(screen, other, settings["alpha"], settings["min_log2_fold_change"], screened_by)
    log.info(
        "%d candidate miRNAs (%s: padj < %g, |log2FC| >= %g)",
        len(found),
        screened_by,
        settings["alpha"],
        settings["min_log2_fold_change"],
    )
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")[labels.index]
    write_tsv(found, out_candidates)
    write_tsv(wilcoxon.table4(values, labels, tests, found["mirna"].tolist()), out_table4)


def _annotation(config: Config, samples: pd.Index) -> pd.Series | None:
    """Raw values of the first continuous covariate (age in the demo), for the heatmap."""
    sheet = read_sample_sheet(config["samples"])
    for column in config["covariates"]:
        if is_continuous(sheet[column]):
            return pd.to_numeric(sheet.loc[samples, column]).rename(column)
    return None


def run_de_figures(
    config: Config,
    candidates_path: str,
    transformed_path: str,
    covariates_path: str,
    fits: Mapping[str, str],
    figures: Mapping[str, Sequence[str]],
) -> None:
    """Volcano and MA plots per fit, heatmap and box plots of the candidates.

    ``fits`` maps a fit name (unadjusted/adjusted/wilcoxon) to its table; ``figures``
    maps a figure name to its (png, pdf) paths.
    """
    settings = config["de"]
    found = read_tsv(candidates_path)["mirna"].tolist()
    _, labels = read_design(covariates_path)
    values = read_tsv(transformed_path, index_col="mirna")[labels.index]
    names = {CASE: str(config["contrast"]["case"]), CONTROL: str(config["contrast"]["control"])}
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
            plots.save(de_plots.ma_plot(table, set(found), title), *figures[f"de_ma_{fit}"])
        figure = de_plots.volcano(
            table, set(found), settings["alpha"], settings["min_log2_fold_change"], title, x_label
        )
        plots.save(figure, *figures[f"de_volcano_{fit}"])
    annotation = _annotation(config, values.columns)
    plots.save(de_plots.heatmap(values.loc[found], labels, names, annotation), *figures["de_heatmap"])
    how = normalise.resolve_transform(config["counts"]["transform"], config["counts"]["kind"])
    scale = "log2(normalised + 1)" if how == "log2" else "normalised value"
    plots.save(
        de_plots.box_plots(values.loc[found], labels, names, scale, config["seed"]), *figures["de_boxplots"]
    )
