rule cohort:
    input:
        qc="results/qc/samples.tsv",
        samples=config["samples"],
    output:
        table=report(
            "results/cohort/characteristics.tsv",
            caption="../report/characteristics.rst",
            category="2. Cohort",
        ),
        covariates="results/cohort/covariates.tsv",
    log:
        "logs/cohort.log",
    conda:
        ENV
    script:
        "../scripts/cohort.py"
