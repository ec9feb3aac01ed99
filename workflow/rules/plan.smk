# Plan the validation (SPEC stage 9), from the lock, before any validation data are read:
# the sample size per target and criterion, and the sealed analysis plan (success criteria,
# analyses, handling, sample size; its content hash). Every discovery run makes them;
# `snakemake plan` makes only them (and the discovery they come from). A validation is
# evaluated against the plan that validation.plan names (rule validation_criteria).


if DISCOVERY:

    rule sample_size:
        input:
            **({"km": "results/prognostic/km.tsv"} if ENDPOINTS else {}),
            **(
                {"transformed": "results/counts/transformed.tsv"}
                if SETTINGS.plan.linear_predictor == "apparent"
                else {}
            ),
            **(
                {"predictions": "results/diagnostic/panel_predictions.tsv"}
                if SETTINGS.plan.linear_predictor == "out_of_fold"
                else {}
            ),
            lock=LOCK,
            panel="results/diagnostic/panel.tsv",
            covariates="results/cohort/covariates.tsv",
            bootstrap=targets.CUTOFF_BOOTSTRAP,
        output:
            targets.SAMPLE_SIZE,
        log:
            "logs/sample_size.log",
        conda:
            ENV
        params:
            code=code("sample_size.py"),
            plan=SETTINGS.plan.sample_size_params(),
        script:
            "../scripts/sample_size.py"

    rule analysis_plan:
        input:
            lock=LOCK,
            sample_size=targets.SAMPLE_SIZE,
        output:
            report(
                targets.ANALYSIS_PLAN,
                caption="../report/analysis_plan.rst",
                category=targets.PLANNING,
            ),
        log:
            "logs/analysis_plan.log",
        conda:
            ENV
        params:
            code=code("analysis_plan.py"),
            plan=as_params(SETTINGS.plan),
        script:
            "../scripts/analysis_plan.py"

    rule plan:
        input:
            targets.PLAN_TABLES,

else:

    rule plan:
        input:
            no_plan,
