"""Re-running from config: a changed setting or library module re-makes exactly the
tables it shapes (and what is made from them), and provenance.json never describes a
config that the tables were not made with."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, VALIDATION_RULES, demo_config, run_workflow

from mirflow.io.tables import read_tsv
from mirflow.sources import library_sources

# Which rule's outputs each rule reads (the workflow's DAG with the demo config's
# validation, without rule all).
FEEDS = {
    "import_counts": {"qc", "qc_figures", "reporting"},
    "qc": {"qc_figures", "cohort", "design", "normalise", "overview", "reporting"},
    "qc_figures": set(),
    "cohort": {"provenance", "reporting"},
    "design": {"deseq2", "wilcoxon", "candidates", "de_figures", "logistic", "roc", "panel"}
    | {"diagnostic_figures", "prognostic", "prognostic_figures", "lock"},
    "normalise": {"deseq2", "wilcoxon", "candidates", "de_figures", "logistic", "roc", "panel"}
    | {"diagnostic_figures", "prognostic", "prognostic_figures", "provenance", "lock"},
    "deseq2": {"candidates", "de_figures", "provenance"},
    "wilcoxon": {"candidates", "provenance", "reporting"},
    "candidates": {"de_figures", "logistic", "overview", "provenance", "reporting"},
    "de_figures": set(),
    "logistic": {"roc", "panel", "diagnostic_figures", "prognostic", "prognostic_figures"}
    | {"provenance", "reporting"},
    "roc": {"diagnostic_figures", "overview", "provenance", "lock", "reporting"},
    "panel": {"diagnostic_figures", "overview", "provenance", "lock", "reporting"},
    "diagnostic_figures": set(),
    "prognostic": {"prognostic_figures", "overview", "provenance", "lock", "reporting"},
    "prognostic_figures": set(),
    "lock": {"provenance", "reporting"} | VALIDATION_RULES,
    "validation_counts": {"validation_qc", "validation_normalise", "provenance", "reporting"},
    "validation_qc": {"validation_normalise", "validation_markers", "validation_panel"}
    | {"validation_prognostic", "validation_curves", "overview", "provenance", "reporting"},
    "validation_normalise": {"validation_markers", "validation_panel", "validation_prognostic"}
    | {"validation_curves", "provenance"},
    "validation_markers": {"validation_curves", "overview", "provenance", "reporting"},
    "validation_panel": {"validation_curves", "overview", "provenance", "reporting"},
    "validation_prognostic": {"overview", "provenance", "reporting"},
    "validation_curves": {"provenance"},
    "reporting": {"provenance"},
    "overview": set(),
    "provenance": set(),
}
VALIDATION_SHEET = ROOT / "config/validation_samples.tsv"
VALIDATION_COUNTS = str(ROOT / "resources/demo/validation_geneglobe.xlsx")


def downstream(rules: set[str]) -> set[str]:
    """The rules and every rule that (indirectly) reads their outputs."""
    found, pending = set(), list(rules)
    while pending:
        rule = pending.pop()
        if rule not in found:
            found.add(rule)
            pending += FEEDS[rule]
    return found


# One key of every config section: the change, and the rules that use that key (the
# rules whose params or inputs it changes). Provenance records the whole config, and the
# locked model the discovery config's hash (without the validation section).
CHANGES = {
    "samples": (lambda c, w: c | {"samples": str(_sheet_copy(w))}, {"import_counts"}),
    "counts.value": (
        lambda c, w: c | {"counts": c["counts"] | {"value": "reads"}},
        {"import_counts"},
    ),
    "contrast.case/control": (
        # the groups swapped; the prognostic population then has to be everyone (donors
        # have no follow-up), which the prognostic rule sees anyway through design
        lambda c, w: (
            c
            | {"contrast": {"column": "group", "case": "healthy", "control": "NEC"}}
            | {"survival": c["survival"] | {"population": "all"}}
        ),
        {"qc", "qc_figures", "cohort", "design", "normalise", "de_figures", "diagnostic_figures"}
        | {"prognostic_figures"},
    ),
    "covariates": (lambda c, w: c | {"covariates": []}, {"design", "de_figures", "diagnostic_figures"}),
    "qc.max_hemolysis_log2": (
        lambda c, w: c | {"qc": c["qc"] | {"max_hemolysis_log2": 8}},
        {"qc", "qc_figures"},
    ),
    "filter.min_count": (lambda c, w: c | {"filter": c["filter"] | {"min_count": 5}}, {"normalise"}),
    "normalisation": (lambda c, w: c | {"normalisation": "upper_quartile"}, {"normalise"}),
    "cohort.variables": (lambda c, w: c | {"cohort": {"variables": ["age"]}}, {"cohort"}),
    "de.alpha": (lambda c, w: c | {"de": c["de"] | {"alpha": 0.01}}, {"deseq2", "candidates", "de_figures"}),
    "de.min_log2_fold_change": (
        lambda c, w: c | {"de": c["de"] | {"min_log2_fold_change": 2}},
        {"candidates", "de_figures"},
    ),
    "markers": (lambda c, w: c | {"markers": ["hsa-miR-1246"]}, {"logistic"}),
    "roc.cutoff": (lambda c, w: c | {"roc": c["roc"] | {"cutoff": "closest_topleft"}}, {"roc"}),
    "roc.ci": (lambda c, w: c | {"roc": c["roc"] | {"ci": "bootstrap"}}, {"roc"}),
    "panel.n_repeats": (lambda c, w: c | {"panel": c["panel"] | {"n_repeats": 5}}, {"panel"}),
    "survival.n_permutations": (
        lambda c, w: c | {"survival": c["survival"] | {"n_permutations": 999}},
        {"prognostic", "prognostic_figures"},
    ),
    "survival.ci_transform": (
        lambda c, w: c | {"survival": c["survival"] | {"ci_transform": "log"}},
        {"prognostic", "prognostic_figures"},
    ),
    "seed": (lambda c, w: c | {"seed": 1}, {"de_figures", "roc", "panel", "prognostic"}),
    "validation.samples": (
        lambda c, w: c | {"validation": c["validation"] | {"samples": str(_sheet_copy(w, VALIDATION_SHEET))}},
        VALIDATION_RULES,
    ),
    "validation.counts.value": (
        lambda c, w: (
            c | {"validation": c["validation"] | {"counts": {"path": VALIDATION_COUNTS, "value": "reads"}}}
        ),
        {"validation_counts"},
    ),
    "validation.exclude": (
        lambda c, w: c | {"validation": c["validation"] | {"exclude": {"VHD01": "by hand"}}},
        {"validation_counts", "validation_qc"},
    ),
    "validation.prevalence": (
        lambda c, w: c | {"validation": c["validation"] | {"prevalence": 0.1}},
        {"validation_markers", "validation_curves"},
    ),
}


def _sheet_copy(workdir: Path, sheet: Path = ROOT / "config/samples.tsv") -> Path:
    """A demo sheet, same content, at another path."""
    path = workdir / f"{sheet.stem}_copy.tsv"
    shutil.copy(sheet, path)
    return path


def scheduled(output: str) -> set[str]:
    """Rule names in a dry run's job table (without rule all)."""
    table = output[output.index("Job stats:") :].split("total")[0]
    rows = re.findall(r"^(\w+)\s+\d+\s*$", table, flags=re.MULTILINE)
    return set(rows) - {"all"}


@pytest.fixture(scope="module")
def workflow_copy(tmp_path_factory) -> Path:
    """A copy of the workflow (Snakefile, rules, library, resources), so that a test can
    edit a library module without touching the repository."""
    copy = tmp_path_factory.mktemp("rerun") / "workflow"
    for part in ("Snakefile", "environment.yml", "config", "workflow", "resources/mirbase"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (copy / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / part)
    return copy


@pytest.fixture(scope="module")
def finished(workflow_copy) -> Path:
    """A complete demo run of the copied workflow."""
    workdir = workflow_copy.parent / "work"
    workdir.mkdir()
    result = _run(workdir, workflow_copy, configfile=demo_config(workdir))
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def _run(workdir: Path, workflow: Path, *args: str, configfile: Path):
    return run_workflow(workdir, *args, configfile=configfile, snakefile=workflow / "Snakefile")


def _config(workdir: Path, name: str, change) -> Path:
    config = yaml.safe_load(demo_config(workdir).read_text())
    path = workdir / ("config_" + re.sub(r"\W", "_", name) + ".yaml")
    path.write_text(yaml.safe_dump(change(config, workdir)))
    return path


def test_nothing_to_do_after_a_complete_run(finished, workflow_copy):
    result = _run(finished, workflow_copy, "-n", configfile=finished / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr


@pytest.mark.parametrize("key", list(CHANGES))
def test_a_changed_key_reruns_exactly_the_rules_it_shapes(finished, workflow_copy, key):
    change, uses = CHANGES[key]
    result = _run(finished, workflow_copy, "-n", configfile=_config(finished, key, change))
    assert result.returncode == 0, result.stderr[-3000:]
    locked = set() if key.startswith("validation") else {"lock"}
    assert scheduled(result.stdout) == downstream(uses | locked | {"provenance"}), key


def test_roc_cutoff_change_remakes_roc_and_provenance_not_deseq2(finished, workflow_copy):
    """The issue's case: results/diagnostic/roc.tsv re-made with the new method,
    results/de/deseq2.tsv untouched, provenance.json describing the new config."""
    deseq2 = finished / "results/de/deseq2.tsv"
    before = (deseq2.stat().st_mtime_ns, deseq2.read_bytes())
    config = _config(finished, "roc_run", lambda c, w: c | {"roc": c["roc"] | {"cutoff": "closest_topleft"}})
    result = _run(finished, workflow_copy, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    roc = read_tsv(finished / "results/diagnostic/roc.tsv")
    assert (roc["cutoff_method"] == "closest_topleft").all()
    assert (deseq2.stat().st_mtime_ns, deseq2.read_bytes()) == before
    record = json.loads((finished / "results/provenance.json").read_text())
    assert record["config"]["roc"]["cutoff"] == "closest_topleft"
    again = _run(finished, workflow_copy, "-n", configfile=config)
    assert "Nothing to be done" in again.stdout + again.stderr


def test_editing_a_library_module_reruns_the_rules_that_import_it(finished, workflow_copy):
    """An edit of the module that holds DeLong (in the copy) schedules the rules whose
    scripts import it, directly or not (roc, the ROC figures, prognostic's landmark ROC)
    and what follows them; not DESeq2, not the logistic models.
    A mere touch does not: Snakemake compares the recorded checksum of an input."""
    module = workflow_copy / "workflow/scripts/mirflow/stats/roc.py"
    module.write_text(module.read_text() + "\n# an edit\n")
    result = _run(finished, workflow_copy, "-n", configfile=finished / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = scheduled(result.stdout)
    assert jobs == downstream({"roc", "diagnostic_figures", "prognostic"})
    assert "lock" in jobs  # the locked model records the cut-offs the ROC chose
    assert "deseq2" not in jobs and "logistic" not in jobs


def test_library_sources_follow_imports():
    scripts = ROOT / "workflow/scripts"
    roc = {Path(p).relative_to(scripts).as_posix() for p in library_sources(scripts / "roc.py", scripts)}
    assert {"mirflow/stats/roc.py", "mirflow/analyses/diagnostic.py", "mirflow/steps/runner.py"} <= roc
    deseq2 = {
        Path(p).relative_to(scripts).as_posix() for p in library_sources(scripts / "deseq2.py", scripts)
    }
    assert "mirflow/stats/deseq2.py" in deseq2 and "mirflow/stats/roc.py" not in deseq2
