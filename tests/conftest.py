"""Shared paths, fixtures and helpers of the test suite (no lists of rules or tables: those
come from the library, mirflow.targets and mirflow.plan).

Layout: tests/unit/<layer>/test_<module>.py test one library module each without running
the workflow; tests/architecture/ checks the library's structure; tests/workflow/ runs
Snakemake end to end (marked slow by its conftest); tests/tools/ tests tools/ and the demo
simulator. Test files import these helpers with ``from conftest import ...`` (tests/ is on
pytest's pythonpath).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORKFLOW = ROOT / "workflow"
SNAKEFILE = WORKFLOW / "Snakefile"
LIBRARY = WORKFLOW / "scripts"
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
# What a copy of the workflow needs: the Snakefile, rules, library, schemas and profiles, the
# bundled files (miRBase tables, the demo's checksums), the demo config and the conda
# environment the rules name.
WORKFLOW_PARTS = ("workflow", "resources", "config", ".test", "environment.yml")
# The session's copy of the workflow, once an end-to-end test made it (see ``snakefile``).
COPY_VARIABLE = "MIRFLOW_TESTS_WORKFLOW_COPY"


# The settings the sample-sheet checks read (tests of mirflow.io.sheet and io.sheet_checks),
# in config form.
SHEET_CONFIG = {
    "contrast": {"column": "group", "case": "NEC", "control": "healthy"},
    "covariates": ["age"],
    "qc": {"exclude": {}},
    "survival": {
        "ci_transform": "log-log",
        "cutoff": "landmark_roc",
        "n_permutations": 100,
        "population": "cases",
        "adjust_for": [],
        "endpoints": {"PFS": {"time": "pfs", "event": "pfs_event", "landmark": 6}},
    },
}


def check_sheet(sheet, config: dict = SHEET_CONFIG, path: str = "samples.tsv") -> None:
    """mirflow.io.sheet_checks.check_sample_sheet with the settings made from a config dict
    (``variables``: cohort.variables, default auto)."""
    from mirflow.io.sheet_checks import check_sample_sheet
    from mirflow.settings import ContrastSettings, SurvivalSettings

    check_sample_sheet(
        sheet,
        path,
        ContrastSettings.from_params(config["contrast"]),
        config["covariates"],
        SurvivalSettings.from_params(config["survival"]),
        config["qc"]["exclude"],
        variables=config.get("variables", "auto"),
    )


# The seed paper's findings that the SIMULATED demo reproduces: Table 4 (20 miRNAs up in
# patients) and the three that stay significant after adjusting for age.
SEED_TABLE4 = [
    "hsa-miR-1224-5p",
    "hsa-miR-1246",
    "hsa-miR-1290",
    "hsa-miR-141-3p",
    "hsa-miR-200a-3p",
    "hsa-miR-200b-3p",
    "hsa-miR-200c-3p",
    "hsa-miR-210-3p",
    "hsa-miR-320b",
    "hsa-miR-320c",
    "hsa-miR-320d",
    "hsa-miR-375-3p",
    "hsa-miR-4488",
    "hsa-miR-483-5p",
    "hsa-miR-760",
    "hsa-miR-874-3p",
    "hsa-miR-92b-3p",
    "hsa-miR-95-3p",
    "hsa-miR-10a-5p",
    "hsa-miR-184",
]
SEED_MARKERS = ["hsa-miR-1246", "hsa-miR-1290", "hsa-miR-320c"]


def real_file(relative: str) -> Path:
    """A file of ../shared/data/real, or skip the test saying what is missing."""
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real data not available: {path} (the shared/ folder beside the project is absent)")
    return path


@pytest.fixture(scope="session")
def mirbase():
    from mirflow.io.names import MirbaseNames

    return MirbaseNames.from_files(
        ROOT / "resources/mirbase/mirbase_v21_hsa.csv", ROOT / "resources/mirbase/mirbase_v22_hsa.csv"
    )


def copy_workflow(destination: Path) -> Path:
    """A copy of the workflow (:data:`WORKFLOW_PARTS`) in ``destination``, file times kept;
    returns its Snakefile. A test that edits the library edits such a copy, never ROOT."""
    for part in WORKFLOW_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source,
                destination / part,
                ignore=shutil.ignore_patterns("__pycache__", ".snakemake"),
                copy_function=shutil.copy2,
            )
        else:
            (destination / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / part)
    return destination / "workflow" / "Snakefile"


def copy_run(source: Path, destination: Path) -> Path:
    """A finished run's folder (results, logs, Snakemake's metadata) copied as ``cp -a``
    does (file times kept, so that Snakemake sees the same run)."""
    shutil.copytree(source, destination, symlinks=True, copy_function=shutil.copy2)
    return destination


@pytest.fixture(scope="session")
def snakefile(tmp_path_factory) -> Iterator[Path]:
    """The Snakefile of a copy of the workflow taken when the first end-to-end test of the
    session starts. Every end-to-end run of a session uses it, so that a run compared with
    the shared demo run (byte for byte, or "Nothing to be done") runs the same code even
    when the library is edited while the suite runs. From then on the demo configs are the
    copy's (:func:`demo_config`), so that they always fit its schema."""
    snakefile = copy_workflow(tmp_path_factory.mktemp("workflow"))
    os.environ[COPY_VARIABLE] = str(snakefile.parents[1])
    yield snakefile
    os.environ.pop(COPY_VARIABLE, None)


def run_workflow(
    workdir: Path,
    *args: str,
    snakefile: Path = SNAKEFILE,
    configfile: Path | None = None,
    cores: int = 2,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run the workflow with working directory ``workdir`` (outputs land there); ``args``
    (targets, options) come first, before ``--configfile`` takes the rest of the line;
    ``env`` adds to the environment."""
    command = [*SNAKEMAKE, *args, "-s", str(snakefile), "--directory", str(workdir), "--cores", str(cores)]
    if configfile is not None:
        command += ["--configfile", str(configfile)]
    return subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, check=False, env={**os.environ, **(env or {})}
    )


def demo_config(workdir: Path, **changes) -> Path:
    """The demo config (discovery and validation) with absolute input paths, optionally
    changed, in ``workdir``; a change to None removes the key (``validation=None``: discovery
    only). validation.model stays relative: the run's own lock, in ``workdir``. The settings
    are those of the session's copy of the workflow once there is one (``snakefile``), else
    the repository's; the input files are the repository's."""
    source = Path(os.environ.get(COPY_VARIABLE, ROOT))
    config = yaml.safe_load((source / "config/config.yaml").read_text())
    config["samples"] = str(ROOT / config["samples"])
    config["counts"]["path"] = str(ROOT / config["counts"]["path"])
    validation = config["validation"]
    validation["samples"] = str(ROOT / validation["samples"])
    validation["counts"]["path"] = str(ROOT / validation["counts"]["path"])
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, snakefile) -> Path:
    """The folder of one complete demo run (discovery, lock, validation on the bundled
    SIMULATED cohort), shared by every test that reads its results: config.yaml, results/,
    logs/ and .snakemake/."""
    workdir = tmp_path_factory.mktemp("demo")
    result = run_workflow(workdir, snakefile=snakefile, configfile=demo_config(workdir))
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


@pytest.fixture(scope="session")
def demo(demo_run) -> Path:
    """The demo run's results/ folder."""
    return demo_run / "results"


def prepare_cohort(counts, sheet, contrast: dict, covariates: list[str], mirbase):
    """What the workflow does before DE, with the library: harmonise, QC, filter, scale.

    Returns the filtered raw counts of the analysed samples, their case/control labels
    and the design covariates (continuous ones centred and scaled).
    """
    from mirflow.io.names import harmonise
    from mirflow.io.sheet import contrast_labels
    from mirflow.settings import ContrastSettings
    from mirflow.stats import normalise, qc
    from mirflow.stats.design import covariate_frame

    harmonised, _ = harmonise(counts, mirbase)
    labels = contrast_labels(sheet, ContrastSettings.from_params(contrast))
    metrics = qc.qc_metrics(harmonised, "hsa-miR-451a", "hsa-miR-23a-3p")
    table = qc.exclusion_reasons(metrics, labels, 50000, 7, {})
    kept = table.loc[~table["excluded"], "sample"].tolist()
    filtered, _ = normalise.filter_mirnas(harmonised[kept], labels, 10, 0.5)
    frame, _ = covariate_frame(sheet.loc[kept], covariates)
    return filtered, labels[kept].astype(str), frame


@pytest.fixture(scope="session")
def demo_cohort(mirbase):
    """The demo's analysed samples as the workflow prepares them for DE (no workflow run):
    filtered raw counts, case/control labels and the age covariate (:func:`prepare_cohort`)."""
    from mirflow.io.counts import read_counts
    from mirflow.io.sheet import read_sample_sheet

    sheet = read_sample_sheet(ROOT / "config/samples.tsv")
    counts = read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"])
    return prepare_cohort(
        counts, sheet, {"column": "group", "case": "NEC", "control": "healthy"}, ["age"], mirbase
    )


def deseq2_fits(cohort, alpha: float = 0.05) -> dict:
    """The unadjusted (~ contrast) and adjusted (~ covariates + contrast) DESeq2 fits of a
    cohort as :func:`prepare_cohort` gives it."""
    from mirflow.stats import deseq2, deseq2_design

    counts, labels, covariates = cohort
    fits = {}
    for name, frame_covariates in (("unadjusted", None), ("adjusted", covariates)):
        frame, formula, _ = deseq2_design.design_frame(labels, frame_covariates)
        fits[name] = deseq2.run_deseq2(counts, frame, formula, alpha)
    return fits


@pytest.fixture(scope="session")
def demo_fits(demo_cohort) -> dict:
    """The demo's two DESeq2 fits (:func:`deseq2_fits`)."""
    return deseq2_fits(demo_cohort)


def figure_texts(fig) -> str:
    """Every text drawn on a figure (figure and axes texts, titles), to check its messages."""
    parts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        parts += [t.get_text() for t in ax.texts] + [ax.get_title()]
    return "\n".join(parts)


def scheduled(output: str) -> dict[str, int]:
    """Rule -> number of jobs in a dry run's job table (Snakemake's "Job stats"), without
    rule all; empty when there is nothing to be done."""
    if "Job stats:" not in output:
        return {}
    table = output[output.index("Job stats:") :].split("total")[0]
    rows = re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.MULTILINE)
    return {rule: int(count) for rule, count in rows if rule != "all"}
