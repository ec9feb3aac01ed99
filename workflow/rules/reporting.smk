# Reporting (SPEC stage 8): the STARD 2015 and REMARK checklist with the items the run can
# fill, the participant flow (sheet -> excluded and why -> analysed per group) and its
# STARD-style diagram; a validation cohort gets its own column.
# Only with discovery: a validation-only config (DISCOVERY false, common.smk) has no
# discovery tables to report on.


if DISCOVERY:

    rule reporting:
        input:
            **(
                {
                    "cutoffs": "results/prognostic/cutoffs.tsv",
                    "km": "results/prognostic/km.tsv",
                    "cox": "results/prognostic/cox.tsv",
                }
                if ENDPOINTS
                else {}
            ),
            **(
                {
                    "model": MODEL,
                    "validation_samples": VALIDATION.samples,
                    "validation_unmatched": "results/validation/counts/unmatched_samples.tsv",
                    "validation_qc": "results/validation/qc/samples.tsv",
                    "validation_markers": "results/validation/markers.tsv",
                    "validation_panel": "results/validation/panel.tsv",
                    "validation_km": "results/validation/km.tsv",
                }
                if VALIDATION
                else {}
            ),
            samples=SETTINGS.samples,
            unmatched="results/counts/unmatched_samples.tsv",
            qc="results/qc/samples.tsv",
            characteristics="results/cohort/characteristics.tsv",
            wilcoxon="results/de/wilcoxon.tsv",
            candidates="results/de/candidates.tsv",
            table4="results/de/table4.tsv",
            logistic="results/diagnostic/logistic.tsv",
            markers="results/diagnostic/markers.tsv",
            roc="results/diagnostic/roc.tsv",
            panel="results/diagnostic/panel.tsv",
            lock=LOCK,
            code=code("reporting.py"),
        output:
            checklist=report(
                "results/reporting/checklist.tsv",
                caption="../report/reporting_checklist.rst",
                category="8. Reporting",
                labels={"table": "STARD 2015 / REMARK checklist"},
            ),
            flow=report(
                "results/reporting/flow.tsv",
                caption="../report/reporting_flow.rst",
                category="8. Reporting",
                labels={"table": "participant flow"},
            ),
            fig_flow=report(
                figure("report_flow"),
                caption="../report/reporting_flow_figure.rst",
                category="8. Reporting",
                labels={"figure": "participant flow"},
            ),
        log:
            "logs/reporting.log",
        conda:
            ENV
        params:
            contrast=as_params(SETTINGS.contrast),
            counts=as_params(SETTINGS.counts),
            covariates=list(SETTINGS.covariates),
            qc=as_params(SETTINGS.qc),
            normalisation=SETTINGS.normalisation,
            de=as_params(SETTINGS.de),
            roc=as_params(SETTINGS.roc),
            panel=as_params(SETTINGS.panel),
            survival=as_params(SETTINGS.survival),
            prevalence=VALIDATION.prevalence if VALIDATION else None,
        script:
            "../scripts/reporting.py"
