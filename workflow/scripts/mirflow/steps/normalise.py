"""Step of rule normalise: filter miRNAs, size factors, normalised and transformed tables."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from mirflow.errors import InputError
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import ContrastSettings, FilterSettings, resolve_transform
from mirflow.stats import normalise
from mirflow.steps.common import kept_samples, sheet_and_labels

log = logging.getLogger(__name__)


def check_filtered(
    raw: pd.DataFrame, filtered: pd.DataFrame, dropped: pd.DataFrame, settings: FilterSettings
) -> None:
    """Stop with one message when the filter leaves nothing to normalise: no miRNA kept
    (naming the settings, the largest count and the highest ``min_count`` that would keep
    one), or a kept sample without a count in any kept miRNA."""
    if filtered.empty:
        required = int(dropped["samples_required"].iloc[0]) if len(dropped) else 1
        values = raw.to_numpy(dtype=float)
        largest = float(values.max()) if values.size else 0.0
        # each miRNA's count in its required-th highest sample: the highest min_count it passes
        reachable = float(np.sort(values, axis=1)[:, -required].max()) if values.size else 0.0
        best = int(dropped["samples_at_min_count"].max()) if len(dropped) else 0
        raise InputError(
            "config",
            f"no miRNA has >= {settings.min_count:.15g} counts in >= {required} samples "
            f"(filter.min_count, filter.min_fraction: {settings.min_fraction:g} of the smaller group); "
            f"the largest count is {largest:.15g}, and the best of the {len(raw)} miRNAs has "
            f">= {settings.min_count:.15g} counts in {best} sample(s)",
            f"lower filter.min_count (a miRNA passes up to min_count {reachable:.15g}) "
            "or filter.min_fraction",
            where="filter",
        )
    empty = filtered.columns[filtered.to_numpy().sum(axis=0) == 0]
    if len(empty):
        raise InputError(
            "config",
            f"{len(empty)} sample(s) have no count in any of the {len(filtered)} miRNAs kept by the filter: "
            f"{', '.join(map(str, empty))}",
            "exclude them with qc.exclude (or raise qc.min_library_size), or lower filter.min_count",
            where="filter",
        )


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
        check_filtered(raw, filtered, dropped, settings)
        library_sizes = pd.Series(raw.to_numpy().sum(axis=0), index=raw.columns)
        factors, used = normalise.size_factors(filtered, method, library_sizes)
        values = normalise.normalise(filtered, factors)
        log.info("size factors (%s): %.3f-%.3f", used, factors.min(), factors.max())
    else:
        log.info("counts.kind is expression: no filtering or normalisation, values used as given")
        dropped = pd.DataFrame(columns=["mirna", "samples_at_min_count", "samples_required", "reason"])
        factors, used, values = pd.Series(1.0, index=raw.columns), "none (expression values)", raw
    write_tsv(raw, out_raw, index_label="mirna")
    write_tsv(values, out_normalised, index_label="mirna")
    write_tsv(
        normalise.transform(values, resolve_transform(transform, kind)),
        out_transformed,
        index_label="mirna",
    )
    write_tsv(
        pd.DataFrame({"sample": factors.index, "size_factor": factors.to_numpy(), "method": used}),
        out_size_factors,
    )
    write_tsv(dropped, out_filtered)
