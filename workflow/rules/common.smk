# Shared set-up: the library on sys.path, the config resolved into typed settings, the
# sample sheet checked before any job runs, and helpers that give each rule exactly the
# settings and library code it depends on.
import sys
from pathlib import Path

LIBRARY = Path(workflow.basedir) / "workflow" / "scripts"
sys.path.insert(0, str(LIBRARY))
# Library paths as inputs, relative to the working directory when they are inside it
# (shorter logs); absolute when the workflow runs elsewhere (--directory).
LIBRARY_ROOT = (
    LIBRARY.relative_to(Path.cwd()) if LIBRARY.is_relative_to(Path.cwd()) else LIBRARY
)

from mirflow.errors import InputError  # noqa: E402
from mirflow.settings import as_params, resolve, validation_only  # noqa: E402
from mirflow.sources import library_sources  # noqa: E402

ENV = "../../environment.yml"
# Bundled resources live beside the Snakefile, wherever snakemake runs.
MIRBASE = {
    version: str(
        Path(workflow.basedir) / f"resources/mirbase/mirbase_{version}_hsa.csv"
    )
    for version in ("v21", "v22")
}
# Every discovery run locks its model here; validation applies it (or an older lock).
LOCK = "results/model/locked_model.json"
try:
    # None for a discovery run; a validation-only config (no samples) applies an existing
    # locked model and runs no discovery rule.
    VALIDATION = validation_only(config, LOCK)
    DISCOVERY = VALIDATION is None
    if DISCOVERY:
        from mirflow.steps.counts import count_paths, load_sheet

        SETTINGS = resolve(config)
        SHEET, LABELS = load_sheet(SETTINGS)
        COUNT_FILES = [str(p) for p in count_paths(SETTINGS.counts.path)]
        VALIDATION = SETTINGS.validation
except InputError as error:
    raise WorkflowError(str(error)) from None
if DISCOVERY:
    validate(SHEET.reset_index(), "../schemas/samples.schema.yaml")


def code(script):
    """The library modules that a script imports, directly or through other modules;
    editing one of them re-runs the jobs of that script (README, re-running)."""
    return library_sources(LIBRARY_ROOT / script, LIBRARY_ROOT)


def figure(name):
    """PNG and PDF paths of one figure in results/figures/."""
    return multiext(f"results/figures/{name}", ".png", ".pdf")


def no_validation(wildcards):
    """Input of the target 'validation' when the config has no validation section: say
    what to add instead of Snakemake's "no rule to produce"."""
    raise WorkflowError(
        "the target 'validation' needs a validation: section in the config (model, samples, "
        "counts: the locked model and the independent cohort; see config/config.yaml)"
    )
