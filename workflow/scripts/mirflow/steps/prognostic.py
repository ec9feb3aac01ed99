"""Step of rule prognostic (SPEC stage 7): cut-offs, KM strata, log-rank, Cox, the
search-corrected p and Table 5 per endpoint and marker (the figures are rule
prognostic_figures, apart so that the lock need not wait for the drawing)."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.analyses import prognostic
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.seeding import rng_for
from mirflow.settings import SurvivalSettings

log = logging.getLogger(__name__)


def run_prognostic(
    settings: SurvivalSettings,
    seed: int,
    samples_path: str,
    normalised_path: str,
    transformed_path: str,
    markers_path: str,
    covariates_path: str,
    out_cutoffs: str,
    out_km: str,
    out_cox: str,
    out_table5: str,
) -> None:
    """Every endpoint x marker: cut-off, KM strata, log-rank, Cox, corrected p."""
    _, labels = read_design(covariates_path)
    samples = prognostic.population(labels, settings.population)
    sheet = read_sample_sheet(samples_path, warn=False)
    clinical = sheet[list(settings.adjust_for)]
    markers = read_tsv(markers_path)["mirna"].tolist()
    normalised = read_tsv(normalised_path, index_col="mirna")
    transformed = read_tsv(transformed_path, index_col="mirna")
    cutoffs, km_frames, cox_rows, tables = [], [], [], []
    for name, endpoint_settings in settings.endpoints.items():
        endpoint = prognostic.endpoint_data(sheet, name, endpoint_settings, samples)
        log.info("%s: %d patients, %d events", name, len(endpoint.time), int(endpoint.event.sum()))
        endpoint_km = []
        # every marker's row pulled once per endpoint: a lookup per use costs seconds in
        # tables of thousands of libraries
        patients = endpoint.time.index
        marker_values = normalised.loc[markers, patients].astype(float)
        marker_transformed = transformed.loc[markers, patients]
        for mirna in markers:
            values = marker_values.loc[mirna]
            split = prognostic.split_marker(endpoint, mirna, values, settings, rng_for(seed, name, mirna))
            cutoffs.append(split.cutoff)
            endpoint_km += split.km
            if split.km[0]["reason"]:
                log.warning("%s %s: %s", name, mirna, split.km[0]["reason"])
            if "logrank_p" in split.km[0]:
                log.info(
                    "%s %s: cut-off %.6g (%s), log-rank p %.3g, corrected p %.3g (Lau94) / %.3g "
                    "(permutation)",
                    name,
                    mirna,
                    split.cutoff.get("cutoff", float("nan")),
                    settings.cutoff,
                    split.km[0]["logrank_p"],
                    split.maxstat_p,
                    split.maxstat_p_permutation,
                )
            reason = prognostic.dead_end(endpoint, mirna, values)
            cox_rows += prognostic.cox_rows(endpoint, mirna, marker_transformed.loc[mirna], clinical, reason)
        km_frame = pd.DataFrame(endpoint_km, columns=prognostic.KM_COLUMNS)
        km_frame["note"] = prognostic.competing_note(endpoint_settings)
        km_frames.append(km_frame)
        tables.append(prognostic.table5(endpoint, km_frame, settings.ci_transform, "All patients"))
    write_tsv(pd.DataFrame(cutoffs, columns=prognostic.CUTOFF_COLUMNS), out_cutoffs)
    write_tsv(pd.concat(km_frames) if km_frames else pd.DataFrame(columns=prognostic.KM_COLUMNS), out_km)
    write_tsv(pd.DataFrame(cox_rows, columns=prognostic.COX_COLUMNS), out_cox)
    write_tsv(pd.concat(tables) if tables else pd.DataFrame(), out_table5)
