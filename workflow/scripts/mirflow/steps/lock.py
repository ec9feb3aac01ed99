"""Step of rule lock: write results/model/locked_model.json from the discovery tables, and
read a locked model back for the validation steps (checksum, schema version, schema)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import yaml

from mirflow.analyses import independence, lock
from mirflow.checksums import config_hash, sha256
from mirflow.errors import InputError
from mirflow.io.tables import read_design, read_tsv
from mirflow.settings import ContrastSettings, QCSettings, SurvivalSettings
from mirflow.stats import normalise
from mirflow.targets import LOCK

log = logging.getLogger(__name__)


def check_schema(model: Mapping[str, Any], schema_path: str, path: str | Path) -> None:
    """Refuse a model that does not follow ``workflow/schemas/locked_model.schema.yaml``
    (one message naming the first offending field)."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    try:
        jsonschema.validate(model, schema)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputError(
            path,
            f"does not follow the locked-model schema {schema_path} at {where}: {error.message}",
            "use the file a discovery run wrote, unchanged",
            where=where,
        ) from None


def read_model(path: str | Path, schema_path: str | None = None) -> lock.LockedModel:
    """A locked model, checked (JSON, this schema version, content checksum; with
    ``schema_path``, the schema) and typed. Every problem is an :class:`InputError`."""
    if not Path(path).is_file():
        if Path(path).resolve() == Path(LOCK).resolve():
            raise InputError(
                path,
                "disappeared while this run needed it: another snakemake run in this folder (one started "
                "with --nolock) removed or re-made it",
                "run one snakemake at a time in a study folder (Snakemake refuses a second one unless "
                "--nolock), then run the same command again",
            )
        raise InputError(path, "no such file (validation.model)", "point validation.model at a locked model")
    model = lock.check_model(Path(path).read_text(encoding="utf-8"), path)
    if schema_path is not None:
        check_schema(model, schema_path, path)
    return lock.LockedModel.from_document(model, path)


def _reference(
    raw_path: str, kept: Sequence[str], estimator: str, factors: Any
) -> normalise.Reference | None:
    """The normalisation reference, checked to reproduce the discovery size factors."""
    if estimator not in normalise.REFERENCE_ESTIMATORS:
        return None
    raw = read_tsv(raw_path, index_col="mirna")
    reference = normalise.reference(raw.loc[list(kept)], estimator)
    again = normalise.size_factors_from_reference(raw.loc[list(kept)], reference, raw.sum(axis=0))
    expected = factors.loc[again.index].to_numpy(dtype=float)
    if not np.allclose(again.to_numpy(dtype=float), expected, rtol=1e-12, atol=0):
        worst = float(np.max(np.abs(again.to_numpy(dtype=float) / expected - 1)))
        raise ValueError(
            f"the locked {estimator} reference does not reproduce the size factors (rel. {worst:.3g})"
        )
    return reference


def write_lock(
    contrast: ContrastSettings,
    kind: str,
    value: str,
    transform: str,
    qc: QCSettings,
    method: str,
    survival: SurvivalSettings,
    config: Mapping[str, Any],
    version: str,
    input_files: Sequence[str],
    raw_path: str,
    normalised_path: str,
    size_factors_path: str,
    covariates_path: str,
    scaling_path: str,
    roc_path: str,
    panel_path: str,
    panel_model_path: str,
    cutoffs_path: str | None,
    cox_baseline_path: str | None,
    schema_path: str,
    out: str,
) -> None:
    """Lock the discovery model (:func:`mirflow.analyses.lock.build_model`), check it
    against the schema and write it. ``config``: the resolved config without its
    ``validation`` section (its hash is recorded); ``input_files``: the sample sheet and
    count files, whose SHA-256 are recorded by path."""
    _, labels = read_design(covariates_path)
    kept = read_tsv(normalised_path, index_col="mirna").index.astype(str).tolist()
    sizes = read_tsv(size_factors_path).set_index("sample")
    estimators = sizes["method"].unique().tolist()
    estimator = estimators[0] if kind == "counts" and len(estimators) == 1 else "none"
    reference = _reference(raw_path, kept, estimator, sizes["size_factor"]) if kind == "counts" else None
    model = lock.build_model(
        contrast=contrast,
        kind=kind,
        value=value,
        transform=transform,
        qc=qc,
        labels=labels,
        kept=kept,
        method=method,
        estimator=estimator,
        reference=reference,
        scaling=read_tsv(scaling_path),
        roc=read_tsv(roc_path),
        panel=read_tsv(panel_path).iloc[0],
        panel_model=read_tsv(panel_model_path),
        survival=survival,
        cutoffs=read_tsv(cutoffs_path) if cutoffs_path else None,
        cox_baseline=read_tsv(cox_baseline_path) if cox_baseline_path else None,
        config_sha256=config_hash(config),
        workflow_version=version,
        inputs={str(p): sha256(p) for p in input_files},
        identities=independence.identities(
            read_tsv(raw_path, index_col="mirna")[list(labels.index)], kept, config_hash(config)
        ),
    )
    check_schema(model, schema_path, out)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(lock.dumps(model), encoding="utf-8")
    log.info(
        "locked model: %d miRNAs (%s reference), %d marker(s), panel %s, content_sha256 %s",
        len(kept),
        estimator,
        len(model["markers"]),
        "fitted" if model["panel"] else f"none ({model['panel_reason']})",
        model[lock.HASH_FIELD],
    )
