# Differential expression (SPEC stage 4). DESeq2 only for counts; with
# counts.kind: expression the candidates come from the Wilcoxon test.
COUNTS = PLAN.counts
DESEQ2 = list(targets.DESEQ2) if COUNTS else []
# DESeq2 table (wildcard) -> its design: without covariates only the ~ contrast fit runs
DESEQ2_JOBS = {
    Path(table).stem: design
    for table, design in targets.DESEQ2.items()
    if COUNTS and (SETTINGS.covariates or design == "unadjusted")
}
DESEQ2_LABELS = {
    "adjusted": "DESeq2, adjusted design",
    "unadjusted": "DESeq2, ~ contrast",
}
# fit name -> its table; figure name -> caption file
DE_FITS = targets.de_fits(COUNTS)
DE_FIGURES = targets.de_figures(COUNTS)


# The two designs are two jobs (adjusted: ~ covariates + contrast, unadjusted: ~ contrast);
# without covariates the one ~ contrast fit is both tables (rule deseq2_as_adjusted).
if COUNTS:

    rule deseq2:
        input:
            raw="results/counts/raw.tsv",
            normalised="results/counts/normalised.tsv",
            covariates="results/cohort/covariates.tsv",
            samples=SETTINGS.samples,
        output:
            "results/de/{table}.tsv",
        log:
            "logs/deseq2_{table}.log",
        wildcard_constraints:
            table="|".join(DESEQ2_JOBS),
        conda:
            ENV
        threads: 1
        resources:
            mem_mb=4000,
        params:
            code=code("deseq2.py"),
            design=lambda wildcards: DESEQ2_JOBS[wildcards.table],
            alpha=SETTINGS.de.alpha,
        script:
            "../scripts/deseq2.py"

    if not SETTINGS.covariates:

        localrules:
            deseq2_as_adjusted,

        rule deseq2_as_adjusted:
            input:
                "results/de/deseq2_unadjusted.tsv",
            output:
                "results/de/deseq2.tsv",
            shell:
                "cp {input} {output}"


rule wilcoxon:
    input:
        normalised="results/counts/normalised.tsv",
        covariates="results/cohort/covariates.tsv",
    output:
        "results/de/wilcoxon.tsv",
    log:
        "logs/wilcoxon.log",
    conda:
        ENV
    params:
        code=code("wilcoxon.py"),
    script:
        "../scripts/wilcoxon.py"


rule candidates:
    input:
        deseq2=DESEQ2,
        wilcoxon="results/de/wilcoxon.tsv",
        normalised="results/counts/normalised.tsv",
        covariates="results/cohort/covariates.tsv",
    output:
        candidates="results/de/candidates.tsv",
        table4="results/de/table4.tsv",
    log:
        "logs/candidates.log",
    conda:
        ENV
    params:
        code=code("candidates.py"),
        de=as_params(SETTINGS.de),
    script:
        "../scripts/candidates.py"


rule de_figures:
    input:
        fits=list(DE_FITS.values()),
        candidates="results/de/candidates.tsv",
        transformed="results/counts/transformed.tsv",
        covariates="results/cohort/covariates.tsv",
        samples=SETTINGS.samples,
    output:
        **{
            name: report(
                figure(name),
                caption=f"../report/{caption}.rst",
                category="3. Differential expression",
                labels={"figure": name.removeprefix("de_").replace("_", " ")},
            )
            for name, caption in DE_FIGURES.items()
        },
    log:
        "logs/de_figures.log",
    conda:
        ENV
    params:
        code=code("de_figures.py"),
        simulated=SIMULATED,
        fits=list(DE_FITS),
        de=as_params(SETTINGS.de),
        contrast=as_params(SETTINGS.contrast),
        transform=resolve_transform(SETTINGS.counts.transform, SETTINGS.counts.kind),
        covariates=list(SETTINGS.covariates),
        seed=SETTINGS.seed,
    script:
        "../scripts/de_figures.py"
