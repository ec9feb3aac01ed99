# Shared set-up: the library on sys.path, the run's plan (the config resolved into typed
# settings, the sample sheet checked, the files the run reads and makes) made before any
# job runs, and the helpers that give each rule exactly the settings and code it uses.
import os
import sys
from pathlib import Path

from snakemake.utils import validate

# The workflow's own folder (workflow/, resources/), found from this file so that the
# workflow also works as a Snakemake module imported by a study's Snakefile.
WORKFLOW_ROOT = Path(
    workflow.current_basedir.get_path_or_uri(secret_free=True)
).parents[1]
LIBRARY = WORKFLOW_ROOT / "workflow" / "scripts"
if not LIBRARY.is_dir():
    raise WorkflowError(
        f"the workflow's library is not at {LIBRARY}: use the workflow from a local folder "
        "(a clone of the repository), as a module by its local path"
    )
sys.path.insert(0, str(LIBRARY))

from mirflow import targets  # noqa: E402
from mirflow.checksums import sha256  # noqa: E402
from mirflow.errors import InputError  # noqa: E402
from mirflow.fingerprint import fingerprint, workflow_version  # noqa: E402
from mirflow.io.config_file import read_config_file  # noqa: E402
from mirflow.io.names import MirbaseNames  # noqa: E402
from mirflow.plan import check_config, make_plan, read_sums  # noqa: E402
from mirflow.settings import as_params, resolve_transform  # noqa: E402


def stop(error):
    """End the run before any job with the problem as one line (a Snakemake WorkflowError
    would add its own traceback-like lines)."""
    print(f"error: {error}", file=sys.stderr)
    sys.exit(1)


# A study's config/config.yaml (the repository root's is the SIMULATED demo's). A
# --configfile REPLACES it (keys left out take the schema's defaults, which make no
# analysis choice); it is not merged with another config's covariates or endpoints.
# Config files are read strictly first (syntax errors by line and column, a key given
# twice refused), and the config is checked against the schema in one message.
STUDY_CONFIG = "config/config.yaml"
try:
    if not workflow.overwrite_configfiles and Path(STUDY_CONFIG).is_file():
        read_config_file(STUDY_CONFIG)
except InputError as error:
    stop(error)
if not workflow.overwrite_configfiles:

    configfile: STUDY_CONFIG


try:
    for path in workflow.configfiles:
        read_config_file(path)
    check_config(
        config,
        WORKFLOW_ROOT / "workflow/schemas/config.schema.yaml",
        [str(path) for path in workflow.configfiles],
    )
except InputError as error:
    stop(error)
validate(config, "../schemas/config.schema.yaml")

ENV = "../../environment.yml"
# Files the workflow bundles, by their place in the workflow: a rule that reads one names
# it in params (place and SHA-256), so it is tracked by content, not by where the
# workflow sits (a study moved or copied elsewhere has nothing to re-run).
BUNDLED = {
    "mirbase_v21": "resources/mirbase/mirbase_v21_hsa.csv",
    "mirbase_v22": "resources/mirbase/mirbase_v22_hsa.csv",
    "lock_schema": "workflow/schemas/locked_model.schema.yaml",
}


LOCK = targets.LOCK
try:
    PLAN = make_plan(
        config,
        LOCK,
        read_sums(WORKFLOW_ROOT / "resources/demo/SHA256SUMS"),
        # the configured markers are checked against miRBase before any job
        (
            MirbaseNames.from_files(
                *(WORKFLOW_ROOT / BUNDLED[f"mirbase_{v}"] for v in ("v21", "v22"))
            )
            if config.get("markers", "auto") != "auto"
            or (config.get("plan") or {}).get("criteria")
            else None
        ),
    )
except InputError as error:
    stop(error)
# Folders a run writes must be writable: a read-only results/ or logs/ (a read-only mount,
# another user's folder) is said as what it is before any job.
for folder in [Path("logs"), Path("results"), *Path("results").glob("**/")]:
    if folder.is_dir() and not os.access(folder, os.W_OK):
        stop(
            f"{folder}: cannot write there (a read-only file system, or a folder of another user): "
            "this is a problem of the machine, not of your input or the workflow. Fix: run the "
            "workflow in a folder you can write to (or make this one writable)"
        )
DISCOVERY = PLAN.discovery
SETTINGS = PLAN.settings
VALIDATION = PLAN.validation
MODEL = PLAN.model
COUNT_FILES = list(PLAN.count_files)
VALIDATION_COUNT_FILES = list(PLAN.validation_count_files)
ENDPOINTS = PLAN.endpoints
# Whether the inputs are the bundled SIMULATED demo files: figure captions and the front
# page say so exactly then.
SIMULATED = bool(PLAN.simulated)
if DISCOVERY:
    validate(PLAN.sheet.reset_index(), "../schemas/samples.schema.yaml")


def bundled(*names):
    """``params.bundled`` of a rule that reads these bundled files (mirflow.steps.runner.bundled)."""
    return {
        name: {"path": BUNDLED[name], "sha256": sha256(WORKFLOW_ROOT / BUNDLED[name])}
        for name in names
    }


# rule script -> the fingerprint of the library code it runs (recorded in provenance.json)
FINGERPRINTS = {}


def code(script):
    """The fingerprint of the library code that a script runs (mirflow.fingerprint), so
    that a changed module re-runs exactly the rules whose scripts import it."""
    FINGERPRINTS[script] = fingerprint(LIBRARY / script, LIBRARY)
    return FINGERPRINTS[script]


def code_digest():
    """SHA-256 of the SHA-256s of every library module and rule script, by their place in
    the workflow folder (provenance.json's code.library)."""
    import hashlib

    files = sorted(LIBRARY.glob("**/*.py"))
    listing = "".join(f"{sha256(f)}  {f.relative_to(WORKFLOW_ROOT)}\n" for f in files)
    return hashlib.sha256(listing.encode()).hexdigest()


# the formats every figure is written in (figures.formats: png, and pdf unless left out)
FORMATS = tuple(config["figures"]["formats"])


def figure(name):
    """The paths of one figure in results/figures/, one per format."""
    return multiext(f"results/figures/{name}", *(f".{ext}" for ext in FORMATS))


def get_final_output():
    """Every file the run makes."""
    return PLAN.final_output(FORMATS)


def no_validation(wildcards):
    """Input of the target 'validation' when the config has no validation section: say
    what to add instead of Snakemake's "no rule to produce"."""
    raise WorkflowError(
        "the target 'validation' needs a validation: section in the config (model, samples, "
        "counts: the locked model and the independent cohort; see config/README.md)"
    )


def no_plan(wildcards):
    """Input of the target 'plan' in a validation-only run: say where a plan comes from."""
    raise WorkflowError(
        "the target 'plan' needs a discovery run (samples, counts, contrast): the plan is made "
        "from the lock and the discovery tables; a validation-only run reads a sealed plan "
        "(validation.plan, see config/README.md)"
    )


VALIDATION_LABELS = {"val_qc_samples": "QC", "val_qc_pca": "PCA"}


def validation_caption(name):
    """The caption file of a validation figure (one for every KM figure)."""
    if name.startswith("val_qc_"):
        return f"validation_{name[4:]}"
    if name.startswith("val_km_"):
        return "validation_km_figure"
    return f"validation_{name[4:]}_figure"
