"""Step of rule front_page: the report's front page (``snakemake --report``), written from
the run's own settings and inputs, so that every sentence is true of them: which files were
analysed and how, and, exactly when the inputs are the bundled SIMULATED demo files (by
their SHA-256), that they are simulated."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

TITLE = "Serum miRNA biomarker discovery (mirflow)"
KIND = {"counts": "counts", "expression": "expression values"}
POPULATION = {"cases": "the cases", "all": "all analysed samples"}


def _files(paths: str | Sequence[str]) -> str:
    """File names as the config gives them (a file, a pattern or a list)."""
    return ", ".join(f"``{path}``" for path in ([paths] if isinstance(paths, str) else paths))


def _value(counts: Mapping[str, Any]) -> str:
    """Which count columns, when the format says (a GeneGlobe export has UMI and READ columns;
    another table has the one kind of count its pipeline wrote)."""
    if counts.get("format") != "geneglobe":
        return ""
    return " (the UMI columns)" if counts["value"] == "umis" else " (the READ columns)"


def _discovery(settings: Mapping[str, Any]) -> list[str]:
    """The discovery's inputs and settings, one paragraph each."""
    counts, contrast, qc, survival = (settings[key] for key in ("counts", "contrast", "qc", "survival"))
    de, roc, filtering = settings["de"], settings["roc"], settings["filter"]
    covariates = ", ".join(settings["covariates"]) or "none"
    endpoints = ", ".join(survival["endpoints"]) or "none (no prognostic stage)"
    prognosis = (
        f"; survival cut-off {survival['cutoff']} on {POPULATION[survival['population']]}, median CI "
        f"transform {survival['ci_transform']}"
        if survival["endpoints"]
        else ""
    )
    return [
        f"Discovery: {KIND[counts['kind']]} from {_files(counts['path'])}{_value(counts)} and the sample "
        f"sheet ``{settings['samples']}``; contrast ``{contrast['column']}``: {contrast['case']} (case) vs "
        f"{contrast['control']} (control); covariates: {covariates}; endpoints: {endpoints}.",
        f"Settings: QC library size >= {qc['min_library_size']:g}, hemolysis log2 ratio <= "
        f"{qc['max_hemolysis_log2']:g}; filter >= {filtering['min_count']} counts in >= "
        f"{filtering['min_fraction']:g} of the smaller group; normalisation {settings['normalisation']}; "
        f"DE alpha {de['alpha']:g}, abs(log2FC) >= {de['min_log2_fold_change']:g}, screen {de['screen']}; "
        f"ROC CI {roc['ci']}, cut-off {roc['cutoff']}{prognosis}; seed {settings['seed']}.",
    ]


def front_page(
    discovery: Mapping[str, Any] | None,
    validation: Mapping[str, Any] | None,
    simulated: Sequence[str],
    overlap: Sequence[str] = (),
    covariate_checks: Sequence[str] = (),
) -> str:
    """The front page's reStructuredText: what was analysed, where to start, whether the data
    are simulated, and what the validation cohort shares with the discovery (``overlap``:
    one text per shared file, sample or library; only when validation.allow_overlap), and
    validation covariates that look unlike the locked ones (``covariate_checks``)."""
    lines = [TITLE, "=" * len(TITLE), ""]
    if simulated:
        lines += [
            f"**SIMULATED DATA.** {_files(simulated)} "
            f"{'is a file' if len(simulated) == 1 else 'are files'} of the bundled demo: a SIMULATED cohort "
            "calibrated to the SENECA trial's miRNA study, not real patients. Every number and figure of "
            "this report shows how the workflow works, not a finding.",
            "",
        ]
    survival = (
        " and the survival splits with naive and search-corrected p-values"
        if discovery and discovery["survival"]["endpoints"]
        else ""
    )
    start = (
        '**Start with "0. Overview"**: the analysed cohort, the samples excluded and why, the candidate '
        f"miRNAs, the markers with their AUCs, the panel's cross-validated AUC{survival}."
        if discovery
        else 'Start with "7. Validation": the locked model applied, unchanged, to the validation cohort.'
    )
    lines += [
        f"Results of one run of the workflow. {start} Every table opens as a readable view (with its TSV "
        "for download) and every table and figure has a caption that says what it shows and how it was "
        'computed; ``results/provenance.json`` (category "6. Provenance") records the config, the input '
        "checksums and the software versions.",
        "",
    ]
    for paragraph in _discovery(discovery) if discovery else []:
        lines += [paragraph, ""]
    if validation:
        counts = validation["counts"]
        lines += [
            f"Validation: the locked model ``{validation['model']}`` applied to {KIND[counts['kind']]} "
            f"from {_files(counts['path'])}{_value(counts)} and the sample sheet "
            f"``{validation['samples']}``, nothing refitted.",
            "",
        ]
        plan = validation.get("plan", "auto")
        if plan == "none":
            lines += [
                "**The validation was not pre-specified** (``validation.plan: none``): no success criterion "
                "was fixed before the validation data were read: every validation estimate is exploratory.",
                "",
            ]
        else:
            sealed = f"the analysis plan ``{plan}``" if plan != "auto" else "the analysis plan sealed with it"
            lines += [
                f"It is evaluated against {sealed}: each success criterion's verdict (PASS/FAIL) is in "
                "``results/validation/criteria.tsv`` and what differs from the plan in "
                "``results/validation/deviations.tsv``.",
                "",
            ]
        if overlap:
            lines += [
                f"**The validation cohort is not independent of the discovery**: it shares {len(overlap)} "
                f"file(s), sample(s) or librar(y/ies) with it ({'; '.join(overlap[:10])}"
                f"{' ...' if len(overlap) > 10 else ''}; validation.allow_overlap: true, "
                "``results/validation/overlap.tsv``). Its estimates are not an independent validation.",
                "",
            ]
        for check in covariate_checks:
            lines += [
                f"**CHECK the validation covariates**: {check} (``results/validation/covariates.tsv``).",
                "",
            ]
    return "\n".join(lines)


def write_front_page(
    discovery: Mapping[str, Any] | None,
    validation: Mapping[str, Any] | None,
    simulated: Sequence[str],
    out: str,
    overlap_path: str | None = None,
    covariates_path: str | None = None,
) -> None:
    """Write :func:`front_page` to ``out`` (``overlap_path``: results/validation/overlap.tsv;
    ``covariates_path``: results/validation/covariates.tsv)."""
    overlap = [f"{row['kind']} {row['item']}" for row in _rows(overlap_path)]
    checks = [f"{row['covariate']}: {row['note']}" for row in _rows(covariates_path) if row["note"]]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(front_page(discovery, validation, simulated, overlap, checks), encoding="utf-8")


def _rows(path: str | None) -> list[dict[str, str]]:
    """A TSV's rows (none without a path)."""
    if path is None:
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
