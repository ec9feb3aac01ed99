"""Covariates for a design matrix: which columns are continuous, centring and scaling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def is_continuous(values: pd.Series) -> bool:
    """Continuous: every non-missing value is a number, except small whole-number codes
    (at most 5 distinct values spanning at most 10, such as ECOG 0/1/2 or 0/1 flags),
    which are categories."""
    present = values.dropna()
    numeric = pd.to_numeric(present, errors="coerce")
    if not len(present) or numeric.isna().any():
        return False
    code = (
        (numeric == numeric.round()).all() and numeric.nunique() <= 5 and numeric.max() - numeric.min() <= 10
    )
    return not code


def covariate_frame(sheet: pd.DataFrame, covariates: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Covariates ready for a design matrix: continuous ones centred and scaled.

    DESeq2 and the logistic models behave badly with raw numeric covariates far from
    zero (R's DESeq2 warns above mean or SD 5), so each continuous covariate becomes
    (x - mean) / SD. Returns the frame and a table of the means and SDs used.
    """
    frame = pd.DataFrame(index=sheet.index)
    scaling = []
    for column in covariates:
        values = sheet[column]
        if is_continuous(values):
            numbers = pd.to_numeric(values)
            mean, sd = float(numbers.mean()), float(numbers.std(ddof=1))
            frame[column] = (numbers - mean) / sd if sd > 0 else numbers - mean
            scaling.append({"covariate": column, "type": "continuous", "mean": mean, "sd": sd})
        else:
            frame[column] = values.where(values.isna(), values.astype(str))
            scaling.append({"covariate": column, "type": "categorical", "mean": np.nan, "sd": np.nan})
    return frame, pd.DataFrame(scaling, columns=["covariate", "type", "mean", "sd"])
