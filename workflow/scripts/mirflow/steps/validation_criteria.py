"""Step of rule validation_criteria: the validation against its sealed analysis plan, each
success criterion's verdict and what differs from the plan (SPEC stage 9)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from mirflow.analyses import criteria as evaluation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.sealing import check_plan_lock, read_plan
from mirflow.steps.lock import read_model

log = logging.getLogger(__name__)


def run_validation_criteria(
    plan_path: str | None,
    model_path: str,
    qc_path: str,
    markers_path: str,
    panel_path: str,
    km_path: str,
    accuracy_path: str,
    overlap_path: str,
    exclude: Mapping[str, str],
    prevalence: float | None,
    out_criteria: str,
    out_deviations: str,
) -> None:
    """results/validation/criteria.tsv and deviations.tsv. The plan (``plan_path``; None:
    validation.plan: none) is checked again here: sealed (its content hash), and sealed for
    the applied model (its lock hash)."""
    model = read_model(model_path)
    plan = None
    if plan_path is not None:
        plan = read_plan(plan_path)
        check_plan_lock(plan, plan_path, model.content_sha256, model.path)
    paths = {
        "panel": panel_path,
        "markers": markers_path,
        "accuracy": accuracy_path,
        "km": km_path,
    }
    tables = {name: read_tsv(path) for name, path in paths.items()}
    verdicts = evaluation.evaluate(evaluation.criteria_from_plan(plan), tables, paths)
    for row in verdicts.itertuples():
        log.info("%s (%s): %s; %s", row.criterion, row.role, row.verdict, row.note)
    log.info(
        "plan %s: %s",
        plan_path if plan_path is not None else "none (not pre-specified)",
        evaluation.summary(verdicts),
    )
    changes = evaluation.deviations(
        plan, verdicts, tables, read_tsv(qc_path), read_tsv(overlap_path), exclude, prevalence
    )
    log.info("%d deviation(s) from the plan", len(changes))
    write_tsv(verdicts, out_criteria)
    write_tsv(changes, out_deviations)
