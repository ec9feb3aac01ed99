"""What the workflow decides when it starts, before any job runs: the files a validation
run reads and the endpoints of an existing locked model.

Standard library only: the Snakefile imports this module, so every Snakemake start (a
no-op re-run and a dry run included) pays for what it imports."""

from __future__ import annotations

import glob
import json
from pathlib import Path

from mirflow.errors import InputError
from mirflow.settings import ValidationSettings


def validation_files(validation: ValidationSettings, own_lock: str) -> tuple[str, list[str]]:
    """When the workflow starts: the model to apply (``own_lock``, this run's lock, when
    validation.model names it, else an existing file) and the validation count files
    (glob patterns expanded); a missing model, sheet or count file is an :class:`InputError`."""
    own = Path(validation.model).resolve() == Path(own_lock).resolve()
    model = own_lock if own else validation.model
    if not own and not Path(model).is_file():
        raise InputError(
            model,
            "no such file (validation.model)",
            f"point validation.model at a locked model, or leave it out to apply this run's own {own_lock}",
        )
    if not Path(validation.samples).is_file():
        raise InputError(
            validation.samples,
            "no such file (validation.samples)",
            "point validation.samples at the validation cohort's sample sheet",
        )
    files: list[str] = []
    for entry in validation.counts.path:
        matches = sorted(glob.glob(entry)) if glob.has_magic(entry) else [entry]
        found = [m for m in matches if Path(m).is_file()]
        if not found:
            raise InputError(
                entry,
                "no such file (validation.counts.path)" if not glob.has_magic(entry) else "no file matches",
                "point validation.counts.path at the validation cohort's count file(s)",
            )
        files += found
    return model, files


def locked_endpoints(model_path: str) -> list[str]:
    """The prognostic endpoints of an existing locked model, when the workflow starts (one
    KM figure each). Lenient on purpose: a model that cannot be read gives none here, and
    the first validation job refuses it with one clear message (:func:`mirflow.steps.lock.read_model`)."""
    try:
        model = json.loads(Path(model_path).read_text(encoding="utf-8"))
        return [str(endpoint["name"]) for endpoint in (model.get("prognostic") or {}).get("endpoints", [])]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []
