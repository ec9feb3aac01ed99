"""Re-running from config and code: a changed setting or library code re-makes exactly the
tables it shapes and what is made from them; a comment, a docstring or a plumbing module
re-makes no table; a finished study moved elsewhere has nothing to do; provenance.json never
describes a config that the tables were not made with.

Every test works on copies (``cp -a``, file times kept) of the session's one demo run, made
with the session's copy of the workflow; code edits are made in further copies of that
workflow, never in the repository. Which rule reads which rule's outputs is Snakemake's own
rule graph of the demo (``snakemake --rulegraph``), not a list kept here.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_run, demo_config, run_workflow, scheduled

from mirflow.fingerprint import imported_modules
from mirflow.io.tables import read_tsv

VALIDATION_SHEET = ROOT / "config/validation_samples.tsv"
VALIDATION_COUNTS = str(ROOT / "resources/demo/validation_geneglobe.xlsx")
# The run's record of everything: re-made whenever anything changes, the code included (its
# params hold the library's digest). It makes no table.
RECORD = {"provenance"}
# The records of the whole config: the provenance and the report's front page (its params
# are the config).
CONFIG_RECORDS = RECORD | {"front_page"}


@pytest.fixture(scope="module")
def finished(demo_run, tmp_path_factory) -> Path:
    """A copy of the session's finished demo run, for dry runs."""
    return copy_run(demo_run, tmp_path_factory.mktemp("rerun") / "demo")


@pytest.fixture(scope="module")
def feeds(finished, snakefile) -> dict[str, set[str]]:
    """Rule -> the rules that read its outputs, from Snakemake's rule graph of the demo."""
    result = run_workflow(finished, "--rulegraph", snakefile=snakefile, configfile=finished / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    labels = dict(re.findall(r"^\s*(\d+)\[label = \"(\w+)\"", result.stdout, flags=re.MULTILINE))
    graph: dict[str, set[str]] = {rule: set() for rule in labels.values() if rule != "all"}
    for source, target in re.findall(r"^\s*(\d+) -> (\d+)\s*$", result.stdout, flags=re.MULTILINE):
        if labels[target] != "all":
            graph[labels[source]].add(labels[target])
    assert {"import_counts", "deseq2", "roc", "lock", "validation_cohort", "provenance"} <= set(graph)
    return graph


def downstream(feeds: dict[str, set[str]], rules: set[str]) -> set[str]:
    """The rules and every rule that (indirectly) reads their outputs."""
    found, pending = set(), list(rules)
    while pending:
        rule = pending.pop()
        if rule not in found:
            found.add(rule)
            pending += feeds.get(rule, ())
    return found


def _dry_run(workdir: Path, snakefile: Path, config: Path, *args: str) -> set[str]:
    result = run_workflow(workdir, "-n", *args, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return set(scheduled(result.stdout))


def _nothing_to_do(workdir: Path, snakefile: Path) -> bool:
    result = run_workflow(workdir, "-n", snakefile=snakefile, configfile=workdir / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    return "Nothing to be done" in result.stdout + result.stderr


# ---- a finished run, and the same run elsewhere ---------------------------------------------


def test_the_rule_graph_is_the_workflows(feeds):
    assert "roc" in feeds["markers" if "markers" in feeds else "logistic"]
    assert feeds["lock"] >= {"validation_cohort"} and "deseq2" in downstream(feeds, {"normalise"})
    assert "import_counts" not in downstream(feeds, {"roc"})


def test_nothing_to_do_after_a_complete_run(finished, snakefile):
    assert _nothing_to_do(finished, snakefile)


def test_a_finished_run_copied_or_moved_elsewhere_has_nothing_to_do(demo_run, snakefile, tmp_path):
    copied = copy_run(demo_run, tmp_path / "copied" / "study")
    assert _nothing_to_do(copied, snakefile)
    moved = tmp_path / "elsewhere" / "study"
    moved.parent.mkdir()
    shutil.move(copy_run(demo_run, tmp_path / "before"), moved)
    assert _nothing_to_do(moved, snakefile)
    # and the workflow itself in another place: its code and bundled files are tracked by
    # content and place within the workflow, not by where it is
    workflow = tmp_path / "other" / "mirflow"
    shutil.copytree(snakefile.parents[1], workflow, symlinks=True, copy_function=shutil.copy2)
    assert _nothing_to_do(moved, workflow / "workflow" / "Snakefile")


# ---- config: one key of every section ----------------------------------------------------------


def _sheet_copy(workdir: Path, sheet: Path = ROOT / "config/samples.tsv") -> Path:
    """A demo sheet, same content, at another path."""
    path = workdir / f"{sheet.stem}_copy.tsv"
    shutil.copy(sheet, path)
    return path


# One key of every config section: the change, and the rules that use that key (the rules
# whose params or inputs it changes). Provenance records the whole config, and the locked
# model the discovery config's hash (without the validation section).
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
        | {"prognostic_figures", "reporting"},
    ),
    "covariates": (
        # without covariates the adjusted table is a copy of the unadjusted fit
        lambda c, w: c | {"covariates": []},
        {"design", "de_figures", "diagnostic_figures", "reporting", "deseq2_as_adjusted"},
    ),
    "qc.max_hemolysis_log2": (
        lambda c, w: c | {"qc": c["qc"] | {"max_hemolysis_log2": 8}},
        {"qc", "qc_figures", "reporting"},
    ),
    "filter.min_count": (lambda c, w: c | {"filter": c["filter"] | {"min_count": 5}}, {"normalise"}),
    "normalisation": (lambda c, w: c | {"normalisation": "upper_quartile"}, {"normalise", "reporting"}),
    "cohort.variables": (lambda c, w: c | {"cohort": {"variables": ["age"]}}, {"cohort"}),
    "de.alpha": (
        lambda c, w: c | {"de": c["de"] | {"alpha": 0.01}},
        {"deseq2", "candidates", "de_figures", "overview", "reporting"},
    ),
    "de.min_log2_fold_change": (
        lambda c, w: c | {"de": c["de"] | {"min_log2_fold_change": 2}},
        {"candidates", "de_figures", "overview", "reporting"},
    ),
    # the demo plan's criteria name these three: a list without one of them is refused at start-up
    "markers": (lambda c, w: c | {"markers": ["hsa-miR-1246", "hsa-miR-1290", "hsa-miR-320c"]}, {"logistic"}),
    "roc.cutoff": (lambda c, w: c | {"roc": c["roc"] | {"cutoff": "closest_topleft"}}, {"roc", "reporting"}),
    "roc.ci": (lambda c, w: c | {"roc": c["roc"] | {"ci": "bootstrap"}}, {"roc", "reporting"}),
    "panel.n_repeats": (lambda c, w: c | {"panel": c["panel"] | {"n_repeats": 5}}, {"panel", "reporting"}),
    "survival.n_permutations": (
        lambda c, w: c | {"survival": c["survival"] | {"n_permutations": 999}},
        {"prognostic", "prognostic_figures", "reporting"},
    ),
    "survival.ci_transform": (
        lambda c, w: c | {"survival": c["survival"] | {"ci_transform": "log"}},
        {"prognostic", "prognostic_figures", "reporting"},
    ),
    "seed": (lambda c, w: c | {"seed": 1}, {"de_figures", "roc", "panel", "prognostic"}),
    "validation.samples": (
        lambda c, w: c | {"validation": c["validation"] | {"samples": str(_sheet_copy(w, VALIDATION_SHEET))}},
        {"validation_cohort", "validation_results", "validation_figures", "reporting"},
    ),
    "validation.counts.value": (
        lambda c, w: (
            c | {"validation": c["validation"] | {"counts": {"path": VALIDATION_COUNTS, "value": "reads"}}}
        ),
        {"validation_cohort"},
    ),
    "validation.exclude": (
        lambda c, w: c | {"validation": c["validation"] | {"exclude": {"VHD01": "by hand"}}},
        {"validation_cohort", "validation_figures"},
    ),
    "validation.prevalence": (
        lambda c, w: c | {"validation": c["validation"] | {"prevalence": 0.1}},
        {"validation_results", "validation_figures", "reporting"},
    ),
}


def _config(workdir: Path, name: str, change) -> Path:
    config = yaml.safe_load(demo_config(workdir).read_text())
    path = workdir / ("config_" + re.sub(r"\W", "_", name) + ".yaml")
    path.write_text(yaml.safe_dump(change(config, workdir)))
    return path


@pytest.mark.parametrize("key", list(CHANGES))
def test_a_changed_key_reruns_exactly_the_rules_it_shapes(finished, feeds, snakefile, key):
    change, uses = CHANGES[key]
    jobs = _dry_run(finished, snakefile, _config(finished, key, change))
    locked = set() if key.startswith("validation") else {"lock"}
    assert jobs == downstream(feeds, uses | locked | CONFIG_RECORDS), key


def test_roc_cutoff_change_remakes_roc_and_provenance_not_deseq2(demo_run, snakefile, tmp_path):
    """The issue's case: results/diagnostic/roc.tsv re-made with the new method,
    results/de/deseq2.tsv untouched, provenance.json describing the new config."""
    study = copy_run(demo_run, tmp_path / "study")
    deseq2 = study / "results/de/deseq2.tsv"
    before = (deseq2.stat().st_mtime_ns, deseq2.read_bytes())
    config = _config(study, "roc_run", lambda c, w: c | {"roc": c["roc"] | {"cutoff": "closest_topleft"}})
    result = run_workflow(study, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    roc = read_tsv(study / "results/diagnostic/roc.tsv")
    assert (roc["cutoff_method"] == "closest_topleft").all()
    assert (deseq2.stat().st_mtime_ns, deseq2.read_bytes()) == before
    record = json.loads((study / "results/provenance.json").read_text())
    assert record["config"]["roc"]["cutoff"] == "closest_topleft"
    again = run_workflow(study, "-n", snakefile=snakefile, configfile=config)
    assert "Nothing to be done" in again.stdout + again.stderr


# ---- code: the fingerprint of what each rule's script imports -------------------------------


@pytest.fixture
def workflow(snakefile, tmp_path) -> Path:
    """A copy of the session's workflow (the code the demo ran) to edit; its root."""
    root = tmp_path / "mirflow"
    shutil.copytree(snakefile.parents[1], root, symlinks=True, copy_function=shutil.copy2)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _jobs_after_edit(finished: Path, workflow: Path) -> set[str]:
    return _dry_run(finished, workflow / "workflow" / "Snakefile", finished / "config.yaml")


def _rules_importing(module: str, library: Path) -> set[str]:
    """The rules whose script (in ``library``) imports ``module``, directly or not (a rule's
    script is named after it)."""
    return {script.stem for script in library.glob("*.py") if module in imported_modules(script, library)}


def test_a_comment_or_a_docstring_remakes_no_table(finished, workflow):
    module = workflow / "workflow/scripts/mirflow/stats/roc.py"
    module.write_text(module.read_text() + "\n# a comment at the end\n")
    assert _jobs_after_edit(finished, workflow) <= RECORD
    _edit(module, '"""', '"""A reworded module docstring. ')
    assert _jobs_after_edit(finished, workflow) <= RECORD


def test_a_code_change_reruns_the_rules_that_import_the_module_and_what_follows(finished, feeds, workflow):
    """A statement added to the module that holds DeLong (it changes no number) re-runs the
    rules whose scripts import it, directly or not (roc, the ROC figures, prognostic's
    landmark ROC, ...), and what follows them; not DESeq2, not the logistic models."""
    module = workflow / "workflow/scripts/mirflow/stats/roc.py"
    module.write_text(module.read_text() + "\nUNUSED_CONSTANT = 1.0\n")
    jobs = _jobs_after_edit(finished, workflow)
    importing = _rules_importing("mirflow.stats.roc", workflow / "workflow" / "scripts") & set(feeds)
    assert {"roc", "diagnostic_figures", "prognostic"} <= importing
    assert jobs == downstream(feeds, importing | RECORD)
    assert "lock" in jobs  # the locked model records the cut-offs the ROC chose
    assert "deseq2" not in jobs and "logistic" not in jobs and "import_counts" not in jobs


def test_editing_a_plumbing_module_remakes_no_table(finished, workflow):
    runner = workflow / "workflow/scripts/mirflow/steps/runner.py"
    _edit(runner, 'FORMAT = "', 'LEVEL = "INFO"\nFORMAT = "')
    assert _jobs_after_edit(finished, workflow) <= RECORD


def test_a_dry_run_names_no_library_file_as_an_input(finished, snakefile):
    result = run_workflow(
        finished, "-n", "--forceall", snakefile=snakefile, configfile=finished / "config.yaml"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    inputs = [line for line in result.stdout.splitlines() if line.strip().startswith("input:")]
    assert len(inputs) > 20
    files = [path.strip() for line in inputs for path in line.split("input:", 1)[1].split(",")]
    # the library's modules (code is tracked by the rules' fingerprints), the bundled files
    # (by place and SHA-256 in params)
    assert not [path for path in files if path.endswith(".py") or "scripts/mirflow" in path]
    assert not [path for path in files if "resources/mirbase" in path or "schemas/" in path]
