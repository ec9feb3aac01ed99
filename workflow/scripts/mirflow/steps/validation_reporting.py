"""Step of rule validation_reporting: a validation-only run's reporting checklist (STARD 2015
for the locked markers, TRIPOD+AI for the locked panel), its participant flow and the flow's
diagram."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from mirflow.analyses.reporting import flow as participants
from mirflow.analyses.reporting import validation_checklist as reporting
from mirflow.io.tables import read_tsv
from mirflow.sealing import read_plan
from mirflow.steps.lock import read_model
from mirflow.steps.records import write_records
from mirflow.steps.validation import cohort

log = logging.getLogger(__name__)


def run_validation_reporting(
    model_path: str,
    plan_path: str | None,
    samples_path: str,
    table_paths: Mapping[str, str],
    prevalence: float | None,
    exclude: Mapping[str, str],
    partial_auc: Sequence[float],
    out_checklist: str,
    out_flow: str,
    fig_flow: Sequence[str],
) -> None:
    """The validation cohort's flow (sheet -> excluded and why -> analysed) and the
    checklist from the lock, the plan (``plan_path``; None: validation.plan none) and the
    validation tables (``table_paths``: :data:`reporting.TABLES` name -> path)."""
    model = read_model(model_path)
    plan = read_plan(plan_path) if plan_path is not None else None
    tables = {name: read_tsv(path) for name, path in table_paths.items()}
    sheet, labels = cohort(samples_path, model)
    flow = participants.participant_flow(
        participants.VALIDATION,
        sheet,
        labels,
        tables["validation_qc"],
        tables["validation_unmatched"],
        model.contrast,
    )
    paths = dict(table_paths) | {"samples": samples_path, "flow": out_flow, "figure": fig_flow[0]}
    paths |= {"model": model_path, "plan": plan_path or "none"}
    run = reporting.ValidationRun(
        model=model,
        plan=plan,
        tables=tables,
        paths=paths,
        flow=flow,
        prevalence=prevalence,
        exclude=dict(exclude),
        partial_auc=(float(partial_auc[0]), float(partial_auc[1])),
    )
    table = reporting.validation_checklist(run)
    write_records("checklist (STARD 2015, TRIPOD+AI)", table, flow, out_checklist, out_flow, fig_flow)
