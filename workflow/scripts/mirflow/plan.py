"""What the workflow decides when it starts, before any job runs: the parse-time helpers
that ``workflow/rules/common.smk`` calls, in one place.

A run is a discovery (samples, counts, contrast; optionally followed by the validation of
its own lock) or applies an existing locked model only (a config with just
``validation``). :func:`make_plan` resolves the config into typed settings, checks the
sample sheet against every setting that names its columns or samples, checks that the
adjusted design is full rank, expands the count files, finds the validation files and the
locked endpoints, and says which files the run makes (:mod:`mirflow.targets`). Every
problem is an :class:`~mirflow.errors.InputError`, raised before any job starts.
"""

from __future__ import annotations

import difflib
import glob
import json
import logging
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mirflow import sealing, targets
from mirflow.checksums import sha256
from mirflow.errors import InputError
from mirflow.io.names import MirbaseNames, harmonise_name
from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.io.sheet_checks import check_sample_sheet
from mirflow.settings import AUTO_PLAN, CONFIG, NO_PLAN, Settings, ValidationSettings, as_params, resolve
from mirflow.stats import deseq2_design
from mirflow.stats.design import covariate_frame


@dataclass(frozen=True)
class Plan:
    """What a run does: its settings (None without discovery), the checked sample sheet,
    the count files, and the validation it runs (None without one)."""

    settings: Settings | None
    sheet: pd.DataFrame | None
    count_files: tuple[str, ...]
    validation: ValidationSettings | None
    # the locked model a validation applies (this run's own lock, or an existing file)
    model: str | None
    validation_count_files: tuple[str, ...]
    # the endpoints of the applied model (a KM figure each)
    validation_endpoints: tuple[str, ...]
    # the input files that are the bundled SIMULATED demo files (by their SHA-256)
    simulated: tuple[str, ...] = ()
    # the sealed analysis plan the validation is evaluated against (None: validation.plan
    # none, or no validation)
    analysis_plan: str | None = None

    @property
    def discovery(self) -> bool:
        return self.settings is not None

    @property
    def counts(self) -> bool:
        """Whether the discovery values are counts (DESeq2 runs), not ``kind: expression``."""
        return self.settings is not None and self.settings.counts.kind == "counts"

    @property
    def endpoints(self) -> list[str]:
        """The discovery's prognostic endpoints."""
        return list(self.settings.survival.endpoints) if self.settings else []

    def result_tables(self) -> list[str]:
        return targets.result_tables(self.discovery, self.counts, self.endpoints, self.validation is not None)

    def report_tables(self) -> list[targets.ReportTable]:
        """The tables the report shows (as HTML views)."""
        return targets.report_tables(self.discovery, self.counts, self.endpoints, self.validation is not None)

    def final_output(self, formats: Sequence[str] = targets.FORMATS) -> list[str]:
        """Every file the run makes (``rule all``)."""
        validation = self.validation_endpoints if self.validation else None
        return targets.final_output(self.discovery, self.counts, self.endpoints, validation, formats)


def make_plan(
    config: Mapping[str, Any],
    own_lock: str = targets.LOCK,
    simulated_sums: Mapping[str, str] | None = None,
    mirbase: MirbaseNames | None = None,
) -> Plan:
    """The run's :class:`Plan` from a config that the schema has validated and completed;
    ``simulated_sums``: SHA-256 -> name of the bundled SIMULATED demo files, so that a run
    on them says so (:func:`read_sums`); ``mirbase``: the name tables the configured
    markers are checked against (:func:`check_markers`)."""
    validation = validation_only(config, own_lock)
    settings = sheet = None
    count_files: list[str] = []
    endpoints: list[str] = []
    if validation is None:
        settings = resolve(config)
        if mirbase is not None and settings.markers != "auto":
            check_markers(settings.markers, mirbase)
        if settings.plan is not None:
            check_criteria(settings, mirbase)
        sheet, _ = load_sheet(settings)
        count_files = [str(path) for path in count_paths(settings.counts.path)]
        validation = settings.validation
        endpoints = list(settings.survival.endpoints)
    discovery = _digests([settings.samples, *count_files] if settings else [])
    if validation is None:
        return Plan(
            settings, sheet, tuple(count_files), None, None, (), (), _simulated(discovery, simulated_sums)
        )
    model, validation_count_files = validation_files(validation, own_lock)
    validated = _digests([validation.samples, *validation_count_files])
    if settings is not None and not validation.allow_overlap:
        check_shared_files(discovery, validated)
    locked = endpoints if model == own_lock else locked_endpoints(model)
    return Plan(
        settings,
        sheet,
        tuple(count_files),
        validation,
        model,
        tuple(validation_count_files),
        tuple(locked),
        _simulated(discovery | validated, simulated_sums),
        analysis_plan_file(validation, model, own_lock, settings),
    )


def analysis_plan_file(
    validation: ValidationSettings, model: str, own_lock: str, settings: Settings | None
) -> str | None:
    """When the workflow starts: the sealed plan the validation is evaluated against (None for
    validation.plan none), checked as far as it exists. ``auto`` is the plan sealed with the
    applied lock: results/plan/analysis_plan.json beside its results/model/ (this run's own
    plan when the model is this run's own lock), else an analysis_plan.json in the lock's own
    folder. An existing plan must be unchanged since it
    was sealed; another run's plan must exist and name the applied model's content_sha256; this
    run's own plan, once a validation in this folder was evaluated against it, must not be
    re-sealed from another plan: section (:func:`mirflow.sealing.changed_after_validation`)."""
    if validation.plan == NO_PLAN:
        return None
    no_tilde(validation.plan, "validation.plan")
    sealed_model = None
    if model != own_lock:
        sealed_model = _recorded_hash(model)
        if sealed_model is None:
            return None  # an unreadable or edited model: the first validation job refuses it
    path = validation.plan
    if path == AUTO_PLAN:
        # a discovery run's layout (results/model/ beside results/plan/), or both in one folder
        beside = [
            Path(model).parent.parent / Path(targets.ANALYSIS_PLAN).relative_to("results"),
            Path(model).parent / Path(targets.ANALYSIS_PLAN).name,
        ]
        path = str(next((candidate for candidate in beside if candidate.is_file()), beside[0]))
    own = settings is not None and Path(path).resolve() == Path(targets.ANALYSIS_PLAN).resolve()
    if own:
        path = targets.ANALYSIS_PLAN
        if not Path(path).is_file():
            return path
        plan = sealing.read_plan(path)
        if settings.plan is not None and Path(targets.CRITERIA).is_file():
            sealing.changed_after_validation(plan, as_params(settings.plan), path, targets.CRITERIA)
        return path
    plan = sealing.read_plan(path)
    if sealed_model is not None:
        sealing.check_plan_lock(plan, path, sealed_model, model)
    return path


def _recorded_hash(model: str) -> str | None:
    """An existing locked model's content_sha256 when it is intact (its content hashes to it)
    and of the schema version this workflow reads, else None: a model that cannot be read, was
    edited or is of another version is refused, with its own message, by the first validation
    job (:func:`mirflow.steps.lock.read_model`), before its plan matters."""
    try:
        document = json.loads(Path(model).read_text(encoding="utf-8"))
        recorded = document.get(sealing.HASH_FIELD)
        if document.get("schema_version") != sealing.LOCK_SCHEMA_VERSION:
            return None
        return recorded if recorded == sealing.content_sha256(document) else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def check_config(config: Mapping[str, Any], schema_path: str | Path, files: Sequence[str]) -> None:
    """The config against its schema, before Snakemake's own validation (which fills in the
    defaults and whose error is a dump of the schema): the first problem as one
    :class:`InputError` naming the config file(s), the key path (``survival.endpoints.OS.landmark``),
    what is wrong and where the key is documented."""
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(dict(config))
    )
    if error is None:
        return
    key = ".".join(str(part) for part in error.absolute_path)  # '' at the top level
    message, fix = _config_problem(error, key)
    raise InputError(", ".join(files) or CONFIG, message, fix, where=key or None)


def _config_problem(error: Any, key: str) -> tuple[str, str]:
    """What is wrong with the config and the fix, from a jsonschema error at ``key``: an
    unknown key with the closest known ones (a typo), an empty section as such (YAML's null,
    not Python's None), else the schema's words and the key's description."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    section = key or "the top level of the config"
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = list(schema.get("properties", {}))
        unknown = [str(name) for name in error.instance if name not in known]
        if unknown:
            close = difflib.get_close_matches(unknown[0], known, n=3, cutoff=0.6)
            guess = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            return (
                f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)} in "
                f"{section}{guess}",
                f"rename or remove {'them' if len(unknown) > 1 else 'it'}; the keys of {section}: "
                f"{', '.join(known)} (config/README.md describes every key)",
            )
    if error.validator == "type" and error.instance is None:
        wanted = error.validator_value if isinstance(error.validator_value, str) else "a value"
        kind = {"object": "a section of keys", "array": "a list"}.get(wanted, f"a value of type {wanted}")
        return (
            f"is empty (null; a key with nothing after its colon) but must be {kind}",
            f"give {key} its value or remove the key (config/README.md describes every key)",
        )
    described = schema.get("description")
    fix = f"correct {section} (config/README.md describes every key"
    fix += f"; {section}: {' '.join(str(described).split())})" if described else ")"
    return error.message, fix


def _invisible(text: str) -> list[str]:
    """The characters of ``text`` a reader cannot see (format and control characters, and
    spaces other than the plain one), as 'U+200B ZERO WIDTH SPACE'."""
    return [
        f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"
        for char in text
        if unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp")
        or (char.isspace() and char != " ")
        or (unicodedata.category(char) == "Zs" and char != " ")
    ]


def check_markers(markers: Sequence[str], mirbase: MirbaseNames, key: str = "markers") -> None:
    """The configured ``markers`` list before any job: each name once, without invisible
    characters or spaces around it, and a miRBase v22 name as the count tables are
    harmonised to (another letter case or a v21 name is refused naming the v22 one, an
    unknown name with the closest v22 names). That every marker is measured and passes the
    count filter is checked where the data are read. ``key``: where the names are given
    (``plan.criteria, item 2`` for a criterion's target)."""
    what = "marker" if key == "markers" else "criterion target"
    seen: dict[str, int] = {}
    for position, marker in enumerate(markers, start=1):
        where = f"markers, item {position}" if key == "markers" else key
        hidden = _invisible(marker)
        if hidden or marker != marker.strip():
            shown = ", ".join(hidden) if hidden else "spaces around it"
            raise InputError(
                CONFIG,
                f"{what} '{marker.strip()}' holds characters that do not show ({shown}; copied from a "
                "document?)",
                f"type the name again: '{''.join(c for c in marker.strip() if not _invisible(c))}'",
                where=where,
            )
        name, action, _ = harmonise_name(marker, mirbase)
        if name is None or action in ("not_in_mirbase", "not_in_v22"):
            close = difflib.get_close_matches(marker, sorted(mirbase.v22), n=3, cutoff=0.8)
            raise InputError(
                CONFIG,
                f"{what} '{marker}' is not a miRBase v22 miRNA name"
                + (f" (did you mean {', '.join(close)}?)" if close else ""),
                "name markers as miRBase v22 does (e.g. hsa-miR-1246), or use markers: auto"
                if key == "markers"
                else "name the target as miRBase v22 does (e.g. hsa-miR-1246), or name the panel",
                where=where,
            )
        if name != marker:
            raise InputError(
                CONFIG,
                f"{what} '{marker}' is '{name}' in miRBase v22 ({action.replace('_', ' ')}), the name "
                "the count tables are harmonised to",
                f"write '{name}' in {'markers' if key == 'markers' else 'the criterion'}",
                where=where,
            )
        if name in seen:
            raise InputError(
                CONFIG,
                f"{what} '{name}' is listed twice (items {seen[name]} and {position})",
                "list each marker once",
                where=where,
            )
        seen[name] = position


def check_criteria(settings: Settings, mirbase: MirbaseNames | None) -> None:
    """What can be known of the plan's criteria before any job: a marker target named as
    miRBase v22 does (the markers' own checks), one of the configured markers when they are
    a list, and an endpoint of survival.endpoints. Whether the data select it (markers:
    auto) is known only when the lock is made: such a criterion is then kept, counted as
    not met (mirflow.analyses.analysis_plan.target_problems)."""
    strangers: list[tuple[int, str]] = []  # (item, target) not among the configured markers
    for position, criterion in enumerate(settings.plan.criteria, start=1):
        where = f"plan.criteria, item {position}"
        if criterion.target == "panel":
            continue
        if mirbase is not None:
            check_markers([criterion.target], mirbase, key=where)
        if settings.markers != "auto" and criterion.target not in settings.markers:
            strangers.append((position, criterion.target))
        if criterion.endpoint is not None and criterion.endpoint not in settings.survival.endpoints:
            raise InputError(
                CONFIG,
                f"criterion endpoint '{criterion.endpoint}' is not an endpoint of survival.endpoints "
                f"({', '.join(settings.survival.endpoints) or 'none'})",
                "name an endpoint of survival.endpoints",
                where=where,
            )
    if strangers:  # all of them at once: one round of fixes
        items = ", ".join(str(position) for position, _ in strangers)
        targets_ = ", ".join(f"'{target}'" for _, target in strangers)
        several = len(strangers) > 1
        verb = "are not among" if several else "is not one of"
        raise InputError(
            CONFIG,
            f"criterion target{'s' if several else ''} {targets_} {verb} the configured markers "
            f"({', '.join(settings.markers)})",
            "name a marker of markers:, or the panel",
            where=f"plan.criteria, item{'s' if several else ''} {items}",
        )


def read_sums(path: str | Path) -> dict[str, str]:
    """A ``sha256sum`` file as SHA-256 -> file name."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {
        digest: name.strip().lstrip("*")
        for digest, _, name in (line.partition(" ") for line in lines if line)
    }


def _simulated(digests: Mapping[str, str], sums: Mapping[str, str] | None) -> tuple[str, ...]:
    """The input files (path -> SHA-256) whose content is one of the bundled SIMULATED files."""
    return tuple(path for path, digest in digests.items() if digest in (sums or {}))


DISCOVERY_KEYS = ("samples", "counts", "contrast")


def _digests(paths: Sequence[str]) -> dict[str, str]:
    """Each file's SHA-256 (read once per run start: the SIMULATED check and the shared-file
    check both use them)."""
    return {path: sha256(path) for path in dict.fromkeys(paths)}


def check_shared_files(discovery: Mapping[str, str], validation: Mapping[str, str]) -> None:
    """A validation file with the content of a discovery file of the same run (the sample
    sheet or a count table; path -> SHA-256), refused before any job: the cohort would not be
    independent. (The validation's first job compares sample ids and libraries too, and the
    files of a lock made elsewhere.)"""
    by_digest = {digest: path for path, digest in discovery.items()}
    for path, digest in validation.items():
        twin = by_digest.get(digest)
        if twin is not None:
            same = Path(path).resolve() == Path(twin).resolve()
            what = (
                "is also a discovery file of this run"
                if same
                else f"has the content of the discovery file {twin}"
            )
            raise InputError(
                path,
                f"{what}: the validation cohort is not independent of the discovery cohort",
                "validate on an independent cohort (new samples); if the overlap is intended, set "
                "validation.allow_overlap: true (every report then says so)",
                where="validation",
            )


def validation_only(config: Mapping[str, Any], own_lock: str) -> ValidationSettings | None:
    """The validation settings of a validation-only config, None for a discovery config.

    A config without ``samples`` has no discovery: it must then apply an existing locked
    model (``validation.model`` naming a file other than this run's own ``own_lock``). A
    discovery config must have all of samples, counts and contrast.
    """
    given = [key for key in DISCOVERY_KEYS if key in config]
    if "samples" not in config and "validation" in config:
        validation = ValidationSettings.from_params(config["validation"])
        if given:
            raise InputError(
                CONFIG,
                f"has {', '.join(given)} but no samples",
                "give samples, counts and contrast for a discovery run, or leave them all out "
                "to only apply a locked model (validation.model)",
            )
        if Path(validation.model).resolve() == Path(own_lock).resolve():
            raise InputError(
                CONFIG,
                f"has no discovery (no samples, counts, contrast), so there is no own lock ({own_lock}) "
                "to validate",
                "point validation.model at an existing locked model, or add samples, counts and "
                "contrast to run discovery first",
            )
        return validation
    missing = [key for key in DISCOVERY_KEYS if key not in config]
    if missing:
        raise InputError(
            CONFIG,
            f"lacks {', '.join(missing)}",
            "a discovery run needs samples, counts and contrast (see config/config.yaml); "
            "a validation-only run needs only validation: {model, samples, counts}",
        )
    return None


def no_tilde(path: str, key: str) -> None:
    """Refuse a path starting with '~': it is not expanded (Snakemake and Python take it
    as a folder named '~'), so the file would be "not found" although it exists."""
    if str(path).startswith("~"):
        raise InputError(
            path,
            f"starts with '~', which is not expanded here ({key})",
            f"write the full path: {Path(path).expanduser()}",
            where=key,
        )


def count_paths(given: Sequence[str]) -> list[Path]:
    """``counts.path`` as a list of files; glob patterns are expanded and sorted.

    Runs when the workflow starts: a file that does not exist, a pattern that matches
    nothing, a directory, or a file given twice stops the run here.
    """
    paths: list[Path] = []
    seen: dict[Path, Path] = {}  # the real file -> the path that gave it first
    where = f"relative paths are taken from the working directory {Path.cwd()}"
    for entry in given:
        no_tilde(entry, "counts.path")
        if glob.has_magic(entry):
            matches = sorted(glob.glob(entry))
            if not matches:
                raise InputError(
                    entry, "no file matches this pattern (counts.path)", f"check counts.path ({where})"
                )
        else:
            matches = [entry]
        for match in map(Path, matches):
            if match.is_dir():
                raise InputError(
                    match,
                    "is a directory, not a count file"
                    + (f" (matched by the pattern '{entry}')" if glob.has_magic(entry) else ""),
                    f"give the count file, or a pattern such as {match / '*.xlsx'} for per-sample exports"
                    if not glob.has_magic(entry)
                    else "make the pattern match only files, e.g. end it in *.xlsx or *.csv",
                )
            if not match.exists():
                raise InputError(match, "no such file", f"check counts.path in the config ({where})")
            if glob.has_magic(entry) and match.name.startswith(("~$", ".~lock.")):
                raise InputError(
                    match,
                    f"is the lock file an office program keeps while a file is open (matched by the pattern "
                    f"'{entry}'), not a count table",
                    "close the file in the office program (the lock file then disappears), or make the "
                    "pattern not match it",
                )
            first = seen.get(match.resolve())
            if first is not None:
                again = f" (again by the pattern '{entry}')" if glob.has_magic(entry) else ""
                link = f": it is the same file as {first} (a link or another spelling of its path)"
                raise InputError(
                    match,
                    f"is given twice in counts.path{again}" + (link if first != match else ""),
                    "list every count file once",
                )
            paths.append(match)
            seen[match.resolve()] = match
    return paths


def load_sheet(settings: Settings) -> tuple[pd.DataFrame, pd.Series]:
    """The sample sheet checked against every setting that names its columns or
    samples, and each sample's contrast label (case/control/NA).

    Called when the workflow is parsed, before logging is set up: its warnings
    (spaces removed, a landmark catching no event) then go to stderr with their level.
    """
    no_tilde(settings.samples, "samples")
    with _warnings_to_stderr():
        sheet = read_sample_sheet(settings.samples)
        check_sample_sheet(
            sheet,
            settings.samples,
            settings.contrast,
            settings.covariates,
            settings.survival,
            settings.qc.exclude,
            variables=settings.cohort_variables,
        )
        labels = contrast_labels(sheet, settings.contrast)
        check_design(sheet, labels, settings)
    return sheet, labels


def check_design(sheet: pd.DataFrame, labels: pd.Series, settings: Settings) -> None:
    """Stop before any job when a group has fewer than 2 samples (besides qc.exclude), or
    when the adjusted design (covariates + contrast) is not full rank on the contrast
    samples (those QC may exclude later are not known yet; DESeq2's step checks again on
    the analysed ones)."""
    samples = labels.dropna().index.difference(list(settings.qc.exclude), sort=False)
    sizes = labels[samples].value_counts()
    for level, value in (("case", settings.contrast.case), ("control", settings.contrast.control)):
        if sizes.get(level, 0) < 2:
            raise InputError(
                settings.samples,
                f"{sizes.get(level, 0)} {level} sample(s) ({settings.contrast.column} = '{value}') besides "
                "qc.exclude: every comparison (DESeq2, the tests, ROC) needs at least 2 samples per group",
                f"add {level} samples, or check contrast.{level} and qc.exclude",
                where=f"column '{settings.contrast.column}'",
            )
    if not settings.covariates:
        return
    covariates, _ = covariate_frame(sheet.loc[samples], list(settings.covariates))
    frame, formula, names = deseq2_design.design_frame(labels[samples], covariates)
    deseq2_design.check_full_rank(frame, formula, names, settings.samples)


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """While no logging is configured (the Snakefile being parsed), show the library's
    warnings on stderr as ``WARNING mirflow...: message``; else leave logging alone."""
    if logging.getLogger().handlers:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    library = logging.getLogger("mirflow")
    library.addHandler(handler)
    try:
        yield
    finally:
        library.removeHandler(handler)


def validation_files(validation: ValidationSettings, own_lock: str) -> tuple[str, list[str]]:
    """When the workflow starts: the model to apply (``own_lock``, this run's lock, when
    validation.model names it, else an existing file) and the validation count files
    (glob patterns expanded); a missing model, sheet or count file is an :class:`InputError`."""
    for path, key in ((validation.model, "validation.model"), (validation.samples, "validation.samples")):
        no_tilde(path, key)
    for entry in validation.counts.path:
        no_tilde(entry, "validation.counts.path")
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
