"""The sealed analysis plan (SPEC stage 9): what the validation of one locked model will
estimate, how, and what counts as success, fixed before any validation data are read.

:func:`build_plan` makes the document from the lock, the ``plan:`` settings and the sample-size
table; :mod:`mirflow.sealing` gives it its content hash and refuses a plan changed after it was
sealed or sealed for another lock. The document:

- ``lock``: the locked model's path and ``content_sha256`` (a plan is only applied with it);
- ``criteria``: the success criteria, each with its label and role (primary, secondary);
- ``analyses``: the primary analyses (those the primary criteria name), the secondary ones,
  and what the validation always estimates;
- ``handling``: exclusions, missing values, multiplicity, what an unevaluable criterion is;
- ``config``: the ``plan:`` section as resolved (what a later config is compared with);
- ``sample_size`` and ``requirements``: the sample-size table and, per target, its n;
- ``plan_version``, ``description`` and ``content_sha256``. No timestamps: the same lock,
  settings and tables give the same bytes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from mirflow.analyses.lock import LockedModel
from mirflow.sealing import DESCRIPTION, HASH_FIELD, PLAN_VERSION, seal
from mirflow.settings import CRITERION_METRICS, Criterion, PlanSettings, as_params

# What every validation estimates (mirflow.analyses.validation), whatever the criteria.
ALWAYS = (
    "each locked marker in the new cohort: AUC with DeLong 95% CI in the locked direction; at the "
    "locked cut-off the 2x2 table, sensitivity, specificity, PPV and NPV with exact 95% CIs, LR+ and LR- "
    "(log-method 95% CIs) and the McClish partial AUC over validation.partial_auc_specificity (bootstrap "
    "95% CI)",
    "the locked panel: AUC (DeLong 95% CI), calibration-in-the-large and calibration slope (95% CIs), "
    "Brier score, calibration curve and decision curves",
    "each locked prognostic cut-off: Kaplan-Meier, log-rank p and the Cox HR high vs low (95% CI), no new "
    "cut-off search",
)
HANDLING = {
    "exclusions": (
        "samples are excluded only by the locked QC thresholds (library size, hemolysis) and for a "
        "contrast value other than the locked case and control; hand exclusions (validation.exclude) "
        "are deviations from the plan and listed in results/validation/deviations.tsv"
    ),
    "missing": (
        "complete cases per analysis: a sample without a panel covariate leaves the panel (counted), a "
        "patient without time or event leaves that endpoint; no imputation"
    ),
    "multiplicity": (
        "the validation succeeds when every primary criterion passes (an intersection-union test: no "
        "adjustment of the 95% CIs); secondary criteria are reported without adjustment"
    ),
    "unevaluable": "a criterion that cannot be evaluated (no estimate or CI) is not met: FAIL, with why",
    "confidence": "the criteria read the validation tables' two-sided 95% CIs",
}

log = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    """JSON-ready: NaN/None -> null, numpy scalars -> int/float, tuples -> lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | bool):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) else value
    return value


def target_problems(criteria: Sequence[Criterion], model: LockedModel) -> dict[int, str]:
    """Criterion position (1-based) -> why the lock cannot evaluate it: it names the panel
    and the lock has none, a marker the lock did not select, or an endpoint without that
    marker's cut-off. A plan is written in the run that makes the lock, before anyone can
    know what the data select, so such a criterion is kept, said (here and in the plan) and
    counted as not met at validation, rather than stopping the discovery."""
    markers = [m.mirna for m in model.markers]
    endpoints = {
        e.name: [c.mirna for c in e.cutoffs] for e in (model.prognostic.endpoints if model.prognostic else ())
    }
    problems = {}
    for position, criterion in enumerate(criteria, start=1):
        if criterion.kind == "panel" and model.panel is None:
            problems[position] = f"the lock has no panel ({model.panel_reason})"
        elif criterion.kind in ("marker", "endpoint") and criterion.target not in markers:
            problems[position] = (
                f"'{criterion.target}' is not a locked marker (the lock has: {', '.join(markers) or 'none'})"
            )
        elif criterion.kind == "endpoint" and criterion.target not in endpoints.get(
            str(criterion.endpoint), []
        ):
            problems[position] = (
                f"the lock has no cut-off of '{criterion.target}' for the endpoint '{criterion.endpoint}' "
                f"(locked endpoints: {', '.join(endpoints) or 'none'})"
            )
    return problems


def criteria_entries(
    criteria: Sequence[Criterion], problems: Mapping[int, str] | None = None
) -> list[dict[str, Any]]:
    """The criteria as the plan states them: every field, the label, the metric's meaning and,
    for one the lock cannot evaluate (:func:`target_problems`), why not."""
    problems = problems or {}
    return [
        as_params(c)
        | {"id": position, "label": c.label, "meaning": CRITERION_METRICS[c.metric].description}
        | ({"not_evaluable": problems[position]} if position in problems else {})
        for position, c in enumerate(criteria, start=1)
    ]


def analyses(criteria: Sequence[Criterion]) -> dict[str, Any]:
    """The primary analyses (the primary criteria's), the secondary ones, and what every
    validation estimates."""
    return {
        "primary": [c.label for c in criteria if c.role == "primary"],
        "secondary": [c.label for c in criteria if c.role == "secondary"],
        "always": list(ALWAYS),
    }


def build_plan(
    model: LockedModel,
    settings: PlanSettings,
    sample_size: Sequence[Mapping[str, Any]],
    requirements: Sequence[Mapping[str, Any]],
    prevalence: float,
) -> dict[str, Any]:
    """The sealed plan (see the module docstring). ``sample_size``: the rows of the
    sample-size table as written; ``prevalence``: the anticipated prevalence it used."""
    problems = target_problems(settings.criteria, model)
    for position, problem in problems.items():
        log.warning(
            "plan criterion %d ('%s') cannot be evaluated: %s; it is kept and counts as not met",
            position,
            settings.criteria[position - 1].label,
            problem,
        )
    config = as_params(settings)
    document = {
        "plan_version": PLAN_VERSION,
        "description": DESCRIPTION,
        "lock": {
            "path": model.path,
            HASH_FIELD: model.content_sha256,
            "workflow_version": model.workflow_version,
        },
        "criteria": criteria_entries(settings.criteria, problems),
        "analyses": analyses(settings.criteria),
        "handling": dict(HANDLING),
        "config": config,
        "settings": {
            "alpha": settings.alpha,
            "power": settings.power,
            "anticipated_prevalence": prevalence,
            "population_prevalence": settings.population_prevalence,
        },
        "sample_size": list(sample_size),
        "requirements": list(requirements),
    }
    return seal(_plain(document))
