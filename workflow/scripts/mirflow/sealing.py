"""The sealed analysis plan (SPEC stage 9) as a file: its canonical form, its content hash,
and the checks that refuse a plan a validation cannot trust. The canonical form and the hash
are the locked model's too (:mod:`mirflow.analyses.lock` seals with them).

A plan is one JSON document with ``content_sha256``, the SHA-256 of its canonical JSON
(sorted keys, no whitespace, UTF-8) without that field, as the locked model has
(:mod:`mirflow.analyses.lock`): a plan edited after it was sealed no longer hashes to it.
It also records the ``content_sha256`` of the locked model it was made from, so a plan is
only ever applied with that model. The file itself is canonical too: sorted keys, indented.

Standard library only: the workflow checks an existing plan when it starts (mirflow.plan),
before any job, and the validation's job checks it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mirflow.errors import InputError

HASH_FIELD = "content_sha256"
PLAN_VERSION = 1
# the version of workflow/schemas/locked_model.schema.yaml that this workflow writes and reads
LOCK_SCHEMA_VERSION = 1
DESCRIPTION = (
    "Sealed analysis plan of the mirflow workflow (SPEC stage 9): the success criteria, the sample "
    "size and the settings of the validation of one locked model, fixed before any validation data "
    "are read. Do not edit: content_sha256 is checked."
)
REPLAN = (
    "restore the file exactly as the plan rule sealed it (snakemake plan); to change the plan before "
    "any validation data are read, change the config's plan: section and run snakemake plan again, "
    "which seals a new plan with a new content_sha256"
)


def canonical(document: Mapping[str, Any]) -> bytes:
    """The canonical JSON of a document without its checksum field: sorted keys, no spaces,
    UTF-8 (what :func:`content_sha256` hashes)."""
    body = {key: value for key, value in document.items() if key != HASH_FIELD}
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def content_sha256(document: Mapping[str, Any]) -> str:
    """SHA-256 of :func:`canonical` (the content, whatever its layout on disk)."""
    return hashlib.sha256(canonical(document)).hexdigest()


def seal(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with ``content_sha256`` set."""
    body = {key: value for key, value in document.items() if key != HASH_FIELD}
    return body | {HASH_FIELD: content_sha256(body)}


def dumps(document: Mapping[str, Any]) -> str:
    """The file's text: canonical key order (sorted), indented, newline-terminated."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def same_content(first: Any, second: Any) -> bool:
    """Whether two JSON-like values are equal as canonical JSON (tuples and lists alike)."""
    return json.dumps(first, sort_keys=True, default=str) == json.dumps(second, sort_keys=True, default=str)


def check_plan(text: str, path: str | Path) -> dict[str, Any]:
    """Parse a sealed plan and refuse one the validation cannot trust: not JSON, not a plan of
    this version, or changed after it was sealed (its content no longer hashes to its
    ``content_sha256``). Each is one :class:`InputError` naming the file and the fix."""
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            path,
            f"is not an analysis plan: not valid JSON ({error})",
            "set validation.plan to a results/plan/analysis_plan.json sealed by a discovery run, or to none",
            where="validation.plan",
        ) from None
    if not isinstance(plan, dict) or "plan_version" not in plan:
        raise InputError(
            path,
            "is not an analysis plan: no plan_version",
            "set validation.plan to a results/plan/analysis_plan.json sealed by a discovery run, or to none",
            where="validation.plan",
        )
    if plan["plan_version"] != PLAN_VERSION:
        raise InputError(
            path,
            f"is an analysis plan of version {plan['plan_version']!r}; this workflow reads version "
            f"{PLAN_VERSION}",
            "evaluate it with the workflow version that sealed it, or seal a new plan with snakemake plan",
            where="validation.plan",
        )
    recorded, computed = plan.get(HASH_FIELD), content_sha256(plan)
    if recorded != computed:
        raise InputError(
            path,
            f"was changed after it was sealed: it records content_sha256 {recorded}, but its content hashes "
            f"to {computed} (a success criterion, a setting or a sample size edited by hand)",
            REPLAN,
            where="validation.plan",
        )
    return plan


def check_plan_lock(plan: Mapping[str, Any], path: str | Path, model_sha256: str, model_path: str) -> None:
    """Refuse a plan sealed for another locked model than the one the validation applies."""
    planned = (plan.get("lock") or {}).get(HASH_FIELD)
    if planned != model_sha256:
        raise InputError(
            path,
            f"was sealed for the locked model with content_sha256 {planned}, but the validation applies "
            f"{model_path} (content_sha256 {model_sha256})",
            "point validation.plan at the plan sealed with that locked model (the discovery run's "
            "results/plan/analysis_plan.json), or validation.model at the lock the plan names",
            where="validation.plan",
        )


def read_plan(path: str | Path) -> dict[str, Any]:
    """A sealed plan read from its file and checked (:func:`check_plan`)."""
    if not Path(path).is_file():
        raise InputError(
            path,
            "no such file: a validation is evaluated against a sealed analysis plan",
            "run the discovery's snakemake plan first, point validation.plan at its "
            "results/plan/analysis_plan.json, or set validation.plan: none (the validation is then "
            "reported as not pre-specified)",
            where="validation.plan",
        )
    return check_plan(Path(path).read_text(encoding="utf-8"), path)


def changed_after_validation(
    plan: Mapping[str, Any], settings: Mapping[str, Any], path: str, seen: str
) -> None:
    """Refuse re-sealing the plan with another ``plan:`` section once a validation in this
    folder was evaluated against it (``seen``: the validation's criteria table): a plan
    changed after the validation data were seen is not pre-specified."""
    sealed = plan.get("config") or {}
    if same_content(sealed, settings):
        return
    changed = sorted(
        key for key in set(sealed) | set(settings) if not same_content(sealed.get(key), settings.get(key))
    )
    raise InputError(
        path,
        f"the config's plan: section differs from this sealed plan (content_sha256 {plan.get(HASH_FIELD)}; "
        f"changed: {', '.join(changed)}), and the validation in {seen} was already evaluated against it: "
        "a plan changed after the validation data were seen is not pre-specified",
        "restore the plan: section the plan was sealed with (its 'config'), or, to re-plan knowingly, remove "
        f"{Path(seen).parent} first (the new plan is then made after this cohort was analysed: say so)",
        where="plan",
    )
