"""Step of rule validation_counts: check the locked model and the validation sheet against
each other, then read, harmonise and match the validation counts with the discovery's
readers (:func:`mirflow.steps.counts.import_counts`); every locked miRNA must be there."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from mirflow.analyses import validation
from mirflow.errors import InputError
from mirflow.io.tables import read_tsv
from mirflow.settings import CountsSettings, ValidationCountsSettings
from mirflow.steps.counts import import_counts
from mirflow.steps.lock import read_model
from mirflow.steps.validation import cohort

log = logging.getLogger(__name__)


def run_validation_counts(
    counts: ValidationCountsSettings,
    exclude: Mapping[str, str],
    model_path: str,
    schema_path: str,
    samples_path: str,
    count_files: Sequence[str],
    mirbase_v21: str,
    mirbase_v22: str,
    out_counts: str,
    out_report: str,
    out_unmatched: str,
) -> None:
    """Everything about the validation inputs that can be refused is refused here, in the
    first validation job, before any validation table exists: the model (checksum, schema
    version, schema), the counts' kind, the sheet (the locked contrast with both levels,
    hand exclusions, the panel's covariates and their levels, endpoint values) and the
    counts (every locked miRNA present)."""
    model = read_model(model_path, schema_path)
    log.info("%s", validation.model_summary(model, model_path))
    if counts.kind != model["counts"]["kind"]:
        raise InputError(
            "the config",
            f"validation.counts.kind is '{counts.kind}' but the locked model {model_path} was fitted on "
            f"kind '{model['counts']['kind']}'",
            f"set validation.counts.kind: {model['counts']['kind']} (values on the discovery's scale)",
            where="validation.counts.kind",
        )
    if counts.value != model["counts"]["value"]:
        log.warning(
            "validation.counts.value is %s, the discovery used %s: the locked cut-offs assume the same kind "
            "of count",
            counts.value,
            model["counts"]["value"],
        )
    sheet, labels = cohort(samples_path, model)
    validation.check_contrast(sheet, labels, model, samples_path)
    validation.check_exclusions(sheet, exclude, samples_path)
    validation.code_covariates(sheet[labels.notna().to_numpy()], model, samples_path)
    if model["prognostic"]:
        for endpoint in model["prognostic"]["endpoints"]:
            if {endpoint["time"], endpoint["event"]} <= set(sheet.columns):
                validation.check_endpoint_values(sheet, endpoint, samples_path)
    settings = CountsSettings(
        path=counts.path,
        format=counts.format,
        value=counts.value,
        kind=counts.kind,
        transform=model["counts"]["transform"],
    )
    outputs = (out_counts, out_report, out_unmatched)
    import_counts(settings, count_files, samples_path, mirbase_v21, mirbase_v22, *outputs)
    available = read_tsv(out_counts, index_col="mirna").index.astype(str).tolist()
    table = (
        count_files[0] if len(count_files) == 1 else f"{', '.join(counts.path)} ({len(count_files)} files)"
    )
    try:
        absent = validation.check_mirnas(available, model, table, model_path)
    except InputError:
        for path in outputs:
            Path(path).unlink(missing_ok=True)
        raise
    if absent:
        total = len(validation.reference_mirnas(model))
        log.warning(
            "%d of the %d locked reference miRNAs are not in the validation counts; they count as not "
            "detected (no ratio, as a row of zeros): %s",
            len(absent),
            total,
            ", ".join(absent[:20]) + (" ..." if len(absent) > 20 else ""),
        )
