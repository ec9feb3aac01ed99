"""What several steps read the same way: the sheet with its labels, the kept samples."""

from __future__ import annotations

import pandas as pd

from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.io.tables import read_tsv
from mirflow.settings import ContrastSettings


def sheet_and_labels(samples_path: str, contrast: ContrastSettings) -> tuple[pd.DataFrame, pd.Series]:
    """The sample sheet (checked when the workflow started) and its contrast labels."""
    sheet = read_sample_sheet(samples_path, warn=False)
    return sheet, contrast_labels(sheet, contrast)


def kept_samples(qc_path: str) -> list[str]:
    """The samples that passed QC, in sheet order."""
    qc_table = read_tsv(qc_path)
    return qc_table.loc[~qc_table["excluded"].astype(bool), "sample"].astype(str).tolist()
