"""The files a run makes, decided when the workflow starts: one place for the rules'
figure and table lists, ``rule all`` (the catalog's ``get_final_output``) and the tests.

Standard library only: the Snakefile imports it on every start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FORMATS = ("png", "pdf")
LOCK = "results/model/locked_model.json"
OVERVIEW = "results/overview.tsv"
PROVENANCE = "results/provenance.json"
# the report's front page, written by the run from its own inputs
FRONT_PAGE = "results/report/front_page.rst"
# DESeq2 table -> its design (the two jobs of rule deseq2)
DESEQ2 = {"results/de/deseq2.tsv": "adjusted", "results/de/deseq2_unadjusted.tsv": "unadjusted"}
DIAGNOSTIC_FIGURES = ("diag_roc", "diag_panel_roc", "diag_forest")
VALIDATION_FIGURES = ("val_qc_samples", "val_qc_pca", "val_roc", "val_calibration", "val_decision_curve")
VALIDATION_TABLES = (
    "results/validation/counts/harmonisation.tsv",
    "results/validation/qc/samples.tsv",
    "results/validation/counts/normalised.tsv",
    "results/validation/counts/size_factors.tsv",
    "results/validation/markers.tsv",
    "results/validation/marker_calls.tsv",
    "results/validation/panel.tsv",
    "results/validation/panel_predictions.tsv",
    "results/validation/decision_curve.tsv",
    "results/validation/calibration_curve.tsv",
    "results/validation/km.tsv",
    "results/validation/table5.tsv",
    "results/validation/overlap.tsv",
    "results/validation/covariates.tsv",
    "results/validation/time_roc.tsv",
    "results/validation/concordance.tsv",
    "results/validation/marker_accuracy.tsv",
    "results/validation/criteria.tsv",
    "results/validation/deviations.tsv",
)
# The validation's plan (SPEC stage 9): made by every discovery run from its lock; a
# validation is evaluated against the sealed plan (validation.plan) in CRITERIA.
SAMPLE_SIZE = "results/plan/sample_size.tsv"
ANALYSIS_PLAN = "results/plan/analysis_plan.json"
PLAN_TABLES = (SAMPLE_SIZE, ANALYSIS_PLAN)
CRITERIA = "results/validation/criteria.tsv"
# The discovery cut-offs' out-of-bag bootstrap (rule cutoff_bootstrap).
CUTOFF_BOOTSTRAP = "results/diagnostic/cutoff_bootstrap.tsv"
# The checklist and participant flow (rule reporting, or validation_reporting in a
# validation-only run).
REPORTING_TABLES = ("results/reporting/checklist.tsv", "results/reporting/flow.tsv")


def de_fits(counts: bool) -> dict[str, str]:
    """Fit name -> its table: DESeq2's two designs for counts, the Wilcoxon test for
    ``kind: expression`` (no DESeq2)."""
    if counts:
        return {design: table for table, design in DESEQ2.items()}
    return {"wilcoxon": "results/de/wilcoxon.tsv"}


def de_figures(counts: bool) -> dict[str, str]:
    """DE figure name -> its caption's name."""
    fits = de_fits(counts)
    figures = {f"de_volcano_{fit}": "de_volcano" for fit in fits}
    figures |= {f"de_ma_{fit}": "de_ma" for fit in fits if counts}
    return figures | {"de_heatmap": "de_heatmap", "de_boxplots": "de_boxplots"}


# The time-dependent accuracy's tables (rule time_roc; the competing-risks ones are empty when
# no endpoint names a competing event; cox_baseline: the univariable Cox models for the lock).
TIME_ROC_TABLES = ("time_roc", "concordance", "cumulative_incidence", "gray", "cox_baseline")


def prognostic_tables(endpoints: Sequence[str]) -> list[str]:
    """The prognostic stage's tables (none without endpoints)."""
    names = ("cutoffs", "km", "cox", "table5", *TIME_ROC_TABLES)
    return [f"results/prognostic/{name}.tsv" for name in names] if endpoints else []


def time_roc_figures(endpoints: Sequence[str]) -> list[str]:
    """An AUC(t) figure per endpoint."""
    return [f"prog_time_roc_{name}" for name in endpoints]


def prognostic_figures(endpoints: Sequence[str]) -> list[str]:
    """A KM and a landmark-ROC figure per endpoint."""
    return [f"prog_{kind}_{name}" for name in endpoints for kind in ("km", "landmark_roc")]


def validation_figures(endpoints: Sequence[str]) -> list[str]:
    """The validation figures, with a KM figure per locked endpoint."""
    return [*VALIDATION_FIGURES, *(f"val_km_{name}" for name in endpoints)]


def figure_paths(names: Sequence[str], formats: Sequence[str] = FORMATS) -> list[str]:
    """``results/figures/<name>.<format>`` for each figure and format."""
    return [f"results/figures/{name}.{ext}" for name in names for ext in formats]


def discovery_tables(counts: bool, endpoints: Sequence[str]) -> list[str]:
    """Every table of a discovery run (the provenance record is written after them)."""
    return [
        "results/counts/harmonisation.tsv",
        "results/qc/samples.tsv",
        "results/counts/raw.tsv",
        "results/counts/normalised.tsv",
        "results/counts/size_factors.tsv",
        "results/cohort/characteristics.tsv",
        *(DESEQ2 if counts else ()),
        "results/de/wilcoxon.tsv",
        "results/de/candidates.tsv",
        "results/de/table4.tsv",
        "results/diagnostic/logistic.tsv",
        "results/diagnostic/markers.tsv",
        "results/diagnostic/roc.tsv",
        "results/diagnostic/roc_comparisons.tsv",
        CUTOFF_BOOTSTRAP,
        "results/diagnostic/panel.tsv",
        *prognostic_tables(endpoints),
        LOCK,
        *PLAN_TABLES,
        *REPORTING_TABLES,
    ]


# Tables the rules make for other rules (and for users who want them) beside the result tables.
DISCOVERY_INTERMEDIATE = (
    "results/counts/harmonised.tsv",
    "results/counts/unmatched_samples.tsv",
    "results/counts/filtered_out.tsv",
    "results/counts/transformed.tsv",
    "results/qc/pca.tsv",
    "results/cohort/covariates.tsv",
    "results/cohort/covariate_scaling.tsv",
    "results/diagnostic/panel_predictions.tsv",
    "results/diagnostic/panel_model.tsv",
    "results/diagnostic/cutoff_bootstrap_resamples.tsv",
)
VALIDATION_INTERMEDIATE = (
    "results/validation/counts/harmonised.tsv",
    "results/validation/counts/unmatched_samples.tsv",
    "results/validation/counts/transformed.tsv",
    "results/validation/qc/pca.tsv",
)


def discovery_figures(counts: bool, endpoints: Sequence[str]) -> list[str]:
    """Every figure name of a discovery run."""
    return [
        "qc_samples",
        "qc_pca",
        *de_figures(counts),
        *DIAGNOSTIC_FIGURES,
        *prognostic_figures(endpoints),
        *time_roc_figures(endpoints),
        "report_flow",
    ]


def result_tables(discovery: bool, counts: bool, endpoints: Sequence[str], validation: bool) -> list[str]:
    """Every table of the run: discovery's (when it runs) and validation's (when configured;
    a validation-only run also writes its reporting checklist)."""
    return [
        *(discovery_tables(counts, endpoints) if discovery else ()),
        *(VALIDATION_TABLES if validation else ()),
        *(REPORTING_TABLES if validation and not discovery else ()),
    ]


def final_output(
    discovery: bool,
    counts: bool,
    endpoints: Sequence[str],
    validation_endpoints: Sequence[str] | None,
    formats: Sequence[str] = FORMATS,
) -> list[str]:
    """What ``rule all`` asks for: every file the run makes (tables, intermediate tables,
    figures, the overview with discovery, the report's pages and the provenance record), so
    that a file in ``results/`` that is not here was made by another config.
    ``validation_endpoints`` is None without validation, else the locked endpoints (a KM
    figure each)."""
    validation = validation_endpoints is not None
    figures = [
        *(discovery_figures(counts, endpoints) if discovery else ()),
        *(validation_figures(validation_endpoints) if validation else ()),
        *(["report_flow"] if validation and not discovery else ()),
    ]
    return [
        *result_tables(discovery, counts, endpoints, validation),
        *(DISCOVERY_INTERMEDIATE if discovery else ()),
        *(VALIDATION_INTERMEDIATE if validation else ()),
        *figure_paths(figures, formats),
        *([OVERVIEW] if discovery else []),
        *(table.view for table in report_tables(discovery, counts, endpoints, validation)),
        FRONT_PAGE,
        PROVENANCE,
    ]


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: its TSV, the HTML view the report shows (``view``), the
    caption file (in ``workflow/report/``), the category and label, and the column whose
    values head groups of rows in the view (None: no groups)."""

    name: str
    path: str
    caption: str
    category: str
    label: str
    group_by: str | None = None

    @property
    def view(self) -> str:
        return f"results/report/{self.name}.html"


DIAGNOSIS, PROGNOSIS, VALIDATING = "4. Diagnostic markers", "5. Prognosis", "7. Validation"
REPORTING, PLANNING = "8. Reporting", "9. Validation plan"
DE = "3. Differential expression"


def report_tables(
    discovery: bool, counts: bool, endpoints: Sequence[str], validation: bool
) -> list[ReportTable]:
    """The run's tables that the report shows, each as a readable HTML view."""
    tables = []
    if discovery:
        tables += [
            ReportTable("overview", OVERVIEW, "overview", "0. Overview", "overview", "section"),
            ReportTable(
                "characteristics",
                "results/cohort/characteristics.tsv",
                "characteristics",
                "2. Cohort",
                "Table 3",
            ),
        ]
        if counts:
            tables += [
                ReportTable("deseq2", "results/de/deseq2.tsv", "deseq2", DE, "DESeq2, adjusted design"),
                ReportTable(
                    "deseq2_unadjusted",
                    "results/de/deseq2_unadjusted.tsv",
                    "deseq2",
                    DE,
                    "DESeq2, ~ contrast",
                ),
            ]
        tables += [
            ReportTable("wilcoxon", "results/de/wilcoxon.tsv", "wilcoxon", DE, "Wilcoxon-Mann-Whitney"),
            ReportTable("candidates", "results/de/candidates.tsv", "candidates", DE, "candidates"),
            ReportTable(
                "table4", "results/de/table4.tsv", "table4", DE, "Table 4 (candidates, crude values)"
            ),
            ReportTable(
                "logistic",
                "results/diagnostic/logistic.tsv",
                "logistic",
                DIAGNOSIS,
                "adjusted logistic models",
            ),
            ReportTable("markers", "results/diagnostic/markers.tsv", "markers", DIAGNOSIS, "markers"),
            ReportTable("roc", "results/diagnostic/roc.tsv", "roc", DIAGNOSIS, "ROC per marker"),
            ReportTable(
                "roc_comparisons",
                "results/diagnostic/roc_comparisons.tsv",
                "roc_comparisons",
                DIAGNOSIS,
                "paired DeLong tests",
            ),
            ReportTable("panel", "results/diagnostic/panel.tsv", "panel", DIAGNOSIS, "multi-marker panel"),
            ReportTable(
                "cutoff_bootstrap",
                CUTOFF_BOOTSTRAP,
                "cutoff_bootstrap",
                DIAGNOSIS,
                "out-of-bag bootstrap of the cut-offs",
            ),
            ReportTable(
                "sample_size", SAMPLE_SIZE, "sample_size", PLANNING, "validation sample size", "target"
            ),
        ]
        if endpoints:
            tables += [
                ReportTable("cutoffs", "results/prognostic/cutoffs.tsv", "cutoffs", PROGNOSIS, "cut-offs"),
                ReportTable("km", "results/prognostic/km.tsv", "km", PROGNOSIS, "Kaplan-Meier strata"),
                ReportTable("cox", "results/prognostic/cox.tsv", "cox", PROGNOSIS, "Cox, continuous marker"),
                ReportTable("table5", "results/prognostic/table5.tsv", "table5", PROGNOSIS, "Table 5"),
                ReportTable(
                    "time_roc",
                    "results/prognostic/time_roc.tsv",
                    "time_roc",
                    PROGNOSIS,
                    "time-dependent AUC(t)",
                    "endpoint",
                ),
                ReportTable(
                    "concordance",
                    "results/prognostic/concordance.tsv",
                    "concordance",
                    PROGNOSIS,
                    "Uno's C and Brier score",
                ),
                ReportTable(
                    "cumulative_incidence",
                    "results/prognostic/cumulative_incidence.tsv",
                    "cumulative_incidence",
                    PROGNOSIS,
                    "cumulative incidence (competing risks)",
                    "endpoint",
                ),
                ReportTable("gray", "results/prognostic/gray.tsv", "gray", PROGNOSIS, "Gray's test"),
                ReportTable(
                    "cox_baseline",
                    "results/prognostic/cox_baseline.tsv",
                    "cox_baseline",
                    PROGNOSIS,
                    "Cox models for the lock (baseline hazard)",
                    "endpoint",
                ),
            ]
        tables += [
            ReportTable(
                "checklist",
                "results/reporting/checklist.tsv",
                "reporting_checklist",
                "8. Reporting",
                "STARD 2015 / REMARK checklist",
                "guideline",
            ),
            ReportTable(
                "flow",
                "results/reporting/flow.tsv",
                "reporting_flow",
                "8. Reporting",
                "participant flow",
                "cohort",
            ),
        ]
    if validation:
        tables += [
            ReportTable(
                "validation_markers",
                "results/validation/markers.tsv",
                "validation_markers",
                VALIDATING,
                "markers at the locked cut-offs",
            ),
            ReportTable(
                "validation_panel",
                "results/validation/panel.tsv",
                "validation_panel",
                VALIDATING,
                "locked panel",
            ),
            ReportTable(
                "validation_km",
                "results/validation/km.tsv",
                "validation_km",
                VALIDATING,
                "KM at the locked cut-offs",
            ),
            ReportTable(
                "validation_table5",
                "results/validation/table5.tsv",
                "validation_table5",
                VALIDATING,
                "Table 5 (validation)",
            ),
            ReportTable(
                "validation_time_roc",
                "results/validation/time_roc.tsv",
                "validation_time_roc",
                VALIDATING,
                "time-dependent AUC(t) of the locked scores",
                "endpoint",
            ),
            ReportTable(
                "validation_concordance",
                "results/validation/concordance.tsv",
                "validation_concordance",
                VALIDATING,
                "Uno's C of the locked scores",
            ),
            ReportTable(
                "validation_decision_curve",
                "results/validation/decision_curve.tsv",
                "validation_decision_curve",
                VALIDATING,
                "decision curves",
            ),
            ReportTable(
                "validation_marker_accuracy",
                "results/validation/marker_accuracy.tsv",
                "validation_marker_accuracy",
                VALIDATING,
                "likelihood ratios and partial AUC",
            ),
            ReportTable(
                "validation_criteria", CRITERIA, "validation_criteria", VALIDATING, "success criteria"
            ),
            ReportTable(
                "validation_deviations",
                "results/validation/deviations.tsv",
                "validation_deviations",
                VALIDATING,
                "deviations from the plan",
            ),
        ]
    if validation and not discovery:
        checklist, flow = REPORTING_TABLES
        tables += [
            ReportTable(
                "checklist",
                checklist,
                "reporting_checklist_validation",
                REPORTING,
                "STARD 2015 / TRIPOD+AI checklist",
                "guideline",
            ),
            ReportTable("flow", flow, "reporting_flow", REPORTING, "participant flow", "cohort"),
        ]
    return tables


def stale(present: Sequence[str], made: Sequence[str]) -> list[str]:
    """The files of ``results/`` (``present``) that this run does not make (``made``):
    left by an earlier config; the report never includes them."""
    return sorted(set(present) - set(made))
