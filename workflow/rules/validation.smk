# Validate (SPEC stage 8). With the config key `validation`, an independent cohort is
# read, harmonised and QC'd as the discovery was, normalised against the LOCKED reference
# and scored by the locked model, nothing refitted. Target `validation` runs only that
# part; when validation.model is an existing file (not this run's own lock) no discovery
# job is needed. Three jobs: the cohort's data, the results, the figures.
if VALIDATION:
    VALIDATION_FIGURES = targets.validation_figures(PLAN.validation_endpoints)

    rule validation_cohort:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            counts=VALIDATION_COUNT_FILES,
        output:
            counts="results/validation/counts/harmonised.tsv",
            report="results/validation/counts/harmonisation.tsv",
            unmatched="results/validation/counts/unmatched_samples.tsv",
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            transformed="results/validation/counts/transformed.tsv",
            size_factors="results/validation/counts/size_factors.tsv",
            overlap="results/validation/overlap.tsv",
            covariates="results/validation/covariates.tsv",
        log:
            "logs/validation_cohort.log",
        conda:
            ENV
        params:
            code=code("validation_cohort.py"),
            bundled=bundled("mirbase_v21", "mirbase_v22", "lock_schema"),
            counts=as_params(VALIDATION.counts),
            exclude=VALIDATION.exclude,
            allow_overlap=VALIDATION.allow_overlap,
        script:
            "../scripts/validation_cohort.py"

    rule validation_results:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            transformed="results/validation/counts/transformed.tsv",
            covariates="results/validation/covariates.tsv",
        output:
            markers="results/validation/markers.tsv",
            calls="results/validation/marker_calls.tsv",
            panel="results/validation/panel.tsv",
            predictions="results/validation/panel_predictions.tsv",
            km="results/validation/km.tsv",
            table5="results/validation/table5.tsv",
            decision="results/validation/decision_curve.tsv",
            calibration="results/validation/calibration_curve.tsv",
        log:
            "logs/validation_results.log",
        conda:
            ENV
        params:
            code=code("validation_results.py"),
            prevalence=VALIDATION.prevalence,
        script:
            "../scripts/validation_results.py"

    # Time-dependent accuracy of the locked scores (SPEC stage 10), nothing refitted. The grid
    # setting comes from the config itself: a validation-only config has no resolved SETTINGS
    # (the schema fills survival.time_grid's default).
    rule validation_time_roc:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            transformed="results/validation/counts/transformed.tsv",
        output:
            time_roc="results/validation/time_roc.tsv",
            concordance="results/validation/concordance.tsv",
        log:
            "logs/validation_time_roc.log",
        conda:
            ENV
        params:
            code=code("validation_time_roc.py"),
            time_grid=config["survival"]["time_grid"],
        script:
            "../scripts/validation_time_roc.py"

    # What a small cohort needs at a cut-off: each locked marker's likelihood ratios and its
    # partial AUC over validation.partial_auc_specificity (bootstrap CI seeded from `seed`).
    rule validation_accuracy:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            markers="results/validation/markers.tsv",
        output:
            "results/validation/marker_accuracy.tsv",
        log:
            "logs/validation_accuracy.log",
        conda:
            ENV
        params:
            code=code("validation_accuracy.py"),
            specificity=list(VALIDATION.partial_auc_specificity),
            n_bootstrap=VALIDATION.n_bootstrap,
            seed=config["seed"],
        script:
            "../scripts/validation_accuracy.py"

    # The validation against its sealed analysis plan (SPEC stage 9): each success
    # criterion's verdict and the deviations from the plan (validation.plan: none gives no
    # criteria and says so).
    rule validation_criteria:
        input:
            **({"plan": PLAN.analysis_plan} if PLAN.analysis_plan else {}),
            model=MODEL,
            qc="results/validation/qc/samples.tsv",
            markers="results/validation/markers.tsv",
            panel="results/validation/panel.tsv",
            km="results/validation/km.tsv",
            accuracy="results/validation/marker_accuracy.tsv",
            overlap="results/validation/overlap.tsv",
        output:
            criteria=targets.CRITERIA,
            deviations="results/validation/deviations.tsv",
        log:
            "logs/validation_criteria.log",
        conda:
            ENV
        params:
            code=code("validation_criteria.py"),
            exclude=VALIDATION.exclude,
            prevalence=VALIDATION.prevalence,
        script:
            "../scripts/validation_criteria.py"

    rule validation_figures:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            counts="results/validation/counts/harmonised.tsv",
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            markers="results/validation/markers.tsv",
            panel="results/validation/panel.tsv",
            predictions="results/validation/panel_predictions.tsv",
            km="results/validation/km.tsv",
            decision="results/validation/decision_curve.tsv",
            calibration="results/validation/calibration_curve.tsv",
        output:
            **{
                name: report(
                    figure(name),
                    caption=f"../report/{validation_caption(name)}.rst",
                    category="7. Validation",
                    labels={
                        "figure": VALIDATION_LABELS.get(
                            name, name[4:].replace("_", " ")
                        )
                    },
                )
                for name in VALIDATION_FIGURES
            },
            pca="results/validation/qc/pca.tsv",
        log:
            "logs/validation_figures.log",
        conda:
            ENV
        params:
            code=code("validation_figures.py"),
            simulated=SIMULATED,
            prevalence=VALIDATION.prevalence,
            exclude=VALIDATION.exclude,
        script:
            "../scripts/validation_figures.py"

    rule validation:
        input:
            targets.VALIDATION_TABLES,
            targets.figure_paths(VALIDATION_FIGURES, FORMATS),

else:

    rule validation:
        input:
            no_validation,
