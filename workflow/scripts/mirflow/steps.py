"""One function per workflow step: read its inputs, call the library, write its outputs.

These take plain paths and the resolved config (a dict), so the rule scripts stay
two-line adapters and the steps can be run from tests or a notebook without Snakemake.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mirflow import cohort, normalise, plots, qc
from mirflow.errors import InputError
from mirflow.names import MirbaseNames, harmonise
from mirflow.readers import read_counts
from mirflow.samples import (
    CASE,
    CONTROL,
    check_sample_sheet,
    contrast_labels,
    covariate_frame,
    match_samples,
    read_sample_sheet,
)
from mirflow.tables import read_tsv, write_tsv

log = logging.getLogger(__name__)
Config = Mapping[str, Any]


def count_paths(config: Config) -> list[Path]:
    """``counts.path`` as a list of files; glob patterns are expanded and sorted."""
    given = config["counts"]["path"]
    paths: list[Path] = []
    for entry in [given] if isinstance(given, str) else given:
        matches = sorted(glob.glob(entry)) if glob.has_magic(entry) else [entry]
        if not matches or not Path(matches[0]).exists():
            raise InputError(entry, "no such file", "check counts.path in the config")
        paths += [Path(m) for m in matches]
    return paths


def load_sheet(config: Config) -> tuple[pd.DataFrame, pd.Series]:
    """The checked sample sheet and each sample's contrast label (case/control/NA)."""
    sheet = read_sample_sheet(config["samples"])
    check_sample_sheet(sheet, config["samples"], config)
    return sheet, contrast_labels(sheet, config["contrast"])


def import_counts(
    config: Config, mirbase_v21: str, mirbase_v22: str, out_counts: str, out_report: str, out_unmatched: str
) -> None:
    """Read the count table(s), harmonise names, keep the sheet's samples."""
    sheet, _ = load_sheet(config)
    counts_cfg = config["counts"]
    file_map = sheet["file"].dropna().astype(str) if "file" in sheet.columns else pd.Series(dtype=str)
    counts = read_counts(
        count_paths(config),
        counts_cfg["format"],
        counts_cfg["value"],
        counts_cfg["kind"],
        {name: sample for sample, name in file_map.items()},
    )
    harmonised, report = harmonise(counts, MirbaseNames.from_files(mirbase_v21, mirbase_v22))
    for action, n in report["action"].value_counts().sort_index().items():
        log.info("harmonisation: %d feature(s) %s", n, action)
    table, ignored = match_samples(sheet, config["samples"], harmonised, count_paths(config)[0])
    if ignored:
        log.warning(
            "%d count-table sample(s) not in the sample sheet are ignored: %s",
            len(ignored),
            ", ".join(ignored),
        )
    write_tsv(table, out_counts, index_label="mirna")
    write_tsv(report, out_report)
    write_tsv(
        pd.DataFrame({"sample": ignored, "reason": "in the count table, not in the sample sheet"}),
        out_unmatched,
    )


def run_qc(
    config: Config,
    counts_path: str,
    out_samples: str,
    out_pca: str,
    fig_qc: tuple[str, str],
    fig_pca: tuple[str, str],
) -> None:
    """QC metrics, exclusions with reasons, PCA, and their figures."""
    sheet, labels = load_sheet(config)
    counts = read_tsv(counts_path, index_col="mirna")
    settings = config["qc"]
    hemolysis = settings["hemolysis"]
    metrics = qc.qc_metrics(counts, hemolysis["numerator"], hemolysis["denominator"])
    min_size = settings["min_library_size"] if config["counts"]["kind"] == "counts" else None
    table = qc.exclusion_reasons(
        metrics, labels, min_size, settings["max_hemolysis_log2"], settings["exclude"]
    )
    outside = table["reason"] == "not in contrast"
    if outside.any():
        log.info(
            "%d sample(s) not in the contrast (%s neither %s nor %s): %s",
            int(outside.sum()),
            config["contrast"]["column"],
            config["contrast"]["case"],
            config["contrast"]["control"],
            ", ".join(table.loc[outside, "sample"]),
        )
    for row in table[table["excluded"] & ~outside].itertuples():
        log.warning("excluded %s: %s", row.sample, row.reason)
    kept = table.loc[~table["excluded"], "sample"]
    log.info(
        "QC: %d of %d samples kept (%d case, %d control)",
        len(kept),
        len(table),
        int((labels[kept] == CASE).sum()),
        int((labels[kept] == CONTROL).sum()),
    )
    for level in (CASE, CONTROL):
        if not (labels[kept] == level).any():
            raise InputError(
                config["samples"], f"no {level} sample is left after QC", "check qc thresholds and qc.exclude"
            )
    write_tsv(table.assign(group=sheet[config["contrast"]["column"]].to_numpy()), out_samples)
    values = qc.log_cpm(counts) if config["counts"]["kind"] == "counts" else counts
    scores, variance = qc.pca_scores(values)
    write_tsv(scores.reset_index(), out_pca)
    names = {CASE: str(config["contrast"]["case"]), CONTROL: str(config["contrast"]["control"])}
    plots.save(plots.qc_overview(table, labels, names, min_size, settings["max_hemolysis_log2"]), *fig_qc)
    plots.save(plots.pca_plot(scores, variance, table, labels, names), *fig_pca)


def run_normalise(
    config: Config,
    counts_path: str,
    qc_path: str,
    out_raw: str,
    out_normalised: str,
    out_size_factors: str,
    out_filtered: str,
    out_transformed: str,
) -> None:
    """Filter miRNAs, estimate size factors, write raw/normalised/transformed tables."""
    _, labels = load_sheet(config)
    counts = read_tsv(counts_path, index_col="mirna")
    qc_table = read_tsv(qc_path)
    kept = qc_table.loc[~qc_table["excluded"].astype(bool), "sample"].astype(str).tolist()
    raw = counts[kept]
    kind = config["counts"]["kind"]
    if kind == "counts":
        settings = config["filter"]
        filtered, dropped = normalise.filter_mirnas(
            raw, labels, settings["min_count"], settings["min_fraction"]
        )
        factors, method = normalise.size_factors(filtered, config["normalisation"], raw.sum(axis=0))
        values = normalise.normalise(filtered, factors)
        log.info("size factors (%s): %.3f-%.3f", method, factors.min(), factors.max())
    else:
        log.info("counts.kind is expression: no filtering or normalisation, values used as given")
        dropped = pd.DataFrame(columns=["mirna", "samples_at_min_count", "samples_required", "reason"])
        factors, method, values = pd.Series(1.0, index=raw.columns), "none (expression values)", raw
    how = normalise.resolve_transform(config["counts"]["transform"], kind)
    write_tsv(raw, out_raw, index_label="mirna")
    write_tsv(values, out_normalised, index_label="mirna")
    write_tsv(normalise.transform(values, how), out_transformed, index_label="mirna")
    write_tsv(
        pd.DataFrame({"sample": factors.index, "size_factor": factors.to_numpy(), "method": method}),
        out_size_factors,
    )
    write_tsv(dropped, out_filtered)


def run_cohort(config: Config, qc_path: str, out_table: str, out_covariates: str) -> None:
    """Cohort characteristics (Table 3) and the design covariates, centred and scaled."""
    sheet, labels = load_sheet(config)
    qc_table = read_tsv(qc_path)
    kept = qc_table.loc[~qc_table["excluded"].astype(bool), "sample"].astype(str)
    sheet, labels = sheet.loc[kept], labels[kept]
    variables = config["cohort"]["variables"]
    if variables == "auto":
        endpoints = config["survival"]["endpoints"].values()
        skip = [config["contrast"]["column"], "file"] + [e[k] for e in endpoints for k in ("time", "event")]
        variables = cohort.default_variables(sheet, skip)
    write_tsv(cohort.characteristics(sheet, labels, variables), out_table)
    frame, scaling = covariate_frame(sheet, config["covariates"])
    for row in scaling.itertuples():
        if row.type == "continuous":
            log.info("covariate %s centred at %.4g and scaled by SD %.4g", row.covariate, row.mean, row.sd)
    missing = frame.index[frame.isna().any(axis=1)]
    if len(missing):
        log.warning(
            "%d sample(s) miss a covariate and will be left out of adjusted models: %s",
            len(missing),
            ", ".join(missing),
        )
    write_tsv(frame.assign(group=labels).reset_index(), out_covariates)
