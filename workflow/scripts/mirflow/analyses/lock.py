"""The locked model (SPEC stage 8): everything needed to score a new sample without the
discovery data, as one deterministic JSON document.

A discovery run locks what it found: the miRNAs kept by the filter, the normalisation
reference (for DESeq2's median of ratios the discovery log geometric means, so that a new
sample's size factor is its median ratio to them), the counts' kind and the modelling
transform, the QC thresholds, the covariates' coding, each marker's direction and
diagnostic cut-off, the panel's final coefficients, each endpoint's prognostic cut-off
per marker, and where it came from (config hash, workflow version, input checksums).

The document carries ``schema_version`` (:data:`SCHEMA_VERSION`, the version of
``workflow/schemas/locked_model.schema.yaml``) and ``content_sha256``, the SHA-256 of its
canonical JSON (sorted keys, no whitespace) without that field: a model edited by hand
after it was locked no longer matches it and is refused (:func:`check_model`). There are
no timestamps: the same config and data give the same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mirflow.errors import InputError
from mirflow.groups import CASE, CONTROL
from mirflow.sealing import HASH_FIELD, LOCK_SCHEMA_VERSION, content_sha256, seal
from mirflow.settings import ContrastSettings, QCSettings, SurvivalSettings
from mirflow.stats.normalise import Reference

SCHEMA_VERSION = LOCK_SCHEMA_VERSION
DESCRIPTION = (
    "Locked discovery model of the mirflow workflow (SPEC stage 8): apply it unchanged to an "
    "independent cohort with the config key 'validation'. Do not edit: content_sha256 is checked."
)
# What a positive call is, per locked direction (cut-offs are observed normalised values).
POSITIVE = {"<": "value >= cutoff", ">": "value <= cutoff"}
NORMALISATION_TEXT = {
    "median_of_ratios": (
        "DESeq2 median of ratios: a sample's size factor is exp(median over the reference miRNAs "
        "with a positive count of log(count) - log_geometric_means), as DESeq2's "
        "estimateSizeFactors(geoMeans =), not rescaled over the new cohort"
    ),
    "poscounts": (
        "DESeq2 poscounts (every kept miRNA had a zero in discovery): a sample's size factor is "
        "exp(median over the reference miRNAs with a positive count of log(count) - "
        "log_geometric_means) / scale, scale being the geometric mean of the discovery samples' "
        "unscaled factors"
    ),
    "upper_quartile": (
        "upper quartile: a sample's size factor is the 75th percentile of its positive counts over "
        "the locked miRNAs / scale, the geometric mean of the discovery samples' upper quartiles"
    ),
    "cpm": "counts per million: a sample's size factor is its total miRNA count / 1e6 (no reference)",
    "none": "kind expression: values used as given (no size factors)",
}


# ---- canonical form and checksum ----------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready: NaN/None -> null, numpy scalars -> int/float, tuples -> lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    return value


def dumps(model: Mapping[str, Any]) -> str:
    """The file's text: indented JSON in the model's own key order, newline-terminated."""
    return json.dumps(model, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def check_model(text: str, path: str | Path) -> dict[str, Any]:
    """Parse a locked model and refuse one that this workflow cannot trust: not JSON, of
    another schema version, or edited after it was locked (its content no longer hashes to
    its ``content_sha256``). Each is an :class:`InputError` naming the file and checksums."""
    try:
        model = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            path,
            f"is not a locked model: not valid JSON ({error})",
            "set validation.model to a results/model/locked_model.json written by a discovery run",
        ) from None
    if not isinstance(model, dict) or "schema_version" not in model:
        raise InputError(
            path,
            "is not a locked model: no schema_version",
            "set validation.model to a results/model/locked_model.json written by a discovery run",
        )
    recorded = model.get(HASH_FIELD)
    computed = content_sha256(model)
    version = model["schema_version"]
    if version != SCHEMA_VERSION:
        raise InputError(
            path,
            f"is a locked model of schema version {version!r} (content_sha256 {recorded}); this "
            f"workflow reads schema version {SCHEMA_VERSION} only",
            "apply it with the workflow version that wrote it (provenance.workflow_version in the "
            "file), or re-run that discovery with this workflow to lock a new model",
        )
    if recorded != computed:
        raise InputError(
            path,
            f"was changed after it was locked: it records content_sha256 {recorded}, but its "
            f"content hashes to {computed}",
            "use the file exactly as the discovery run wrote it (a locked model must not be edited "
            "by hand); to change the model, change the discovery config and re-run it",
        )
    return model


# ---- the locked model as the validation steps read it ------------------------------------------


@dataclass(frozen=True)
class LockedMarker:
    """A diagnostic marker: its locked direction and cut-off (None: it did not vary in
    discovery) and the discovery estimates."""

    mirna: str
    direction: str
    cutoff: float | None
    auc: float | None
    sensitivity: float | None
    specificity: float | None


@dataclass(frozen=True)
class PanelTerm:
    """One term of the locked panel: a marker, a continuous covariate (centred and scaled
    as locked), a categorical covariate's numeric ``code``, or a ``level`` indicator."""

    name: str
    coefficient: float
    kind: str
    covariate: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class LockedPanel:
    """The multi-marker panel's final coefficients (on the locked modelling scale)."""

    model: str
    markers: tuple[str, ...]
    covariates: tuple[str, ...]
    intercept: float
    terms: tuple[PanelTerm, ...]
    auc_cv: float | None
    auc_apparent: float | None


@dataclass(frozen=True)
class LockedCovariate:
    """A covariate's discovery coding: continuous (mean, sd) or categorical (levels)."""

    name: str
    type: str
    mean: float | None = None
    sd: float | None = None
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class LockedCutoff:
    """A marker's prognostic cut-off for one endpoint (None, with the reason, when none)."""

    mirna: str
    cutoff: float | None
    reason: str


@dataclass(frozen=True)
class LockedCox:
    """A score's univariable Cox model (a marker on the modelling scale, or the panel's linear
    predictor): S(t | x) = exp(-H0(t) exp(coefficient x - centre)), H0 a right-continuous step
    function at ``times`` (0 and the discovery event times up to the landmark)."""

    score: str
    coefficient: float
    centre: float
    times: tuple[float, ...]
    cumulative_hazard: tuple[float, ...]


@dataclass(frozen=True)
class LockedEndpoint:
    """A prognostic endpoint: its sheet columns, landmark, the markers' cut-offs and the
    scores' Cox models (None in locks written before they were locked)."""

    name: str
    time: str
    event: str
    landmark: float
    cutoffs: tuple[LockedCutoff, ...]
    cox_models: tuple[LockedCox, ...] | None = None


@dataclass(frozen=True)
class LockedPrognostic:
    """The prognostic stage as locked: population, KM CI transform, endpoints."""

    population: str
    ci_transform: str
    endpoints: tuple[LockedEndpoint, ...]


@dataclass(frozen=True)
class LockedNormalisation:
    """The normalisation reference: the estimator, the log geometric means per reference
    miRNA (None for upper quartile, cpm, expression) and the scale."""

    estimator: str
    log_geometric_means: dict[str, float] | None
    scale: float | None


@dataclass(frozen=True)
class LockedModel:
    """A checked locked model (:func:`check_model`), typed: read once, by attribute."""

    path: str
    content_sha256: str
    workflow_version: str
    contrast: ContrastSettings
    kind: str
    value: str
    transform: str
    min_library_size: float
    max_hemolysis_log2: float
    hemolysis: tuple[str, str]
    mirnas: tuple[str, ...]
    normalisation: LockedNormalisation
    covariates: tuple[LockedCovariate, ...]
    markers: tuple[LockedMarker, ...]
    panel: LockedPanel | None
    panel_reason: str | None
    prognostic: LockedPrognostic | None
    # SHA-256 of each discovery input file, by path
    inputs: dict[str, str]
    # the analysed discovery samples' salted hashes (mirflow.analyses.independence); None in
    # locks written before they were recorded
    identities: dict[str, Any] | None

    def qc(self, exclude: Mapping[str, str]) -> QCSettings:
        """The locked QC thresholds with the validation cohort's own hand exclusions."""
        numerator, denominator = self.hemolysis
        return QCSettings(
            self.min_library_size, self.max_hemolysis_log2, numerator, denominator, dict(exclude)
        )

    @classmethod
    def from_document(cls, model: Mapping[str, Any], path: str | Path) -> LockedModel:
        """The typed view of a locked model's JSON document (already checked)."""
        panel = model["panel"]
        prognostic = model["prognostic"]
        norm = model["normalisation"]
        return cls(
            path=str(path),
            content_sha256=model[HASH_FIELD],
            workflow_version=model["provenance"]["workflow_version"],
            contrast=ContrastSettings(**model["contrast"]),
            kind=model["counts"]["kind"],
            value=model["counts"]["value"],
            transform=model["counts"]["transform"],
            min_library_size=model["qc"]["min_library_size"],
            max_hemolysis_log2=model["qc"]["max_hemolysis_log2"],
            hemolysis=(model["qc"]["hemolysis"]["numerator"], model["qc"]["hemolysis"]["denominator"]),
            mirnas=tuple(model["mirnas"]),
            normalisation=LockedNormalisation(norm["estimator"], norm["log_geometric_means"], norm["scale"]),
            covariates=tuple(
                LockedCovariate(c["name"], c["type"], c.get("mean"), c.get("sd"), tuple(c.get("levels", ())))
                for c in model["covariates"]
            ),
            markers=tuple(
                LockedMarker(
                    m["mirna"], m["direction"], m["cutoff"], m["auc"], m["sensitivity"], m["specificity"]
                )
                for m in model["markers"]
            ),
            panel=None
            if panel is None
            else LockedPanel(
                model=panel["model"],
                markers=tuple(panel["markers"]),
                covariates=tuple(panel["covariates"]),
                intercept=panel["intercept"],
                terms=tuple(
                    PanelTerm(t["name"], t["coefficient"], t["kind"], t.get("covariate"), t.get("level"))
                    for t in panel["terms"]
                ),
                auc_cv=panel["auc_cv"],
                auc_apparent=panel["auc_apparent"],
            ),
            panel_reason=model["panel_reason"],
            inputs=dict(model["provenance"]["inputs"]),
            identities=model.get("identities"),
            prognostic=None
            if prognostic is None
            else LockedPrognostic(
                population=prognostic["population"],
                ci_transform=prognostic["ci_transform"],
                endpoints=tuple(
                    LockedEndpoint(
                        e["name"],
                        e["time"],
                        e["event"],
                        e["landmark"],
                        tuple(LockedCutoff(c["mirna"], c["cutoff"], c["reason"]) for c in e["cutoffs"]),
                        None
                        if "cox_models" not in e
                        else tuple(
                            LockedCox(
                                m["score"],
                                m["coefficient"],
                                m["centre"],
                                tuple(m["times"]),
                                tuple(m["cumulative_hazard"]),
                            )
                            for m in e["cox_models"]
                        ),
                    )
                    for e in prognostic["endpoints"]
                ),
            ),
        )


# ---- building the model from the discovery tables ---------------------------------------------


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def normalisation_section(
    method: str, estimator: str, reference: Reference | None, kept: Sequence[str]
) -> dict[str, Any]:
    """``normalisation``: the configured method, the estimator actually used and its
    reference (log geometric means per reference miRNA and/or a scale; null for cpm and
    for expression values)."""
    means = None
    if reference is not None and reference.log_geometric_means is not None:
        means = {str(m): float(v) for m, v in reference.log_geometric_means.items()}
    return {
        "method": method,
        "estimator": estimator,
        "description": NORMALISATION_TEXT[estimator],
        "log_geometric_means": means,
        "scale": _number(reference.scale) if reference is not None else None,
        "n_reference_mirnas": len(means) if means is not None else None,
        "n_mirnas": len(kept),
    }


def covariate_section(scaling: pd.DataFrame) -> list[dict[str, Any]]:
    """``covariates`` from results/cohort/covariate_scaling.tsv: continuous (mean, sd) or
    categorical (levels, the first the reference), in the config's order."""
    covariates = []
    for name, rows in scaling.groupby("covariate", sort=False):
        kind = rows["type"].iloc[0]
        if kind == "continuous":
            first = rows.iloc[0]
            covariates.append(
                {"name": str(name), "type": kind, "mean": _number(first["mean"]), "sd": _number(first["sd"])}
            )
        else:
            covariates.append({"name": str(name), "type": kind, "levels": [str(v) for v in rows["level"]]})
    return covariates


def marker_section(roc: pd.DataFrame) -> list[dict[str, Any]]:
    """``markers`` from results/diagnostic/roc.tsv: direction, cut-off (null for a marker
    that did not vary), what counts as positive, and the discovery estimates."""
    markers = []
    for row in roc.itertuples(index=False):
        markers.append(
            {
                "mirna": row.mirna,
                "direction": row.direction,
                "cutoff": _number(row.cutoff),
                "positive": POSITIVE[row.direction],
                "cutoff_method": row.cutoff_method,
                "auc": _number(row.auc),
                "auc_ci_low": _number(row.auc_ci_low),
                "auc_ci_high": _number(row.auc_ci_high),
                "ci_method": row.ci_method,
                "sensitivity": _number(row.sensitivity),
                "specificity": _number(row.specificity),
                "n_case": int(row.n_case),
                "n_control": int(row.n_control),
            }
        )
    return markers


def panel_section(
    panel: pd.Series, model: pd.DataFrame, covariates: Sequence[Mapping[str, Any]], transform: str
) -> tuple[dict[str, Any] | None, str | None]:
    """``panel`` (terms, coefficients and intercept on the modelling scale) and
    ``panel_reason`` (null when there is a panel), from results/diagnostic/panel.tsv and
    panel_model.tsv. A covariate column used as covariates.tsv holds it is ``continuous``
    (centred and scaled with the locked mean and SD) or ``code`` (a categorical covariate's
    numeric code, used as the number it is); ``level`` terms are 0/1 indicators."""
    if model.empty:
        reason = panel.get("reason")
        return None, reason if isinstance(reason, str) and reason else "no panel was fitted"
    types = {c["name"]: c["type"] for c in covariates}
    intercept = model.loc[model["kind"] == "intercept", "coefficient"]
    terms = []
    for row in model[model["kind"] != "intercept"].itertuples(index=False):
        term: dict[str, Any] = {"name": row.term, "coefficient": float(row.coefficient)}
        if row.kind == "marker":
            term["kind"] = "marker"
        elif row.kind == "covariate":
            term |= {"kind": "continuous" if types[row.covariate] == "continuous" else "code"}
            term["covariate"] = row.covariate
        else:
            term |= {"kind": "level", "covariate": row.covariate, "level": str(row.level)}
        terms.append(term)
    used = list(dict.fromkeys(t["covariate"] for t in terms if "covariate" in t))
    section = {
        "model": str(panel["model"]),
        "scale": transform,
        "markers": [t["name"] for t in terms if t["kind"] == "marker"],
        "covariates": used,
        "intercept": float(intercept.iloc[0]),
        "terms": terms,
        "auc_cv": _number(panel.get("auc_cv")),
        "auc_apparent": _number(panel.get("auc_apparent")),
    }
    return section, None


def cox_section(baseline: pd.DataFrame) -> list[dict[str, Any]]:
    """An endpoint's ``cox_models`` from its rows of results/prognostic/cox_baseline.tsv
    (:func:`mirflow.analyses.time_roc.baseline_rows`), one per score, in table order."""
    return [
        {
            "score": str(score),
            "coefficient": float(rows["coefficient"].iloc[0]),
            "centre": float(rows["centre"].iloc[0]),
            "times": rows["time"].astype(float).tolist(),
            "cumulative_hazard": rows["cumulative_hazard"].astype(float).tolist(),
        }
        for score, rows in baseline.groupby("mirna", sort=False)
    ]


def prognostic_section(
    survival: SurvivalSettings, cutoffs: pd.DataFrame | None, cox_baseline: pd.DataFrame | None
) -> dict[str, Any] | None:
    """``prognostic``: population, KM CI transform, cut-off method and, per endpoint, its
    columns, landmark, each marker's cut-off from results/prognostic/cutoffs.tsv
    (high = value >= cut-off; null with the reason where there was none) and the scores'
    univariable Cox models from results/prognostic/cox_baseline.tsv (:func:`cox_section`).
    None without endpoints."""
    if not survival.endpoints or cutoffs is None:
        return None
    endpoints = []
    for name, endpoint in survival.endpoints.items():
        rows = cutoffs[cutoffs["endpoint"] == name]
        models = (
            {}
            if cox_baseline is None
            else {"cox_models": cox_section(cox_baseline[cox_baseline["endpoint"] == name])}
        )
        endpoints.append(
            {
                "name": name,
                "time": endpoint.time,
                "event": endpoint.event,
                "landmark": float(endpoint.landmark),
                "cutoffs": [
                    {
                        "mirna": row.mirna,
                        "cutoff": _number(row.cutoff),
                        "landmark_auc": _number(row.landmark_auc),
                        "reason": row.reason if isinstance(row.reason, str) else "",
                    }
                    for row in rows.itertuples(index=False)
                ],
            }
            | models
        )
    return {
        "population": survival.population,
        "ci_transform": survival.ci_transform,
        "cutoff_method": survival.cutoff,
        "high": "value >= cutoff",
        "endpoints": endpoints,
    }


def build_model(
    *,
    contrast: ContrastSettings,
    kind: str,
    value: str,
    transform: str,
    qc: QCSettings,
    labels: pd.Series,
    kept: Sequence[str],
    method: str,
    estimator: str,
    reference: Reference | None,
    scaling: pd.DataFrame,
    roc: pd.DataFrame,
    panel: pd.Series,
    panel_model: pd.DataFrame,
    survival: SurvivalSettings,
    cutoffs: pd.DataFrame | None,
    cox_baseline: pd.DataFrame | None,
    config_sha256: str,
    workflow_version: str,
    inputs: Mapping[str, str],
    identities: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The sealed locked model (see the module docstring) from the discovery tables."""
    covariates = covariate_section(scaling)
    panel_part, panel_reason = panel_section(panel, panel_model, covariates, transform)
    model = {
        "schema_version": SCHEMA_VERSION,
        "description": DESCRIPTION,
        "contrast": {"column": contrast.column, "case": contrast.case, "control": contrast.control},
        "discovery": {
            "n_case": int((labels == CASE).sum()),
            "n_control": int((labels == CONTROL).sum()),
        },
        "counts": {"kind": kind, "value": value, "transform": transform},
        "qc": {
            "min_library_size": qc.min_library_size,
            "max_hemolysis_log2": qc.max_hemolysis_log2,
            "hemolysis": {"numerator": qc.hemolysis_numerator, "denominator": qc.hemolysis_denominator},
        },
        "mirnas": [str(m) for m in kept],
        "normalisation": normalisation_section(method, estimator, reference, kept),
        "covariates": covariates,
        "markers": marker_section(roc),
        "panel": panel_part,
        "panel_reason": panel_reason,
        "prognostic": prognostic_section(survival, cutoffs, cox_baseline),
        "provenance": {
            "config_sha256": config_sha256,
            "workflow_version": workflow_version,
            "inputs": dict(inputs),
        },
    }
    if identities is not None:
        model["identities"] = dict(identities)
    return seal(_plain(model))
