"""Workflow step of the prognostic stage: cut-offs, KM, log-rank, Cox, Table 5, figures."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mirflow import plots, prognostic, prognostic_plots, survival
from mirflow.samples import CASE, read_sample_sheet
from mirflow.seeding import rng_for
from mirflow.tables import read_design, read_tsv, write_tsv

log = logging.getLogger(__name__)
Config = Mapping[str, Any]


def population(config: Config, covariates_path: str) -> pd.Index:
    """Analysed samples of the prognostic stage: the cases, or all (``survival.population``)."""
    _, labels = read_design(covariates_path)
    return labels.index if config["survival"]["population"] == "all" else labels.index[labels == CASE]


def endpoint_data(config: Config, name: str, samples: pd.Index) -> prognostic.Endpoint:
    """One endpoint's times and events; samples without a time are left out (logged)."""
    settings = config["survival"]["endpoints"][name]
    sheet = read_sample_sheet(config["samples"]).loc[samples]
    time = pd.to_numeric(sheet[settings["time"]])
    event = pd.to_numeric(sheet[settings["event"]])
    known = time.notna() & event.notna()
    if (~known).any():
        log.warning(
            "%s: %d sample(s) without time or event left out: %s",
            name,
            int((~known).sum()),
            ", ".join(known.index[~known]),
        )
    return prognostic.Endpoint(name, time[known], event[known].astype(int), float(settings["landmark"]))


def cox_rows(config: Config, endpoint: prognostic.Endpoint, mirna: str, values: pd.Series) -> list[dict]:
    """Cox on the continuous transformed marker, alone and with ``survival.adjust_for``."""
    adjust = config["survival"]["adjust_for"]
    sheet = read_sample_sheet(config["samples"]).loc[endpoint.time.index]
    rows = []
    for model, extra in (("univariable", []), ("adjusted", adjust)):
        if model == "adjusted" and not adjust:
            continue
        frame = pd.concat([values.rename("marker"), sheet[extra]], axis=1).dropna()
        design = pd.get_dummies(frame, drop_first=True, dtype=float)
        events = int(endpoint.event[frame.index].sum())
        per_parameter = events / design.shape[1]
        level = logging.WARNING if per_parameter < 10 else logging.INFO
        log.log(
            level,
            "%s %s Cox (%s): %d events for %d parameter(s), %.1f per parameter%s",
            endpoint.name,
            mirna,
            model,
            events,
            design.shape[1],
            per_parameter,
            " (< 10: estimates unreliable)" if per_parameter < 10 else "",
        )
        term = survival.cox(endpoint.time[frame.index], endpoint.event[frame.index], design)[0]
        rows.append(
            {
                "endpoint": endpoint.name,
                "mirna": mirna,
                "model": model,
                "hazard_ratio": term.hazard_ratio,
                "ci_low": term.ci_low,
                "ci_high": term.ci_high,
                "p_value": term.p_value,
                "n": len(frame),
                "events": events,
                "adjusted_for": ";".join(extra),
            }
        )
    return rows


def run_prognostic(
    config: Config,
    normalised_path: str,
    transformed_path: str,
    markers_path: str,
    covariates_path: str,
    out_cutoffs: str,
    out_km: str,
    out_cox: str,
    out_table5: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """Every endpoint x marker: cut-off, KM strata, log-rank, Cox, corrected p; figures."""
    settings = config["survival"]
    samples = population(config, covariates_path)
    markers = read_tsv(markers_path)["mirna"].tolist()
    normalised = read_tsv(normalised_path, index_col="mirna")
    transformed = read_tsv(transformed_path, index_col="mirna")
    cutoffs, km_rows, cox_table, tables = [], [], [], []
    for name in settings["endpoints"]:
        endpoint = endpoint_data(config, name, samples)
        log.info("%s: %d patients, %d events", name, len(endpoint.time), int(endpoint.event.sum()))
        endpoint_km = []
        for mirna in markers:
            values = normalised.loc[mirna, endpoint.time.index].astype(float)
            scan = survival.maxstat_scan(endpoint.time, endpoint.event, values)
            best = float(scan.statistic.max()) if len(scan.statistic) else np.nan
            lau94 = survival.lausen94_p(best, scan.n, scan.sizes) if len(scan.statistic) else np.nan
            permuted = (
                survival.permutation_p(scan, settings["n_permutations"], rng_for(config["seed"], name, mirna))
                if len(scan.statistic)
                else np.nan
            )
            chosen = prognostic.choose_cutoff(endpoint, values, settings["cutoff"], scan)
            cutoffs.append({"mirna": mirna} | chosen)
            rows = prognostic.stratify(
                endpoint,
                values,
                float(chosen.get("cutoff", np.nan)),
                settings["ci_transform"],
                lau94,
                permuted,
            )
            endpoint_km += [{"mirna": mirna} | row for row in rows]
            log.info(
                "%s %s: cut-off %.6g (%s), log-rank p %.3g, corrected p %.3g (Lau94) / %.3g (permutation)",
                name,
                mirna,
                chosen.get("cutoff", np.nan),
                settings["cutoff"],
                rows[0]["logrank_p"],
                lau94,
                permuted,
            )
            cox_table += cox_rows(config, endpoint, mirna, transformed.loc[mirna, endpoint.time.index])
        km_frame = pd.DataFrame(endpoint_km, columns=prognostic.KM_COLUMNS)
        km_rows.append(km_frame)
        tables.append(prognostic.table5(endpoint, km_frame, settings["ci_transform"], "All patients"))
        names = {"population": settings["population"]}
        curves = {m: normalised.loc[m, endpoint.time.index].astype(float) for m in markers}
        plots.save(prognostic_plots.km_figure(endpoint, curves, km_frame, names), *figures[f"prog_km_{name}"])
        plots.save(
            prognostic_plots.landmark_roc_figure(
                endpoint, curves, pd.DataFrame(cutoffs, columns=prognostic.CUTOFF_COLUMNS)
            ),
            *figures[f"prog_landmark_roc_{name}"],
        )
    write_tsv(pd.DataFrame(cutoffs, columns=prognostic.CUTOFF_COLUMNS), out_cutoffs)
    write_tsv(pd.concat(km_rows) if km_rows else pd.DataFrame(columns=prognostic.KM_COLUMNS), out_km)
    write_tsv(
        pd.DataFrame(
            cox_table,
            columns=[
                "endpoint",
                "mirna",
                "model",
                "hazard_ratio",
                "ci_low",
                "ci_high",
                "p_value",
                "n",
                "events",
                "adjusted_for",
            ],
        ),
        out_cox,
    )
    write_tsv(pd.concat(tables) if tables else pd.DataFrame(), out_table5)
