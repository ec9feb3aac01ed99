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
        output:
            checklist="results/reporting/checklist.tsv",
            flow="results/reporting/flow.tsv",
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
            code=code("reporting.py"),
            simulated=SIMULATED,
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


# A validation-only run's checklist: STARD 2015 for the locked markers and TRIPOD+AI for the
# locked panel, from the lock, the sealed plan and the validation tables; the validation
# cohort's participant flow and its diagram.
if VALIDATION and not DISCOVERY:

    rule validation_reporting:
        input:
            **({"plan": PLAN.analysis_plan} if PLAN.analysis_plan else {}),
            model=MODEL,
            samples=VALIDATION.samples,
            validation_unmatched="results/validation/counts/unmatched_samples.tsv",
            validation_qc="results/validation/qc/samples.tsv",
            validation_markers="results/validation/markers.tsv",
            validation_panel="results/validation/panel.tsv",
            validation_km="results/validation/km.tsv",
            validation_accuracy="results/validation/marker_accuracy.tsv",
            validation_criteria=targets.CRITERIA,
            validation_deviations="results/validation/deviations.tsv",
            validation_covariates="results/validation/covariates.tsv",
        output:
            checklist="results/reporting/checklist.tsv",
            flow="results/reporting/flow.tsv",
            fig_flow=report(
                figure("report_flow"),
                caption="../report/reporting_flow_figure.rst",
                category="8. Reporting",
                labels={"figure": "participant flow"},
            ),
        log:
            "logs/validation_reporting.log",
        conda:
            ENV
        params:
            code=code("validation_reporting.py"),
            simulated=SIMULATED,
            prevalence=VALIDATION.prevalence,
            exclude=VALIDATION.exclude,
            partial_auc=list(VALIDATION.partial_auc_specificity),
        script:
            "../scripts/validation_reporting.py"


if DISCOVERY:

    rule overview:
        input:
            **({"km": "results/prognostic/km.tsv"} if ENDPOINTS else {}),
            **(
                {
                    f"validation_{name}": f"results/validation/{name}.tsv"
                    for name in (
                        "markers",
                        "panel",
                        "km",
                        "overlap",
                        "covariates",
                        "criteria",
                        "deviations",
                    )
                }
                | {"validation_qc": "results/validation/qc/samples.tsv"}
                if VALIDATION
                else {}
            ),
            **(
                {"plan": PLAN.analysis_plan}
                if VALIDATION and PLAN.analysis_plan
                else {}
            ),
            qc="results/qc/samples.tsv",
            candidates="results/de/candidates.tsv",
            roc="results/diagnostic/roc.tsv",
            panel="results/diagnostic/panel.tsv",
        output:
            "results/overview.tsv",
        log:
            "logs/overview.log",
        conda:
            ENV
        params:
            code=code("overview.py"),
            simulated=list(PLAN.simulated),
            de=as_params(SETTINGS.de),
        script:
            "../scripts/overview.py"


rule front_page:
    input:
        **(
            {
                "overlap": "results/validation/overlap.tsv",
                "covariates": "results/validation/covariates.tsv",
            }
            if VALIDATION
            else {}
        ),
    output:
        targets.FRONT_PAGE,
    log:
        "logs/front_page.log",
    localrule: True
    conda:
        ENV
    params:
        code=code("front_page.py"),
        discovery=(
            {key: value for key, value in config.items() if key != "validation"}
            if DISCOVERY
            else None
        ),
        validation=config.get("validation"),
        simulated=list(PLAN.simulated),
    script:
        "../scripts/front_page.py"


rule report_tables:
    input:
        [table.path for table in PLAN.report_tables()],
    output:
        **{
            table.name: report(
                table.view,
                caption=f"../report/{table.caption}.rst",
                category=table.category,
                labels={"table": table.label},
            )
            for table in PLAN.report_tables()
        },
    log:
        "logs/report_tables.log",
    conda:
        ENV
    params:
        code=code("report_tables.py"),
        tables=[
            {"name": t.name, "path": t.path, "label": t.label, "group_by": t.group_by}
            for t in PLAN.report_tables()
        ],
    script:
        "../scripts/report_tables.py"


# Files of results/ from an earlier config: said once, never in this run's report.
left = targets.stale(
    [str(path) for path in Path("results").rglob("*") if path.is_file()],
    get_final_output(),
)
if left:
    logger.warning(
        f"results/ holds {len(left)} file(s) that this config does not make (left by an earlier "
        f"config; not in this run's report): {', '.join(left[:10])}"
        + (f" ... ({len(left)} in all)" if len(left) > 10 else "")
    )

RUN_STARTED = "logs/run_started.txt"


onstart:
    from datetime import datetime, timezone

    try:
        Path("logs").mkdir(exist_ok=True)
        Path(RUN_STARTED).write_text(
            datetime.now(timezone.utc).isoformat(timespec="seconds") + "\n"
        )
    except OSError as error:
        stop(
            f"{error.filename or 'logs'}: cannot write ({error.strerror}): this is a problem of "
            "the machine (a full disk, a read-only folder), not of your input or the workflow. "
            "Fix: free space, or run in a folder you can write to"
        )


# The run's provenance: made from every table, so written last; re-made when any table,
# the config, a rule's code fingerprint or any code or bundled file changes, so that it
# never describes a config or code that the tables were not made with.
rule provenance:
    input:
        data=[
            *([SETTINGS.samples, *COUNT_FILES] if DISCOVERY else []),
            *(
                [VALIDATION.samples, *VALIDATION_COUNT_FILES]
                + ([] if MODEL == LOCK else [MODEL])
                if VALIDATION
                else []
            ),
        ],
        results=PLAN.result_tables(),
    output:
        report(
            "results/provenance.json",
            caption="../report/provenance.rst",
            category="6. Provenance",
        ),
    log:
        "logs/provenance.log",
    conda:
        ENV
    params:
        code={
            "fingerprints": dict(sorted(FINGERPRINTS.items())),
            # one SHA-256 over every library module and rule script (the version below names
            # the checkout)
            "library": code_digest(),
            "bundled": bundled(*BUNDLED),
        },
        # The whole resolved config: a changed key re-makes the tables it shapes (their
        # rules' params) and this record.
        config=config,
        version=workflow_version(WORKFLOW_ROOT),
        started=RUN_STARTED,
    script:
        "../scripts/provenance.py"
