"""Step of rule cohort: the cohort characteristics table (the seed's Table 3)."""

from __future__ import annotations

from collections.abc import Sequence

from mirflow.io.tables import write_tsv
from mirflow.settings import ContrastSettings
from mirflow.stats import cohort
from mirflow.steps.common import kept_samples, sheet_and_labels


def run_cohort(
    contrast: ContrastSettings,
    variables: str | Sequence[str],
    endpoint_columns: Sequence[str],
    samples_path: str,
    qc_path: str,
    out_table: str,
) -> None:
    """Cohort characteristics (Table 3) of the analysed samples.

    ``variables`` is ``auto`` (every sheet column except the contrast, ``file`` and
    ``endpoint_columns``) or a list of columns.
    """
    sheet, labels = sheet_and_labels(samples_path, contrast)
    kept = kept_samples(qc_path)
    sheet, labels = sheet.loc[kept], labels[kept]
    if variables == "auto":
        variables = cohort.default_variables(sheet, [contrast.column, "file", *endpoint_columns])
    write_tsv(cohort.characteristics(sheet, labels, list(variables)), out_table)
