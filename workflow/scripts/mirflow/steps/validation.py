"""What the validation steps share: the locked model as read by every step, and the
validation cohort's sheet, labels and analysed samples."""

from __future__ import annotations

import glob
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mirflow.errors import InputError
from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.settings import ContrastSettings, QCSettings, ValidationSettings
from mirflow.steps.common import kept_samples
from mirflow.steps.lock import read_model


def validation_files(validation: ValidationSettings, own_lock: str) -> tuple[str, list[str]]:
    """When the workflow starts: the model to apply (``own_lock``, this run's lock, when
    validation.model names it, else an existing file) and the validation count files
    (glob patterns expanded); a missing model, sheet or count file is an :class:`InputError`."""
    own = Path(validation.model).resolve() == Path(own_lock).resolve()
    model = own_lock if own else validation.model
    if not own and not Path(model).is_file():
        raise InputError(
            model,
            "no such file (validation.model)",
            f"point validation.model at a locked model, or leave it out to apply this run's own {own_lock}",
        )
    if not Path(validation.samples).is_file():
        raise InputError(
            validation.samples,
            "no such file (validation.samples)",
            "point validation.samples at the validation cohort's sample sheet",
        )
    files: list[str] = []
    for entry in validation.counts.path:
        matches = sorted(glob.glob(entry)) if glob.has_magic(entry) else [entry]
        found = [m for m in matches if Path(m).is_file()]
        if not found:
            raise InputError(
                entry,
                "no such file (validation.counts.path)" if not glob.has_magic(entry) else "no file matches",
                "point validation.counts.path at the validation cohort's count file(s)",
            )
        files += found
    return model, files


def locked_endpoints(model_path: str) -> list[str]:
    """The prognostic endpoints of an existing locked model, when the workflow starts (one
    KM figure each). Lenient on purpose: a model that cannot be read gives none here, and
    the first validation job refuses it with one clear message (:func:`read_model`)."""
    try:
        model = json.loads(Path(model_path).read_text(encoding="utf-8"))
        return [str(endpoint["name"]) for endpoint in (model.get("prognostic") or {}).get("endpoints", [])]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []


def model_contrast(model: Mapping[str, Any]) -> ContrastSettings:
    """The locked contrast (column, case and control values)."""
    contrast = model["contrast"]
    return ContrastSettings(contrast["column"], contrast["case"], contrast["control"])


def model_qc(model: Mapping[str, Any], exclude: Mapping[str, str]) -> QCSettings:
    """The locked QC thresholds, with the validation cohort's own hand exclusions."""
    qc = model["qc"]
    return QCSettings(
        min_library_size=qc["min_library_size"],
        max_hemolysis_log2=qc["max_hemolysis_log2"],
        hemolysis_numerator=qc["hemolysis"]["numerator"],
        hemolysis_denominator=qc["hemolysis"]["denominator"],
        exclude=dict(exclude),
    )


def cohort(samples_path: str, model: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.Series]:
    """The validation sheet and each sample's label (case/control/NA) by the locked contrast
    (all NA when the sheet lacks the contrast column, which the first validation step refuses)."""
    sheet = read_sample_sheet(samples_path, warn=False)
    contrast = model_contrast(model)
    if contrast.column not in sheet.columns:
        return sheet, pd.Series(pd.NA, index=sheet.index, dtype="string")
    return sheet, contrast_labels(sheet, contrast)


def analysed(
    samples_path: str, qc_path: str, model_path: str
) -> tuple[dict[str, Any], pd.DataFrame, pd.Series]:
    """The (checked) locked model, the validation sheet and the labels of the samples that
    passed QC, in sheet order."""
    model = read_model(model_path)
    sheet, labels = cohort(samples_path, model)
    kept = kept_samples(qc_path)
    return model, sheet, labels[kept].astype(str)
