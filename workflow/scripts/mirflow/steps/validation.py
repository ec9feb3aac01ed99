"""What the validation steps share: the locked model as read by every step, and the
validation cohort's sheet, labels and analysed samples."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.settings import ContrastSettings, QCSettings
from mirflow.steps.common import kept_samples
from mirflow.steps.lock import read_model


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
