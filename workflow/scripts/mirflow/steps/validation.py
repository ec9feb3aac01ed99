"""What the validation steps share: the validation cohort's sheet, labels and analysed
samples, by the locked contrast."""

from __future__ import annotations

import pandas as pd

from mirflow.analyses.lock import LockedModel
from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.steps.common import kept_samples
from mirflow.steps.lock import read_model


def cohort(samples_path: str, model: LockedModel) -> tuple[pd.DataFrame, pd.Series]:
    """The validation sheet and each sample's label (case/control/NA) by the locked contrast
    (all NA when the sheet lacks the contrast column, which the first validation step refuses)."""
    sheet = read_sample_sheet(samples_path, warn=False)
    if model.contrast.column not in sheet.columns:
        return sheet, pd.Series(pd.NA, index=sheet.index, dtype="string")
    return sheet, contrast_labels(sheet, model.contrast)


def analysed(samples_path: str, qc_path: str, model_path: str) -> tuple[LockedModel, pd.DataFrame, pd.Series]:
    """The (checked) locked model, the validation sheet and the labels of the samples that
    passed QC, in sheet order."""
    model = read_model(model_path)
    sheet, labels = cohort(samples_path, model)
    kept = kept_samples(qc_path)
    return model, sheet, labels[kept].astype(str)
