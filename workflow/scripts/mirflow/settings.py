"""The run's settings, one frozen dataclass per config section.

The Snakefile validates the config against ``workflow/schemas/config.schema.yaml``
(which fills in the defaults) and then resolves it once with :func:`resolve`. Each rule
hands its step exactly the sections it uses, as ``params:`` made with :func:`as_params`
(plain dicts, because Snakemake only compares builtin values when it decides whether a
changed setting re-makes a table); the step rebuilds the dataclass with
``Section.from_params``. No library function sees the whole config.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Self

from mirflow.errors import InputError

# Where a config problem is reported (the config may come from any --configfile).
CONFIG = "the config"
# Column names the workflow gives its own columns next to covariates (covariates.tsv has
# 'sample' and 'group'; the logistic and Cox designs 'marker' and 'const'): a covariate
# must not be called so.
RESERVED_COLUMNS = ("sample", "group", "marker", "const")


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


def _paths(path: str | Sequence[str]) -> tuple[str, ...]:
    """``counts.path`` (a file, a pattern or a list of them) as a tuple."""
    return (path,) if isinstance(path, str) else tuple(path)


@dataclass(frozen=True)
class _CountFiles(_Section):
    """How to read count table(s): the files (``path`` as a tuple), format, value, kind."""

    path: tuple[str, ...]
    format: str
    value: str
    kind: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        return cls(**{f.name: params[f.name] for f in fields(cls)} | {"path": _paths(params["path"])})


@dataclass(frozen=True)
class CountsSettings(_CountFiles):
    """How to read the count table(s) and on which scale to model them."""

    transform: str


@dataclass(frozen=True)
class ContrastSettings(_Section):
    """The sheet column holding the groups and its case and control values."""

    column: str
    case: str
    control: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        """The levels as text; a YAML boolean, spaces around a level, or the same
        level twice is an :class:`InputError`."""
        case, control = (_level(f"contrast.{key}", params[key]) for key in ("case", "control"))
        if case == control:
            raise InputError(
                CONFIG,
                f"contrast.case and contrast.control are equal (both '{case}')",
                f"set them to two different values of the sheet column '{params['column']}'",
                where="contrast",
            )
        return cls(str(params["column"]), case, control)

    @property
    def names(self) -> dict[str, str]:
        """Internal label -> the sheet's value, for legends and messages."""
        return {"case": self.case, "control": self.control}


def _level(key: str, value: Any) -> str:
    """A contrast level as the sheet's text (YAML numbers such as 1 become '1')."""
    if isinstance(value, bool):
        name = key.rsplit(".", 1)[-1]
        raise InputError(
            CONFIG,
            f"{key} is the YAML boolean {str(value).lower()}: unquoted yes/no, true/false and "
            "on/off are read as true/false, not as the text in the sheet",
            f"write the level in quotes, as the sheet has it: {name}: '{'yes' if value else 'no'}'",
            where=key,
        )
    text = str(value)
    if not text.strip():
        raise InputError(CONFIG, f"{key} is empty", f"set {key} to a value of contrast.column", where=key)
    if text != text.strip():
        raise InputError(
            CONFIG,
            f"{key} '{text}' has spaces around it (the sheet's cells are read without them)",
            f"write {key}: '{text.strip()}'",
            where=key,
        )
    return text


def exclusions(key: str, given: Mapping[Any, Any]) -> dict[str, str]:
    """``qc.exclude`` / ``validation.exclude`` as sample id -> reason. An id written as an
    unquoted YAML number is refused: YAML reads ``0123`` as 123 and ``1e3`` as 1000, so it
    may not be the sheet's id."""
    for sample, reason in given.items():
        if not isinstance(sample, str):
            raise InputError(
                CONFIG,
                f"{key} names the sample {sample!r} as a number, not as text: YAML reads an unquoted "
                "number (0123, 1e3, 1_000) as another value than the sheet's id",
                f"write the id in quotes, exactly as the sheet has it: '{sample}': {reason!r}",
                where=key,
            )
    return {str(sample): str(reason) for sample, reason in given.items()}


def check_model_columns(contrast_column: str, covariates: Sequence[str], adjust_for: Sequence[str]) -> None:
    """``contrast.column`` not the sample ids' column; ``covariates`` and
    ``survival.adjust_for``: each column once, not the contrast column, not a name the
    workflow reserves (:data:`RESERVED_COLUMNS`)."""
    if contrast_column == "sample":
        raise InputError(
            CONFIG,
            "contrast.column is 'sample', the sheet's column of sample ids, not of groups",
            "set contrast.column to the sheet column that holds the groups (e.g. group)",
            where="contrast.column",
        )
    for key, names in (("covariates", covariates), ("survival.adjust_for", adjust_for)):
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise InputError(
                    CONFIG, f"{key} lists '{name}' twice", f"list each column once in {key}", where=key
                )
            seen.add(name)
            if name == contrast_column:
                raise InputError(
                    CONFIG,
                    f"{key} names '{name}', the contrast column (contrast.column): the groups "
                    "cannot also be a covariate",
                    f"remove '{name}' from {key}",
                    where=key,
                )
            if name in RESERVED_COLUMNS:
                raise InputError(
                    CONFIG,
                    f"{key} names '{name}', a name the workflow uses for its own columns "
                    f"({', '.join(RESERVED_COLUMNS)})",
                    f"rename the sheet column (e.g. '{name}_1') and use the new name in {key}",
                    where=key,
                )


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
            exclude=exclusions("qc.exclude", params["exclude"]),
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
    n_bootstrap: int


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
        for name, endpoint in params["endpoints"].items():
            if endpoint["time"] == endpoint["event"]:
                raise InputError(
                    CONFIG,
                    f"time and event are the same column '{endpoint['time']}'",
                    "name the follow-up time column in time and the 0/1 event column in event",
                    where=f"survival.endpoints.{name}",
                )
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
class ValidationCountsSettings(_CountFiles):
    """The validation cohort's count table(s): read as ``counts`` is (the modelling scale
    is the locked model's, so there is no ``transform`` here)."""


@dataclass(frozen=True)
class ValidationSettings(_Section):
    """External validation: the locked model to apply, the new cohort's sheet and counts,
    the population prevalence for PPV/NPV (None: not given), hand exclusions, and whether
    an overlap with the discovery cohort is intended."""

    model: str
    samples: str
    counts: ValidationCountsSettings
    prevalence: float | None
    exclude: dict[str, str]
    allow_overlap: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        prevalence = params.get("prevalence")
        return cls(
            model=str(params["model"]),
            samples=str(params["samples"]),
            counts=ValidationCountsSettings.from_params(params["counts"]),
            prevalence=None if prevalence is None else float(prevalence),
            exclude=exclusions("validation.exclude", params.get("exclude", {})),
            allow_overlap=bool(params.get("allow_overlap", False)),
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
    validation: ValidationSettings | None = None


def resolve(config: Mapping[str, Any]) -> Settings:
    """Typed settings from a config that the schema has validated and completed.

    What the schema cannot say clearly is checked here and is an :class:`InputError`
    (path "the config"): boolean or equal contrast levels, covariates listed twice, the
    contrast column or a reserved name as a covariate, an endpoint's time = event.
    """
    variables = config["cohort"]["variables"]
    markers = config["markers"]
    contrast = ContrastSettings.from_params(config["contrast"])
    check_model_columns(contrast.column, config["covariates"], config["survival"]["adjust_for"])
    return Settings(
        samples=str(config["samples"]),
        counts=CountsSettings.from_params(config["counts"]),
        contrast=contrast,
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
        validation=ValidationSettings.from_params(config["validation"]) if "validation" in config else None,
    )


def resolve_transform(transform_setting: str, kind: str) -> str:
    """``auto`` means log2 for counts and the values as given for ``kind: expression``."""
    if transform_setting == "auto":
        return "log2" if kind == "counts" else "none"
    return transform_setting
