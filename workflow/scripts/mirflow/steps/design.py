"""Step of rule design: the analysed samples' labels and design covariates."""

from __future__ import annotations

import logging
from collections.abc import Sequence

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
) -> None:
    """The analysed samples' case/control labels and design covariates, continuous ones
    centred and scaled (the input of every model)."""
    sheet, labels = sheet_and_labels(samples_path, contrast)
    kept = kept_samples(qc_path)
    sheet, labels = sheet.loc[kept], labels[kept]
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
