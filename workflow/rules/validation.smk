# Lock and validate (SPEC stage 8). Every discovery run locks its model (rule lock). With
# the config key `validation`, an independent cohort is read, harmonised and QC'd as the
# discovery was, normalised against the LOCKED reference and scored by the locked model,
# nothing refitted. Target `validation` runs only that part; when validation.model is an
# existing file (not this run's own lock) no discovery job is needed.
from mirflow.plan import locked_endpoints, validation_files
from mirflow.steps.provenance import workflow_version

LOCK_SCHEMA = str(Path(workflow.basedir) / "workflow/schemas/locked_model.schema.yaml")

VALIDATION_FIGURES = [
    "val_qc_samples",
    "val_qc_pca",
    "val_roc",
    "val_calibration",
    "val_decision_curve",
]
VALIDATION_TABLES = [
    "results/validation/counts/harmonisation.tsv",
    "results/validation/qc/samples.tsv",
    "results/validation/counts/normalised.tsv",
    "results/validation/counts/size_factors.tsv",
    "results/validation/markers.tsv",
    "results/validation/marker_calls.tsv",
    "results/validation/panel.tsv",
    "results/validation/panel_predictions.tsv",
    "results/validation/decision_curve.tsv",
    "results/validation/calibration_curve.tsv",
    "results/validation/km.tsv",
    "results/validation/table5.tsv",
]
if VALIDATION:
    try:
        MODEL, VALIDATION_COUNT_FILES = validation_files(VALIDATION, LOCK)
    except InputError as error:
        raise WorkflowError(str(error)) from None
    # One KM figure per locked endpoint: this run's (its own lock) or the model file's.
    VALIDATION_KM = [
        f"val_km_{name}"
        for name in (ENDPOINTS if MODEL == LOCK else locked_endpoints(MODEL))
    ]
    VALIDATION_FIGURES += VALIDATION_KM
else:
    VALIDATION_TABLES, VALIDATION_FIGURES = [], []


if DISCOVERY:

    rule lock:
        input:
            **({"cutoffs": "results/prognostic/cutoffs.tsv"} if ENDPOINTS else {}),
            raw="results/counts/raw.tsv",
            normalised="results/counts/normalised.tsv",
            size_factors="results/counts/size_factors.tsv",
            covariates="results/cohort/covariates.tsv",
            scaling="results/cohort/covariate_scaling.tsv",
            roc="results/diagnostic/roc.tsv",
            panel="results/diagnostic/panel.tsv",
            panel_model="results/diagnostic/panel_model.tsv",
            data=[SETTINGS.samples, *COUNT_FILES],
            schema=LOCK_SCHEMA,
            code=code("lock.py"),
        output:
            report(LOCK, caption="../report/lock.rst", category="7. Validation"),
        log:
            "logs/lock.log",
        conda:
            ENV
        params:
            contrast=as_params(SETTINGS.contrast),
            kind=SETTINGS.counts.kind,
            value=SETTINGS.counts.value,
            transform=resolve_transform(SETTINGS.counts.transform, SETTINGS.counts.kind),
            qc=as_params(SETTINGS.qc),
            normalisation=SETTINGS.normalisation,
            survival=as_params(SETTINGS.survival),
            # The discovery config (its hash is locked): validation settings do not change it.
            config={key: value for key, value in config.items() if key != "validation"},
            version=workflow_version(workflow.basedir),
        script:
            "../scripts/lock.py"


if VALIDATION:

    rule validation_counts:
        input:
            model=MODEL,
            schema=LOCK_SCHEMA,
            samples=VALIDATION.samples,
            counts=VALIDATION_COUNT_FILES,
            v21=MIRBASE["v21"],
            v22=MIRBASE["v22"],
            code=code("validation_counts.py"),
        output:
            counts="results/validation/counts/harmonised.tsv",
            report="results/validation/counts/harmonisation.tsv",
            unmatched="results/validation/counts/unmatched_samples.tsv",
        log:
            "logs/validation_counts.log",
        conda:
            ENV
        params:
            counts=as_params(VALIDATION.counts),
            exclude=VALIDATION.exclude,
        script:
            "../scripts/validation_counts.py"

    rule validation_qc:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            counts="results/validation/counts/harmonised.tsv",
            code=code("validation_qc.py"),
        output:
            samples="results/validation/qc/samples.tsv",
            pca="results/validation/qc/pca.tsv",
            fig_qc=report(
                figure("val_qc_samples"),
                caption="../report/validation_qc_samples.rst",
                category="7. Validation",
                labels={"figure": "QC"},
            ),
            fig_pca=report(
                figure("val_qc_pca"),
                caption="../report/validation_qc_pca.rst",
                category="7. Validation",
                labels={"figure": "PCA"},
            ),
        log:
            "logs/validation_qc.log",
        conda:
            ENV
        params:
            exclude=VALIDATION.exclude,
        script:
            "../scripts/validation_qc.py"

    rule validation_normalise:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            counts="results/validation/counts/harmonised.tsv",
            qc="results/validation/qc/samples.tsv",
            code=code("validation_normalise.py"),
        output:
            normalised="results/validation/counts/normalised.tsv",
            transformed="results/validation/counts/transformed.tsv",
            size_factors="results/validation/counts/size_factors.tsv",
        log:
            "logs/validation_normalise.log",
        conda:
            ENV
        script:
            "../scripts/validation_normalise.py"

    rule validation_markers:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            code=code("validation_markers.py"),
        output:
            markers=report(
                "results/validation/markers.tsv",
                caption="../report/validation_markers.rst",
                category="7. Validation",
                labels={"table": "markers at the locked cut-offs"},
            ),
            calls="results/validation/marker_calls.tsv",
        log:
            "logs/validation_markers.log",
        conda:
            ENV
        params:
            prevalence=VALIDATION.prevalence,
        script:
            "../scripts/validation_markers.py"

    rule validation_panel:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            transformed="results/validation/counts/transformed.tsv",
            code=code("validation_panel.py"),
        output:
            panel=report(
                "results/validation/panel.tsv",
                caption="../report/validation_panel.rst",
                category="7. Validation",
                labels={"table": "locked panel"},
            ),
            predictions="results/validation/panel_predictions.tsv",
        log:
            "logs/validation_panel.log",
        conda:
            ENV
        script:
            "../scripts/validation_panel.py"

    rule validation_prognostic:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            code=code("validation_prognostic.py"),
        output:
            **{
                name: report(
                    figure(name),
                    caption="../report/validation_km_figure.rst",
                    category="7. Validation",
                    labels={"figure": name.removeprefix("val_").replace("_", " ")},
                )
                for name in VALIDATION_KM
            },
            km=report(
                "results/validation/km.tsv",
                caption="../report/validation_km.rst",
                category="7. Validation",
                labels={"table": "KM at the locked cut-offs"},
            ),
            table5=report(
                "results/validation/table5.tsv",
                caption="../report/validation_table5.rst",
                category="7. Validation",
                labels={"table": "Table 5 (validation)"},
            ),
        log:
            "logs/validation_prognostic.log",
        conda:
            ENV
        script:
            "../scripts/validation_prognostic.py"

    rule validation_curves:
        input:
            model=MODEL,
            samples=VALIDATION.samples,
            qc="results/validation/qc/samples.tsv",
            normalised="results/validation/counts/normalised.tsv",
            markers="results/validation/markers.tsv",
            calls="results/validation/marker_calls.tsv",
            panel="results/validation/panel.tsv",
            predictions="results/validation/panel_predictions.tsv",
            code=code("validation_curves.py"),
        output:
            **{
                name: report(
                    figure(name),
                    caption=f"../report/validation_{name.removeprefix('val_')}_figure.rst",
                    category="7. Validation",
                    labels={"figure": name.removeprefix("val_").replace("_", " ")},
                )
                for name in ("val_roc", "val_calibration", "val_decision_curve")
            },
            decision=report(
                "results/validation/decision_curve.tsv",
                caption="../report/validation_decision_curve.rst",
                category="7. Validation",
                labels={"table": "decision curves"},
            ),
            calibration="results/validation/calibration_curve.tsv",
        log:
            "logs/validation_curves.log",
        conda:
            ENV
        params:
            prevalence=VALIDATION.prevalence,
        script:
            "../scripts/validation_curves.py"

    rule validation:
        input:
            VALIDATION_TABLES,
            expand(
                "results/figures/{name}.{ext}",
                name=VALIDATION_FIGURES,
                ext=["png", "pdf"],
            ),

else:

    rule validation:
        input:
            no_validation,
