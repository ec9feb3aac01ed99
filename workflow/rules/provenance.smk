# The run's overview (front page of the report) and its provenance (config, input
# checksums, versions, times).
from mirflow.provenance import workflow_version

RUN_STARTED = "logs/run_started.txt"
# Every table of the run (the provenance record is written after all of them).
RESULT_TABLES = [
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
]
FIGURES = expand(
    "results/figures/{name}.{ext}",
    name=[
        "qc_samples",
        "qc_pca",
        *DE_FIGURES,
        *DIAGNOSTIC_FIGURES,
        *PROGNOSTIC_FIGURES,
    ],
    ext=["png", "pdf"],
)


onstart:
    from datetime import datetime, timezone

    Path("logs").mkdir(exist_ok=True)
    Path(RUN_STARTED).write_text(
        datetime.now(timezone.utc).isoformat(timespec="seconds") + "\n"
    )


rule overview:
    input:
        RESULT_TABLES,
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
    script:
        "../scripts/overview.py"


rule provenance:
    input:
        data=[config["samples"], *COUNT_FILES, *MIRBASE.values()],
        results=RESULT_TABLES,
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
        version=workflow_version(workflow.basedir),
    script:
        "../scripts/provenance.py"
