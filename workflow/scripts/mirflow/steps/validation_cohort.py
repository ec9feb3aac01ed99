"""Step of rule validation_cohort: the validation cohort's data, ready to score.

First everything about the validation inputs that can be refused (the locked model and
the validation sheet against each other; the counts read, harmonised and matched with the
discovery's readers, :func:`mirflow.steps.counts.import_counts`; every locked miRNA
present), then the sample QC with the LOCKED thresholds and contrast, then the analysed
samples normalised against the LOCKED reference (no size factor refitted on the new
cohort) and transformed as locked. One job: each part only follows the lock."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from mirflow.analyses import validation
from mirflow.errors import InputError
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import CountsSettings, ValidationCountsSettings
from mirflow.steps.counts import import_counts
from mirflow.steps.lock import read_model
from mirflow.steps.qc import run_qc
from mirflow.steps.validation import analysed, cohort, model_contrast, model_qc

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


def run_validation_normalise(
    model_path: str,
    samples_path: str,
    counts_path: str,
    qc_path: str,
    out_normalised: str,
    out_transformed: str,
    out_size_factors: str,
) -> None:
    """Normalised and transformed values of the locked miRNAs for the samples that passed
    QC, and their size factors against the locked reference."""
    model, _, labels = analysed(samples_path, qc_path, model_path)
    counts = read_tsv(counts_path, index_col="mirna")[list(labels.index)]
    values, transformed, factors, estimator = validation.normalise_cohort(counts, model, counts_path)
    log.info(
        "size factors against the locked %s reference: %.3f-%.3f (%d samples)",
        estimator,
        factors.min(),
        factors.max(),
        len(factors),
    )
    write_tsv(values, out_normalised, index_label="mirna")
    write_tsv(transformed, out_transformed, index_label="mirna")
    write_tsv(
        pd.DataFrame({"sample": factors.index, "size_factor": factors.to_numpy(), "method": estimator}),
        out_size_factors,
    )


def run_validation_cohort(
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
    out_qc: str,
    out_normalised: str,
    out_transformed: str,
    out_size_factors: str,
) -> None:
    """The validation counts checked and harmonised, the locked QC (``exclude``:
    validation.exclude) and the locked normalisation, in that order."""
    run_validation_counts(
        counts,
        exclude,
        model_path,
        schema_path,
        samples_path,
        count_files,
        mirbase_v21,
        mirbase_v22,
        out_counts,
        out_report,
        out_unmatched,
    )
    model = read_model(model_path)
    is_counts = model["counts"]["kind"] == "counts"
    run_qc(model_qc(model, exclude), model_contrast(model), is_counts, samples_path, out_counts, out_qc)
    run_validation_normalise(
        model_path, samples_path, out_counts, out_qc, out_normalised, out_transformed, out_size_factors
    )
