"""Step of rule validation_cohort: the validation cohort's data, ready to score.

First everything about the validation inputs that can be refused (the locked model and
the validation sheet against each other; the counts read, harmonised and matched with the
discovery's readers, :func:`mirflow.steps.counts.read_sheet_counts`; no file or library
shared with the discovery; every locked miRNA present), then the sample QC with the LOCKED
thresholds and contrast, then the analysed samples normalised against the LOCKED reference
(no size factor refitted on the new cohort) and transformed as locked. One job: each part
only follows the lock."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from mirflow.analyses import independence
from mirflow.analyses import validation_cohort as cohort_checks
from mirflow.analyses.lock import LockedModel
from mirflow.checksums import sha256
from mirflow.errors import InputError
from mirflow.io.counts import NOT_WHOLE
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import CountsSettings, ValidationCountsSettings
from mirflow.steps.counts import read_sheet_counts
from mirflow.steps.lock import read_model
from mirflow.steps.qc import run_qc
from mirflow.steps.validation import analysed, cohort

log = logging.getLogger(__name__)


def check_inputs(
    counts: ValidationCountsSettings, exclude: Mapping[str, str], model: LockedModel, samples_path: str
) -> None:
    """The counts' kind and value against the lock; the sheet: the locked contrast with
    both levels, hand exclusions, the panel's covariates and their levels, endpoint values."""
    if counts.kind != model.kind:
        raise InputError(
            "the config",
            f"validation.counts.kind is '{counts.kind}' but the locked model {model.path} was fitted on "
            f"kind '{model.kind}'",
            (
                f"give the raw {model.value} counts (whole numbers, as the discovery's were; not "
                "normalised or log values) with validation.counts.kind: counts"
                if model.kind == "counts"
                else "give the values as the discovery's (kind expression: normalised or log-scale values "
                "on the discovery's scale) with validation.counts.kind: expression"
            ),
            where="validation.counts.kind",
        )
    if counts.value != model.value:
        log.warning(
            "validation.counts.value is %s, the discovery used %s: the locked cut-offs assume the same kind "
            "of count",
            counts.value,
            model.value,
        )
    sheet, labels = cohort(samples_path, model)
    cohort_checks.check_contrast(sheet, labels, model, samples_path)
    cohort_checks.check_exclusions(sheet, exclude, samples_path)
    cohort_checks.code_covariates(sheet[labels.notna().to_numpy()], model, samples_path)
    for endpoint in model.prognostic.endpoints if model.prognostic else ():
        if {endpoint.time, endpoint.event} <= set(sheet.columns):
            cohort_checks.check_endpoint_values(sheet, endpoint, samples_path)


def check_overlap(
    model: LockedModel,
    samples_path: str,
    count_files: Sequence[str],
    harmonised: pd.DataFrame,
    allow_overlap: bool,
) -> pd.DataFrame:
    """Refuse a validation cohort that shares input files, sample ids or libraries (by their
    counts) with the lock's discovery cohort (:mod:`mirflow.analyses.independence`), unless
    ``allow_overlap``; return what it shares (empty when nothing)."""
    files = {path: sha256(path) for path in [samples_path, *count_files]}
    if model.identities is None:
        log.warning(
            "the locked model %s records no sample identities (written by an older workflow): only its "
            "input files are compared with the validation cohort's",
            model.path,
        )
    identities = model.identities or {"salt": "", "sample_ids": [], "count_vectors": []}
    shared = independence.overlap(
        identities["salt"],
        identities["sample_ids"] if model.identities else [],
        identities["count_vectors"] if model.identities else [],
        model.inputs,
        files,
        [str(s) for s in read_sample_sheet(samples_path, warn=False).index],
        harmonised,
        model.mirnas,
    )
    if shared.empty:
        log.info("the validation cohort shares no file, sample id or library with the discovery cohort")
        return shared
    what = independence.describe(shared)
    if not allow_overlap:
        raise InputError(
            samples_path,
            f"the validation cohort is not independent of the discovery cohort of {model.path}: it shares "
            f"{what}",
            "validate on an independent cohort (new samples); if the overlap is intended, set "
            "validation.allow_overlap: true (every report then says so)",
        )
    log.warning("validation.allow_overlap is true: the validation cohort shares %s with the discovery", what)
    return shared


def run_validation_cohort(
    counts: ValidationCountsSettings,
    exclude: Mapping[str, str],
    allow_overlap: bool,
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
    out_overlap: str,
    out_covariates: str,
) -> None:
    """The validation counts checked and harmonised, the locked QC (``exclude``:
    validation.exclude) and the locked normalisation, in that order. Everything that can
    be refused is refused before the first table (the model: checksum, schema version,
    schema; the sheet; every locked miRNA in the counts); Snakemake removes the job's
    outputs when it fails, so nothing partial remains."""
    model = read_model(model_path, schema_path)
    log.info("%s", cohort_checks.model_summary(model))
    check_inputs(counts, exclude, model, samples_path)
    settings = CountsSettings(
        path=counts.path,
        format=counts.format,
        value=counts.value,
        kind=counts.kind,
        transform=model.transform,
    )
    try:
        imported = read_sheet_counts(settings, count_files, samples_path, mirbase_v21, mirbase_v22)
    except InputError as error:
        if not error.problem.startswith(NOT_WHOLE):
            raise
        # the reader's fix (counts.kind: expression) cannot apply: the kind is locked
        raise InputError(
            error.path,
            error.problem,
            f"the locked model {model.path} scores counts: give the validation cohort's raw counts "
            "(normalised or log-scale values cannot be scored by it)",
            where=error.where,
        ) from None
    shared = check_overlap(model, samples_path, count_files, imported.matched, allow_overlap)
    available = imported.matched.index.astype(str).tolist()
    table = (
        count_files[0] if len(count_files) == 1 else f"{', '.join(counts.path)} ({len(count_files)} files)"
    )
    absent = cohort_checks.check_mirnas(available, model, table, model_path)
    if absent:
        total = len(cohort_checks.reference_mirnas(model))
        log.warning(
            "%d of the %d locked reference miRNAs are not in the validation counts; they count as not "
            "detected (no ratio, as a row of zeros): %s",
            len(absent),
            total,
            ", ".join(absent[:20]) + (" ..." if len(absent) > 20 else ""),
        )
    imported.write(out_counts, out_report, out_unmatched)
    write_tsv(shared, out_overlap)
    run_qc(
        model.qc(exclude),
        model.contrast,
        model.kind == "counts",
        samples_path,
        out_counts,
        out_qc,
        f"the validation samples (QC uses the thresholds locked in {model.path}: library size >= "
        f"{model.min_library_size:g}, hemolysis log2 ratio <= {model.max_hemolysis_log2:g}) and "
        "validation.exclude",
    )
    model, sheet, labels = analysed(samples_path, out_qc, model_path)
    values, transformed, factors, estimator = cohort_checks.normalise_cohort(
        read_tsv(out_counts, index_col="mirna")[list(labels.index)], model, out_counts
    )
    log.info(
        "size factors against the locked %s reference: %.3f-%.3f (%d samples)",
        estimator,
        factors.min(),
        factors.max(),
        len(factors),
    )
    shift = cohort_checks.covariate_shift(sheet, labels.index, model)
    for row in shift[shift["note"] != ""].itertuples():
        log.warning(
            "covariate %s: %s (locked mean %.4g, SD %.4g; validation mean %.4g, SD %.4g)",
            row.covariate,
            row.note,
            row.locked_mean,
            row.locked_sd,
            row.mean,
            row.sd,
        )
    write_tsv(shift, out_covariates)
    write_tsv(values, out_normalised, index_label="mirna")
    write_tsv(transformed, out_transformed, index_label="mirna")
    write_tsv(
        pd.DataFrame({"sample": factors.index, "size_factor": factors.to_numpy(), "method": estimator}),
        out_size_factors,
    )
