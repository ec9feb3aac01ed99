"""Step of rule design: the analysed samples' labels and design covariates."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.io.tables import write_tsv
from mirflow.settings import ContrastSettings
from mirflow.stats.design import covariate_frame
from mirflow.steps.common import kept_samples, sheet_and_labels

log = logging.getLogger(__name__)


def run_design(
    contrast: ContrastSettings,
    covariates: Sequence[str],
    samples_path: str,
    qc_path: str,
    out_covariates: str,
    out_scaling: str | None = None,
) -> None:
    """The analysed samples' case/control labels and design covariates, continuous ones
    centred and scaled (the input of every model); with ``out_scaling`` also how each
    covariate was coded (:func:`scaling_table`), which the locked model carries."""
    sheet, labels = sheet_and_labels(samples_path, contrast)
    kept = kept_samples(qc_path)
    sheet, labels = sheet.loc[kept], labels[kept]
    check_replicates(labels, contrast, samples_path)
    frame, scaling = covariate_frame(sheet, list(covariates))
    for row in scaling.itertuples():
        if row.type == "continuous":
            log.info("covariate %s centred at %.4g and scaled by SD %.4g", row.covariate, row.mean, row.sd)
    missing = frame.index[frame.isna().any(axis=1)]
    if len(missing):
        log.warning(
            "%d sample(s) miss a covariate and will be left out of adjusted models: %s",
            len(missing),
            ", ".join(missing),
        )
    write_tsv(frame.assign(group=labels).reset_index(), out_covariates)
    if out_scaling is not None:
        write_tsv(scaling_table(frame, scaling), out_scaling)


SCALING_COLUMNS = ["covariate", "type", "mean", "sd", "level"]


def scaling_table(frame: pd.DataFrame, scaling: pd.DataFrame) -> pd.DataFrame:
    """How each covariate enters the models: continuous ones with the mean and SD that
    centred and scaled them (one row, level NA); categorical ones with one row per level
    seen in the analysed samples, sorted as the models' 0/1 coding sorts them (the first
    is the reference level)."""
    rows = []
    for row in scaling.itertuples():
        if row.type == "continuous":
            rows.append({"covariate": row.covariate, "type": row.type, "mean": row.mean, "sd": row.sd})
            continue
        for level in sorted(frame[row.covariate].dropna().astype(str).unique()):
            rows.append({"covariate": row.covariate, "type": row.type, "level": level})
    return pd.DataFrame(rows, columns=SCALING_COLUMNS)


def check_replicates(labels: pd.Series, contrast: ContrastSettings, samples_path: str) -> None:
    """Stop before any group comparison (DESeq2, Wilcoxon, models) when a group has fewer
    than 2 analysed samples: nothing of the comparison stages is then started."""
    for level in (CASE, CONTROL):
        n = int((labels == level).sum())
        if n < 2:
            raise InputError(
                samples_path,
                f"only {n} analysed sample(s) have {contrast.column} = '{contrast.names[level]}' "
                f"({level}): DESeq2 cannot estimate dispersions without replicates, and no group "
                "comparison is possible",
                "analyse at least 2 samples per group (QC exclusions are in results/qc/samples.tsv)",
                where=f"column '{contrast.column}'",
            )
