# Prognostic stratification (SPEC stage 7); skipped when survival.endpoints is empty.
ENDPOINTS = list(SETTINGS.survival.endpoints)
PROGNOSTIC_FIGURES = [
    f"prog_{kind}_{name}" for name in ENDPOINTS for kind in ("km", "landmark_roc")
]
PROGNOSTIC_TABLES = (
    [f"results/prognostic/{t}.tsv" for t in ("cutoffs", "km", "cox", "table5")]
    if ENDPOINTS
    else []
)


rule prognostic:
    input:
        normalised="results/counts/normalised.tsv",
        transformed="results/counts/transformed.tsv",
        markers="results/diagnostic/markers.tsv",
        covariates="results/cohort/covariates.tsv",
        samples=SETTINGS.samples,
        code=code("prognostic.py"),
    output:
        cutoffs=report(
            "results/prognostic/cutoffs.tsv",
            caption="../report/cutoffs.rst",
            category="5. Prognosis",
            labels={"table": "cut-offs"},
        ),
        km=report(
            "results/prognostic/km.tsv",
            caption="../report/km.rst",
            category="5. Prognosis",
            labels={"table": "Kaplan-Meier strata"},
        ),
        cox=report(
            "results/prognostic/cox.tsv",
            caption="../report/cox.rst",
            category="5. Prognosis",
            labels={"table": "Cox, continuous marker"},
        ),
        table5=report(
            "results/prognostic/table5.tsv",
            caption="../report/table5.rst",
            category="5. Prognosis",
            labels={"table": "Table 5"},
        ),
    log:
        "logs/prognostic.log",
    conda:
        ENV
    threads: 1
    params:
        survival=as_params(SETTINGS.survival),
        seed=SETTINGS.seed,
    script:
        "../scripts/prognostic.py"


if ENDPOINTS:

    # The figures apart from the analysis: the lock and the report's tables need only the tables.
    rule prognostic_figures:
        input:
            normalised="results/counts/normalised.tsv",
            markers="results/diagnostic/markers.tsv",
            covariates="results/cohort/covariates.tsv",
            samples=SETTINGS.samples,
            cutoffs="results/prognostic/cutoffs.tsv",
            km="results/prognostic/km.tsv",
            code=code("prognostic_figures.py"),
        output:
            **{
                name: report(
                    figure(name),
                    caption=f"../report/{name.split('_')[1]}_figure.rst",
                    category="5. Prognosis",
                    labels={"figure": name.removeprefix("prog_").replace("_", " ")},
                )
                for name in PROGNOSTIC_FIGURES
            },
        log:
            "logs/prognostic_figures.log",
        conda:
            ENV
        params:
            survival=as_params(SETTINGS.survival),
        script:
            "../scripts/prognostic_figures.py"
