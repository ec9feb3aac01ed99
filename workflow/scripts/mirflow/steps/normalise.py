"""Step of rule normalise: filter miRNAs, size factors, normalised and transformed tables."""

from __future__ import annotations

import logging

import pandas as pd

from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import ContrastSettings, FilterSettings
from mirflow.stats import normalise
from mirflow.steps.common import kept_samples, sheet_and_labels

log = logging.getLogger(__name__)


def run_normalise(
    settings: FilterSettings,
    method: str,
    kind: str,
    transform: str,
    contrast: ContrastSettings,
    samples_path: str,
    counts_path: str,
    qc_path: str,
    out_raw: str,
    out_normalised: str,
    out_size_factors: str,
    out_filtered: str,
    out_transformed: str,
) -> None:
    """Filter miRNAs, estimate size factors (``method``: normalisation), write the raw,
    normalised and transformed tables (``kind`` and ``transform``: counts.*)."""
    _, labels = sheet_and_labels(samples_path, contrast)
    raw = read_tsv(counts_path, index_col="mirna")[kept_samples(qc_path)]
    if kind == "counts":
        filtered, dropped = normalise.filter_mirnas(raw, labels, settings.min_count, settings.min_fraction)
        factors, used = normalise.size_factors(filtered, method, raw.sum(axis=0))
        values = normalise.normalise(filtered, factors)
        log.info("size factors (%s): %.3f-%.3f", used, factors.min(), factors.max())
    else:
        log.info("counts.kind is expression: no filtering or normalisation, values used as given")
        dropped = pd.DataFrame(columns=["mirna", "samples_at_min_count", "samples_required", "reason"])
        factors, used, values = pd.Series(1.0, index=raw.columns), "none (expression values)", raw
    write_tsv(raw, out_raw, index_label="mirna")
    write_tsv(values, out_normalised, index_label="mirna")
    write_tsv(
        normalise.transform(values, normalise.resolve_transform(transform, kind)),
        out_transformed,
        index_label="mirna",
    )
    write_tsv(
        pd.DataFrame({"sample": factors.index, "size_factor": factors.to_numpy(), "method": used}),
        out_size_factors,
    )
    write_tsv(dropped, out_filtered)
