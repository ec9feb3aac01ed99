# The run's overview (front page of the report) and its provenance (config, input
# checksums, versions, times).
from mirflow.scheduler import cancel_scheduler_timers
from mirflow.steps import worker
from mirflow.steps.provenance import workflow_version

RUN_STARTED = "logs/run_started.txt"
# Every table of the run (the provenance record is written after all of them).
DISCOVERY_TABLES = (
    [
        "results/counts/harmonisation.tsv",
        "results/qc/samples.tsv",
        "results/counts/raw.tsv",
        "results/counts/normalised.tsv",
        "results/counts/size_factors.tsv",
        "results/cohort/characteristics.tsv",
        *DESEQ2,
        "results/de/wilcoxon.tsv",
        "results/de/candidates.tsv",
        "results/de/table4.tsv",
        "results/diagnostic/logistic.tsv",
        "results/diagnostic/markers.tsv",
        "results/diagnostic/roc.tsv",
        "results/diagnostic/roc_comparisons.tsv",
        "results/diagnostic/panel.tsv",
        *PROGNOSTIC_TABLES,
        LOCK,
        "results/reporting/checklist.tsv",
        "results/reporting/flow.tsv",
    ]
    if DISCOVERY
    else []
)
RESULT_TABLES = DISCOVERY_TABLES + VALIDATION_TABLES
FIGURES = expand(
    "results/figures/{name}.{ext}",
    name=(
        [
            "qc_samples",
            "qc_pca",
            *DE_FIGURES,
            *DIAGNOSTIC_FIGURES,
            *PROGNOSTIC_FIGURES,
            "report_flow",
        ]
        if DISCOVERY
        else []
    )
    + VALIDATION_FIGURES,
    ext=["png", "pdf"],
)


onstart:
    from datetime import datetime, timezone

    Path("logs").mkdir(exist_ok=True)
    Path(RUN_STARTED).write_text(
        datetime.now(timezone.utc).isoformat(timespec="seconds") + "\n"
    )
    # Jobs run on this machine with this Python: one warm worker imports the libraries
    # once for all of them (mirflow.steps.worker; MIRFLOW_WORKER=off runs each job on its
    # own). Not for cluster jobs, nor for jobs in conda, container or module environments.
    if workflow.local_exec and not workflow.deployment_settings.deployment_method:
        worker.start(LIBRARY)


# Scheduling is over when these run: the scheduler's pending wake-up would only hold the
# exit for a second (mirflow.scheduler).
onsuccess:
    worker.stop()
    cancel_scheduler_timers()


onerror:
    worker.stop()
    cancel_scheduler_timers()


if DISCOVERY:

    rule overview:
        input:
            **({"km": "results/prognostic/km.tsv"} if ENDPOINTS else {}),
            **(
                {
                    f"validation_{name}": f"results/validation/{name}.tsv"
                    for name in ("markers", "panel", "km")
                }
                | {"validation_qc": "results/validation/qc/samples.tsv"}
                if VALIDATION
                else {}
            ),
            qc="results/qc/samples.tsv",
            candidates="results/de/candidates.tsv",
            roc="results/diagnostic/roc.tsv",
            panel="results/diagnostic/panel.tsv",
            code=code("overview.py"),
        output:
            report(
                "results/overview.tsv",
                caption="../report/overview.rst",
                category="0. Overview",
            ),
        log:
            "logs/overview.log",
        conda:
            ENV
        params:
            de=as_params(SETTINGS.de),
        script:
            "../scripts/overview.py"


rule provenance:
    input:
        data=[
            *([SETTINGS.samples, *COUNT_FILES] if DISCOVERY else []),
            *MIRBASE.values(),
            *(
                [VALIDATION.samples, *VALIDATION_COUNT_FILES]
                + ([] if MODEL == LOCK else [MODEL])
                if VALIDATION
                else []
            ),
        ],
        results=RESULT_TABLES,
        code=sorted(
            {str(path) for path in LIBRARY_ROOT.glob("mirflow/**/*.py")}
            | {str(path) for path in LIBRARY_ROOT.glob("*.py")}
        ),
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
        # The whole resolved config: a changed key re-makes the tables it shapes (their
        # rules' params) and this record, so it never describes a config or code
        # version that the tables were not made with.
        config=config,
        version=workflow_version(workflow.basedir),
        started=RUN_STARTED,
    script:
        "../scripts/provenance.py"
