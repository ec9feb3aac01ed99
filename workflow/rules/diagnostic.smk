# Diagnostic markers (SPEC stages 5 and 6): adjusted logistic models, ROC, panel.
DIAGNOSTIC_FIGURES = targets.DIAGNOSTIC_FIGURES


rule logistic:
    input:
        transformed="results/counts/transformed.tsv",
        candidates="results/de/candidates.tsv",
        covariates="results/cohort/covariates.tsv",
        filtered="results/counts/filtered_out.tsv",
    output:
        logistic="results/diagnostic/logistic.tsv",
        markers="results/diagnostic/markers.tsv",
    log:
        "logs/logistic.log",
    conda:
        ENV
    params:
        code=code("logistic.py"),
        markers=(
            SETTINGS.markers if SETTINGS.markers == "auto" else list(SETTINGS.markers)
        ),
    script:
        "../scripts/logistic.py"


rule roc:
    input:
        normalised="results/counts/normalised.tsv",
        markers="results/diagnostic/markers.tsv",
        covariates="results/cohort/covariates.tsv",
    output:
        roc="results/diagnostic/roc.tsv",
        comparisons="results/diagnostic/roc_comparisons.tsv",
    log:
        "logs/roc.log",
    conda:
        ENV
    params:
        code=code("roc.py"),
        roc=as_params(SETTINGS.roc),
        seed=SETTINGS.seed,
    script:
        "../scripts/roc.py"


rule panel:
    input:
        transformed="results/counts/transformed.tsv",
        markers="results/diagnostic/markers.tsv",
        covariates="results/cohort/covariates.tsv",
    output:
        panel="results/diagnostic/panel.tsv",
        predictions="results/diagnostic/panel_predictions.tsv",
        model="results/diagnostic/panel_model.tsv",
    log:
        "logs/panel.log",
    conda:
        ENV
    params:
        code=code("panel.py"),
        panel=as_params(SETTINGS.panel),
        seed=SETTINGS.seed,
    script:
        "../scripts/panel.py"


rule diagnostic_figures:
    input:
        normalised="results/counts/normalised.tsv",
        roc="results/diagnostic/roc.tsv",
        logistic="results/diagnostic/logistic.tsv",
        markers="results/diagnostic/markers.tsv",
        panel="results/diagnostic/panel.tsv",
        predictions="results/diagnostic/panel_predictions.tsv",
        covariates="results/cohort/covariates.tsv",
    output:
        **{
            name: report(
                figure(name),
                caption=f"../report/{name}.rst",
                category="4. Diagnostic markers",
                labels={"figure": name.removeprefix("diag_").replace("_", " ")},
            )
            for name in DIAGNOSTIC_FIGURES
        },
    log:
        "logs/diagnostic_figures.log",
    conda:
        ENV
    params:
        code=code("diagnostic_figures.py"),
        simulated=SIMULATED,
        contrast=as_params(SETTINGS.contrast),
        covariates=list(SETTINGS.covariates),
    script:
        "../scripts/diagnostic_figures.py"


# The out-of-bag bootstrap of each marker's cut-off (its spread and the optimism of its
# sensitivity and specificity; the validation plan's anticipated accuracy), apart from rule
# roc so that the ROC table does not wait for it.
rule cutoff_bootstrap:
    input:
        normalised="results/counts/normalised.tsv",
        roc="results/diagnostic/roc.tsv",
        covariates="results/cohort/covariates.tsv",
    output:
        bootstrap=targets.CUTOFF_BOOTSTRAP,
        resamples="results/diagnostic/cutoff_bootstrap_resamples.tsv",
    log:
        "logs/cutoff_bootstrap.log",
    conda:
        ENV
    params:
        code=code("cutoff_bootstrap.py"),
        method=SETTINGS.roc.cutoff,
        n_bootstrap=SETTINGS.plan.cutoff_bootstrap,
        seed=SETTINGS.seed,
    script:
        "../scripts/cutoff_bootstrap.py"
