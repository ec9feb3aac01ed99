# Prognostic stratification (SPEC stage 7); skipped when survival.endpoints is empty.
PROGNOSTIC_FIGURES = targets.prognostic_figures(ENDPOINTS)


rule prognostic:
    input:
        normalised="results/counts/normalised.tsv",
        transformed="results/counts/transformed.tsv",
        markers="results/diagnostic/markers.tsv",
        covariates="results/cohort/covariates.tsv",
        samples=SETTINGS.samples,
    output:
        cutoffs="results/prognostic/cutoffs.tsv",
        km="results/prognostic/km.tsv",
        cox="results/prognostic/cox.tsv",
        table5="results/prognostic/table5.tsv",
    log:
        "logs/prognostic.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("prognostic.py"),
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
            code=code("prognostic_figures.py"),
            simulated=SIMULATED,
            survival=as_params(SETTINGS.survival),
        script:
            "../scripts/prognostic_figures.py"


# Time-dependent accuracy under censoring (SPEC stage 10): AUC(t) at the landmark and over the
# time grid, Uno's C and Brier scores of the Cox models, competing risks where configured.
rule time_roc:
    input:
        normalised="results/counts/normalised.tsv",
        transformed="results/counts/transformed.tsv",
        markers="results/diagnostic/markers.tsv",
        covariates="results/cohort/covariates.tsv",
        samples=SETTINGS.samples,
        cutoffs="results/prognostic/cutoffs.tsv",
        panel_model="results/diagnostic/panel_model.tsv",
    output:
        **{name: f"results/prognostic/{name}.tsv" for name in targets.TIME_ROC_TABLES},
    log:
        "logs/time_roc.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("time_roc.py"),
        population=SETTINGS.survival.population,
        endpoints=as_params(SETTINGS.survival)["endpoints"],
        adjust_for=list(SETTINGS.survival.adjust_for),
        time_grid=SETTINGS.time_grid,
    script:
        "../scripts/time_roc.py"


if ENDPOINTS:

    rule time_roc_figures:
        input:
            time_roc="results/prognostic/time_roc.tsv",
        output:
            **{
                name: report(
                    figure(name),
                    caption="../report/time_roc_figure.rst",
                    category="5. Prognosis",
                    labels={"figure": name.removeprefix("prog_").replace("_", " ")},
                )
                for name in targets.time_roc_figures(ENDPOINTS)
            },
        log:
            "logs/time_roc_figures.log",
        conda:
            ENV
        params:
            code=code("time_roc_figures.py"),
            simulated=SIMULATED,
        script:
            "../scripts/time_roc_figures.py"
