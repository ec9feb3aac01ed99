"""The run's settings, one frozen dataclass per config section.

The Snakefile validates the config against ``workflow/schemas/config.schema.yaml``
(which fills in the defaults) and then resolves it once with :func:`resolve`. Each rule
hands its step exactly the sections it uses, as ``params:`` made with :func:`as_params`
(plain dicts, because Snakemake only compares builtin values when it decides whether a
changed setting re-makes a table); the step rebuilds the dataclass with
``Section.from_params``. No library function sees the whole config.
"""

from __future__ import annotations

import math
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
# survival.time_grid's default: times of the time-dependent AUC grid per endpoint
DEFAULT_TIME_GRID = 10


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
    """One endpoint: its sheet columns and landmark (in the time column's unit), and the
    optional 0/1 column of a competing event (None: none; 1 = the competing event happened
    instead of the endpoint's event)."""

    time: str
    event: str
    landmark: float
    competing_event: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        return cls(params["time"], params["event"], params["landmark"], params.get("competing_event"))


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
            competing = endpoint.get("competing_event")
            if competing is not None and competing in (endpoint["time"], endpoint["event"]):
                raise InputError(
                    CONFIG,
                    f"competing_event is the {'time' if competing == endpoint['time'] else 'event'} "
                    f"column '{competing}'",
                    "name a 0/1 column of its own in competing_event (1 = the competing event happened "
                    "instead of the endpoint's event)",
                    where=f"survival.endpoints.{name}.competing_event",
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
    # the sealed analysis plan the validation is evaluated against: AUTO_PLAN (the plan
    # sealed with the applied lock), NO_PLAN (not pre-specified) or a path
    plan: str = "auto"
    # the specificity range of the markers' partial AUC, and its bootstrap resamples
    partial_auc_specificity: tuple[float, float] = (0.8, 1.0)
    n_bootstrap: int = 2000

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        prevalence = params.get("prevalence")
        low, high = (float(v) for v in params.get("partial_auc_specificity", (0.8, 1.0)))
        if not 0 <= low < high <= 1:
            raise InputError(
                CONFIG,
                f"validation.partial_auc_specificity [{low:g}, {high:g}] is not a range of specificities "
                "(0 <= low < high <= 1)",
                "give the range as [low, high], e.g. [0.8, 1.0]",
                where="validation.partial_auc_specificity",
            )
        return cls(
            model=str(params["model"]),
            samples=str(params["samples"]),
            counts=ValidationCountsSettings.from_params(params["counts"]),
            prevalence=None if prevalence is None else float(prevalence),
            exclude=exclusions("validation.exclude", params.get("exclude", {})),
            allow_overlap=bool(params.get("allow_overlap", False)),
            plan=str(params.get("plan", AUTO_PLAN)),
            partial_auc_specificity=(low, high),
            n_bootstrap=int(params.get("n_bootstrap", 2000)),
        )


# validation.plan: the plan sealed with the applied lock, or none (not pre-specified).
AUTO_PLAN, NO_PLAN = "auto", "none"


@dataclass(frozen=True)
class Metric:
    """A metric a success criterion can name: what it is measured on (``panel``, a locked
    ``marker``, or a marker's prognostic split for an ``endpoint``), whether the validation
    tables give it a 95% CI, and what it is."""

    targets: tuple[str, ...]
    has_ci: bool
    description: str


# plan.criteria's metrics (the schema's enum; mirflow.analyses.criteria reads each from its table)
CRITERION_METRICS: dict[str, Metric] = {
    "auc": Metric(("panel", "marker"), True, "AUC (DeLong 95% CI; a marker's in its locked direction)"),
    "calibration_slope": Metric(("panel",), True, "calibration slope of the locked panel (95% Wald CI)"),
    "calibration_intercept": Metric(("panel",), True, "calibration-in-the-large of the panel (95% CI)"),
    "brier": Metric(("panel",), False, "Brier score of the locked panel"),
    "sensitivity": Metric(("marker",), True, "sensitivity at the locked cut-off (exact 95% CI)"),
    "specificity": Metric(("marker",), True, "specificity at the locked cut-off (exact 95% CI)"),
    "ppv": Metric(("marker",), True, "PPV at the locked cut-off, the cohort's own (exact 95% CI)"),
    "npv": Metric(("marker",), True, "NPV at the locked cut-off, the cohort's own (exact 95% CI)"),
    "lr_positive": Metric(("marker",), True, "LR+ at the locked cut-off (log-method 95% CI)"),
    "lr_negative": Metric(("marker",), True, "LR- at the locked cut-off (log-method 95% CI)"),
    "partial_auc": Metric(
        ("marker",), True, "McClish partial AUC over validation.partial_auc_specificity (bootstrap 95% CI)"
    ),
    "hazard_ratio": Metric(("endpoint",), True, "Cox HR high vs low at the locked cut-off (95% CI)"),
    "logrank_p": Metric(("endpoint",), False, "log-rank p at the locked prognostic cut-off"),
}
CRITERION_OPS = (">", ">=", "<", "<=", "ci_contains")
CRITERION_BOUNDS = ("estimate", "ci_low", "ci_high")
CRITERION_ROLES = ("primary", "secondary")


@dataclass(frozen=True)
class Criterion(_Section):
    """One success criterion of the analysis plan: ``metric`` of ``target`` (``panel`` or a
    locked marker; with ``endpoint``, that marker's prognostic split for the endpoint),
    compared with ``value``: its ``bound`` (the estimate or a 95% CI limit) ``op`` ``value``,
    or, for ``op`` ``ci_contains``, the 95% CI holds ``value``. ``role``: primary or
    secondary; ``name``: an optional label."""

    target: str
    metric: str
    op: str
    value: float
    bound: str = "estimate"
    endpoint: str | None = None
    role: str = "primary"
    name: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any], position: int = 1) -> Self:
        """A criterion as the config (or a rule's params) gives it, checked: a metric its
        target can have, a CI limit only for a metric with a CI, a finite value."""
        where = f"plan.criteria, item {position}"
        value = params["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InputError(CONFIG, f"value {value!r} is not a finite number", "give a number", where=where)
        endpoint = params.get("endpoint")
        criterion = cls(
            target=str(params["target"]),
            metric=str(params["metric"]),
            op=str(params["op"]),
            value=float(value),
            bound=str(params.get("bound", "estimate")),
            endpoint=None if endpoint is None else str(endpoint),
            role=str(params.get("role", "primary")),
            name=str(params.get("name") or ""),
        )
        metric = CRITERION_METRICS.get(criterion.metric)
        if metric is None:
            raise InputError(
                CONFIG,
                f"metric '{criterion.metric}' is not a criterion metric",
                f"use one of {', '.join(CRITERION_METRICS)}",
                where=where,
            )
        if criterion.kind not in metric.targets:
            fitting = [name for name, m in CRITERION_METRICS.items() if criterion.kind in m.targets]
            named = f"target '{criterion.target}'"
            named += f", endpoint '{endpoint}'" if endpoint is not None else ""
            raise InputError(
                CONFIG,
                f"metric '{criterion.metric}' is measured on a {' or a '.join(metric.targets)}, but the "
                "criterion names a "
                f"{criterion.kind} ({named})",
                f"for a {criterion.kind} use one of {', '.join(fitting)}",
                where=where,
            )
        if not metric.has_ci and (criterion.op == "ci_contains" or criterion.bound != "estimate"):
            raise InputError(
                CONFIG,
                f"metric '{criterion.metric}' has no confidence interval",
                "compare its estimate (bound: estimate with op >, >=, < or <=)",
                where=where,
            )
        if criterion.kind == "endpoint" and criterion.target == "panel":
            raise InputError(
                CONFIG,
                "a prognostic criterion (endpoint given) names the panel",
                "name a locked marker as the target: the prognostic cut-offs are the markers'",
                where=where,
            )
        return criterion

    @property
    def kind(self) -> str:
        """What the criterion is measured on: ``panel``, ``marker`` or ``endpoint``."""
        if self.endpoint is not None:
            return "endpoint"
        return "panel" if self.target == "panel" else "marker"

    @property
    def label(self) -> str:
        """The criterion in words: its name, or e.g. 'panel auc: 95% CI lower limit > 0.7'."""
        if self.name:
            return self.name
        what = f"{self.endpoint} {self.target}" if self.endpoint is not None else self.target
        if self.op == "ci_contains":
            return f"{what} {self.metric}: 95% CI contains {self.value:g}"
        side = {"estimate": "", "ci_low": " 95% CI lower limit", "ci_high": " 95% CI upper limit"}
        return f"{what} {self.metric}{side[self.bound]} {self.op} {self.value:g}"


@dataclass(frozen=True)
class PlanSettings(_Section):
    """The validation's plan (SPEC stage 9): the sample-size assumptions (anticipated
    prevalence of cases in the validation cohort, the linear predictor's distribution, the
    target 95% CI widths and the sensitivity/specificity half-width, alpha, power, the null
    AUC, the prognostic target HR, the optional net-benefit threshold), the population
    prevalence the plan states PPV/NPV at, the out-of-bag bootstrap of the discovery
    cut-offs, and the success criteria. ``prevalence`` and ``hazard_ratio``: a number or
    ``discovery``."""

    prevalence: float | str
    population_prevalence: float | None
    linear_predictor: str
    ci_width: dict[str, float]
    half_width: float
    net_benefit_threshold: float | None
    alpha: float
    power: float
    auc_null: float
    hazard_ratio: float | str
    cutoff_bootstrap: int
    criteria: tuple[Criterion, ...]

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        criteria = tuple(
            Criterion.from_params(item, position) for position, item in enumerate(params["criteria"], start=1)
        )
        seen: dict[str, int] = {}
        for position, criterion in enumerate(criteria, start=1):
            if criterion.label in seen:
                raise InputError(
                    CONFIG,
                    f"criterion '{criterion.label}' is given twice (items {seen[criterion.label]} and "
                    f"{position})",
                    "give each criterion once",
                    where="plan.criteria",
                )
            seen[criterion.label] = position
        population, threshold = params.get("population_prevalence"), params.get("net_benefit_threshold")
        prevalence, hazard_ratio = params["prevalence"], params["hazard_ratio"]
        return cls(
            prevalence=prevalence if isinstance(prevalence, str) else float(prevalence),
            population_prevalence=None if population is None else float(population),
            linear_predictor=str(params["linear_predictor"]),
            ci_width={str(k): float(v) for k, v in params["ci_width"].items()},
            half_width=float(params["half_width"]),
            net_benefit_threshold=None if threshold is None else float(threshold),
            alpha=float(params["alpha"]),
            power=float(params["power"]),
            auc_null=float(params["auc_null"]),
            hazard_ratio=hazard_ratio if isinstance(hazard_ratio, str) else float(hazard_ratio),
            cutoff_bootstrap=int(params["cutoff_bootstrap"]),
            criteria=criteria,
        )

    def sample_size_params(self) -> dict[str, Any]:
        """What the sample-size table depends on (not the criteria, nor the population
        prevalence, nor the cut-off bootstrap), as plain params."""
        params = as_params(self)
        for key in SAMPLE_SIZE_UNUSED:
            params.pop(key)
        return params

    @classmethod
    def for_sample_size(cls, params: Mapping[str, Any]) -> Self:
        """The settings from :meth:`sample_size_params` (what the sample size does not use
        left empty)."""
        empty = {"criteria": (), "population_prevalence": None, "cutoff_bootstrap": 0}
        return cls.from_params({**params, **empty})


# The plan settings the sample-size table does not use.
SAMPLE_SIZE_UNUSED = ("criteria", "population_prevalence", "cutoff_bootstrap")


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
    # survival.time_grid: apart from SurvivalSettings so that the cut-off, KM and lock rules
    # (which take that whole section) do not re-run when only the time-dependent grid changes
    time_grid: int = DEFAULT_TIME_GRID
    # the validation's plan (None: a config resolved without the schema's defaults)
    plan: PlanSettings | None = None


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
        time_grid=int(config["survival"].get("time_grid", DEFAULT_TIME_GRID)),
        plan=PlanSettings.from_params(config["plan"]) if "plan" in config else None,
    )


def resolve_transform(transform_setting: str, kind: str) -> str:
    """``auto`` means log2 for counts and the values as given for ``kind: expression``."""
    if transform_setting == "auto":
        return "log2" if kind == "counts" else "none"
    return transform_setting
