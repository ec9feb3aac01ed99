# The cohort table (the seed's Table 3) and the design covariates of the models: two
# rules, so that a change of cohort.variables does not re-run the models.
rule cohort:
    input:
        qc="results/qc/samples.tsv",
        samples=SETTINGS.samples,
    output:
        table="results/cohort/characteristics.tsv",
    log:
        "logs/cohort.log",
    conda:
        ENV
    params:
        code=code("cohort.py"),
        contrast=as_params(SETTINGS.contrast),
        variables=(
            SETTINGS.cohort_variables
            if SETTINGS.cohort_variables == "auto"
            else list(SETTINGS.cohort_variables)
        ),
        endpoint_columns=[
            column
            for endpoint in SETTINGS.survival.endpoints.values()
            for column in (endpoint.time, endpoint.event, endpoint.competing_event)
            if column
        ],
    script:
        "../scripts/cohort.py"


rule design:
    input:
        qc="results/qc/samples.tsv",
        samples=SETTINGS.samples,
    output:
        covariates="results/cohort/covariates.tsv",
        scaling="results/cohort/covariate_scaling.tsv",
    log:
        "logs/design.log",
    conda:
        ENV
    params:
        code=code("design.py"),
        contrast=as_params(SETTINGS.contrast),
        covariates=list(SETTINGS.covariates),
    script:
        "../scripts/design.py"
