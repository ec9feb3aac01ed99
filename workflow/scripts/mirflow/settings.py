"""The run's settings, one frozen dataclass per config section.

The Snakefile validates the config against ``workflow/schemas/config.schema.yaml``
(which fills in the defaults) and then resolves it once with :func:`resolve`. Each rule
hands its step exactly the sections it uses, as ``params:`` made with :func:`as_params`
(plain dicts, because Snakemake only compares builtin values when it decides whether a
changed setting re-makes a table); the step rebuilds the dataclass with
``Section.from_params``. No library function sees the whole config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Self


@dataclass(frozen=True)
class _Section:
    """Common (de)serialisation of a config section."""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        """Rebuild the section from the dict a rule received as ``params:``."""
        return cls(**{f.name: params[f.name] for f in fields(cls)})


def as_params(section: _Section) -> dict[str, Any]:
    """A section as the plain dict that Snakemake compares between runs."""
    return asdict(section)


@dataclass(frozen=True)
class CountsSettings(_Section):
    """How to read the count table(s) and on which scale to model them."""

    path: tuple[str, ...]
    format: str
    value: str
    kind: str
    transform: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        path = params["path"]
        return cls(
            path=(path,) if isinstance(path, str) else tuple(path),
            format=params["format"],
            value=params["value"],
            kind=params["kind"],
            transform=params["transform"],
        )


@dataclass(frozen=True)
class ContrastSettings(_Section):
    """The sheet column holding the groups and its case and control values."""

    column: str
    case: str
    control: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        return cls(str(params["column"]), str(params["case"]), str(params["control"]))

    @property
    def names(self) -> dict[str, str]:
        """Internal label -> the sheet's value, for legends and messages."""
        return {"case": self.case, "control": self.control}


@dataclass(frozen=True)
class QCSettings(_Section):
    """Sample QC thresholds and hand exclusions."""

    min_library_size: float
    max_hemolysis_log2: float
    hemolysis_numerator: str
    hemolysis_denominator: str
    exclude: dict[str, str]

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        hemolysis = params.get("hemolysis", {})
        return cls(
            min_library_size=params["min_library_size"],
            max_hemolysis_log2=params["max_hemolysis_log2"],
            hemolysis_numerator=params.get("hemolysis_numerator", hemolysis.get("numerator")),
            hemolysis_denominator=params.get("hemolysis_denominator", hemolysis.get("denominator")),
            exclude=dict(params["exclude"]),
        )


@dataclass(frozen=True)
class FilterSettings(_Section):
    """miRNA filter: >= min_count in >= min_fraction of the smaller group."""

    min_count: int
    min_fraction: float


@dataclass(frozen=True)
class DESettings(_Section):
    """Candidate screen: BH threshold, minimum |log2FC| and which fit screens."""

    alpha: float
    min_log2_fold_change: float
    screen: str


@dataclass(frozen=True)
class RocSettings(_Section):
    """ROC CI method, bootstrap size and cut-off method."""

    ci: str
    n_bootstrap: int
    cutoff: str


@dataclass(frozen=True)
class PanelSettings(_Section):
    """Multi-marker panel cross-validation."""

    n_folds: int
    n_repeats: int
    include_covariates: bool


@dataclass(frozen=True)
class EndpointSettings(_Section):
    """One endpoint: its sheet columns and landmark (in the time column's unit)."""

    time: str
    event: str
    landmark: float


@dataclass(frozen=True)
class SurvivalSettings(_Section):
    """Prognostic stage: KM CI transform, cut-off method, population, endpoints."""

    ci_transform: str
    cutoff: str
    population: str
    endpoints: dict[str, EndpointSettings]
    adjust_for: tuple[str, ...]
    n_permutations: int

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        return cls(
            ci_transform=params["ci_transform"],
            cutoff=params["cutoff"],
            population=params["population"],
            endpoints={
                name: EndpointSettings.from_params(endpoint) for name, endpoint in params["endpoints"].items()
            },
            adjust_for=tuple(params["adjust_for"]),
            n_permutations=params["n_permutations"],
        )


@dataclass(frozen=True)
class Settings:
    """Every section of a validated config (defaults filled in)."""

    samples: str
    counts: CountsSettings
    contrast: ContrastSettings
    covariates: tuple[str, ...]
    qc: QCSettings
    filter: FilterSettings
    normalisation: str
    cohort_variables: str | tuple[str, ...]
    de: DESettings
    markers: str | tuple[str, ...]
    roc: RocSettings
    panel: PanelSettings
    survival: SurvivalSettings
    seed: int


def resolve(config: Mapping[str, Any]) -> Settings:
    """Typed settings from a config that the schema has validated and completed."""
    variables = config["cohort"]["variables"]
    markers = config["markers"]
    return Settings(
        samples=str(config["samples"]),
        counts=CountsSettings.from_params(config["counts"]),
        contrast=ContrastSettings.from_params(config["contrast"]),
        covariates=tuple(config["covariates"]),
        qc=QCSettings.from_params(config["qc"]),
        filter=FilterSettings.from_params(config["filter"]),
        normalisation=str(config["normalisation"]),
        cohort_variables=variables if isinstance(variables, str) else tuple(variables),
        de=DESettings.from_params(config["de"]),
        markers=markers if isinstance(markers, str) else tuple(markers),
        roc=RocSettings.from_params(config["roc"]),
        panel=PanelSettings.from_params(config["panel"]),
        survival=SurvivalSettings.from_params(config["survival"]),
        seed=int(config["seed"]),
    )
