# Differential expression (SPEC stage 4). DESeq2 only for counts; with
# counts.kind: expression the candidates come from the Wilcoxon test.
from mirflow.settings import resolve_transform

COUNTS = SETTINGS.counts.kind == "counts"
DESEQ2 = ["results/de/deseq2.tsv", "results/de/deseq2_unadjusted.tsv"] if COUNTS else []
# fit name -> its table; figure name -> caption file
DE_FITS = (
    {"unadjusted": DESEQ2[1], "adjusted": DESEQ2[0]}
    if COUNTS
    else {"wilcoxon": "results/de/wilcoxon.tsv"}
)
DE_FIGURES = {f"de_volcano_{fit}": "de_volcano" for fit in DE_FITS}
DE_FIGURES |= {f"de_ma_{fit}": "de_ma" for fit in DE_FITS if COUNTS}
DE_FIGURES |= {"de_heatmap": "de_heatmap", "de_boxplots": "de_boxplots"}


rule deseq2:
    input:
        raw="results/counts/raw.tsv",
        normalised="results/counts/normalised.tsv",
        covariates="results/cohort/covariates.tsv",
        samples=SETTINGS.samples,
        code=code("deseq2.py"),
    output:
        adjusted=report(
            "results/de/deseq2.tsv",
            caption="../report/deseq2.rst",
            category="3. Differential expression",
            labels={"table": "DESeq2, adjusted design"},
        ),
        unadjusted=report(
            "results/de/deseq2_unadjusted.tsv",
            caption="../report/deseq2.rst",
            category="3. Differential expression",
            labels={"table": "DESeq2, ~ contrast"},
        ),
    log:
        "logs/deseq2.log",
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=4000,
    params:
        alpha=SETTINGS.de.alpha,
    script:
        "../scripts/deseq2.py"


rule wilcoxon:
    input:
        normalised="results/counts/normalised.tsv",
        covariates="results/cohort/covariates.tsv",
        code=code("wilcoxon.py"),
    output:
        report(
            "results/de/wilcoxon.tsv",
            caption="../report/wilcoxon.rst",
            category="3. Differential expression",
            labels={"table": "Wilcoxon-Mann-Whitney"},
        ),
    log:
        "logs/wilcoxon.log",
    conda:
        ENV
    script:
        "../scripts/wilcoxon.py"


rule candidates:
    input:
        deseq2=DESEQ2,
        wilcoxon="results/de/wilcoxon.tsv",
        normalised="results/counts/normalised.tsv",
        covariates="results/cohort/covariates.tsv",
        code=code("candidates.py"),
    output:
        candidates=report(
            "results/de/candidates.tsv",
            caption="../report/candidates.rst",
            category="3. Differential expression",
            labels={"table": "candidates"},
        ),
        table4=report(
            "results/de/table4.tsv",
            caption="../report/table4.rst",
            category="3. Differential expression",
            labels={"table": "Table 4 (candidates, crude values)"},
        ),
    log:
        "logs/candidates.log",
    conda:
        ENV
    params:
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
        code=code("de_figures.py"),
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
        fits=list(DE_FITS),
        de=as_params(SETTINGS.de),
        contrast=as_params(SETTINGS.contrast),
        transform=resolve_transform(SETTINGS.counts.transform, SETTINGS.counts.kind),
        covariates=list(SETTINGS.covariates),
        seed=SETTINGS.seed,
    script:
        "../scripts/de_figures.py"
