# Lock (SPEC stage 8): every discovery run writes what is needed to score a new sample
# without the discovery data, results/model/locked_model.json.
rule lock:
    input:
        **(
            {
                "cutoffs": "results/prognostic/cutoffs.tsv",
                "cox_baseline": "results/prognostic/cox_baseline.tsv",
            }
            if ENDPOINTS
            else {}
        ),
        raw="results/counts/raw.tsv",
        normalised="results/counts/normalised.tsv",
        size_factors="results/counts/size_factors.tsv",
        covariates="results/cohort/covariates.tsv",
        scaling="results/cohort/covariate_scaling.tsv",
        roc="results/diagnostic/roc.tsv",
        panel="results/diagnostic/panel.tsv",
        panel_model="results/diagnostic/panel_model.tsv",
        data=[SETTINGS.samples, *COUNT_FILES],
    output:
        report(LOCK, caption="../report/lock.rst", category="7. Validation"),
    log:
        "logs/lock.log",
    conda:
        ENV
    params:
        code=code("lock.py"),
        bundled=bundled("lock_schema"),
        contrast=as_params(SETTINGS.contrast),
        kind=SETTINGS.counts.kind,
        value=SETTINGS.counts.value,
        transform=resolve_transform(SETTINGS.counts.transform, SETTINGS.counts.kind),
        qc=as_params(SETTINGS.qc),
        normalisation=SETTINGS.normalisation,
        survival=as_params(SETTINGS.survival),
        # The discovery config (its hash is locked): validation, plan and figure settings do
        # not change it (the plan is made from the lock; figures change no number).
        config={
            key: value
            for key, value in config.items()
            if key not in ("validation", "plan", "figures")
        },
    script:
        "../scripts/lock.py"
