"""Step of rule reporting: the STARD 2015 / REMARK checklist, the participant flow table
and its diagram."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mirflow.analyses.reporting import checklist as reporting
from mirflow.analyses.reporting import flow as participants
from mirflow.io.tables import read_tsv
from mirflow.steps.common import kept_samples, sheet_and_labels
from mirflow.steps.lock import read_model
from mirflow.steps.records import write_records
from mirflow.steps.validation import cohort

log = logging.getLogger(__name__)


def run_reporting_rule(params: Mapping[str, Any], inputs: Mapping[str, Any], **kwargs: Any) -> None:
    """:func:`run_reporting` with the rule's params and named inputs as Snakemake gives
    them (the rule script stays free of the heavy reporting module: it starts in 0.1 s)."""
    run_reporting(
        settings=reporting.ReportingSettings.from_params(params),
        table_paths={name: path for name, path in inputs.items() if name in reporting.TABLES},
        **kwargs,
    )


def run_reporting(
    settings: reporting.ReportingSettings,
    samples_path: str,
    table_paths: Mapping[str, str],
    lock_path: str,
    model_path: str | None,
    validation_samples_path: str | None,
    out_checklist: str,
    out_flow: str,
    fig_flow: Sequence[str],
) -> None:
    """Flow per cohort (discovery; validation when ``model_path`` is given) from its sheet,
    QC table and unmatched samples; the follow-up per endpoint; the checklist from the
    tables (``table_paths``: :data:`reporting.TABLES` name -> path); the flow diagram."""
    tables = {name: read_tsv(path) for name, path in table_paths.items()}
    sheet, labels = sheet_and_labels(samples_path, settings.contrast)
    flows = [
        participants.participant_flow(
            participants.DISCOVERY, sheet, labels, tables["qc"], tables["unmatched"], settings.contrast
        )
    ]
    model = None
    if model_path is not None and validation_samples_path is not None:
        model = read_model(model_path)
        validation_sheet, validation_labels = cohort(validation_samples_path, model)
        flows.append(
            participants.participant_flow(
                participants.VALIDATION,
                validation_sheet,
                validation_labels,
                tables["validation_qc"],
                tables["validation_unmatched"],
                model.contrast,
            )
        )
    flow = pd.concat(flows, ignore_index=True)
    follow = None
    if settings.survival.endpoints:
        analysed = labels[kept_samples(table_paths["qc"])].astype(str)
        follow = participants.follow_up(sheet, analysed, settings.survival)
    paths = dict(table_paths) | {"samples": samples_path, "flow": out_flow, "figure": fig_flow[0]}
    paths |= {"lock": lock_path} | ({"model": model_path} if model_path else {})
    table = reporting.checklist(
        reporting.RunTables(tables, paths),
        settings,
        flow,
        follow,
        read_model(lock_path),
        model,
    )
    write_records("checklist", table, flow, out_checklist, out_flow, fig_flow)
