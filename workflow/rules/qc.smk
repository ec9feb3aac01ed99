rule qc:
    input:
        counts="results/counts/harmonised.tsv",
        samples=SETTINGS.samples,
    output:
        samples="results/qc/samples.tsv",
    log:
        "logs/qc.log",
    conda:
        ENV
    params:
        code=code("qc.py"),
        qc=as_params(SETTINGS.qc),
        contrast=as_params(SETTINGS.contrast),
        kind=SETTINGS.counts.kind,
    script:
        "../scripts/qc.py"


# The PCA and the figures apart from the QC table: the analysis needs only the table.
rule qc_figures:
    input:
        counts="results/counts/harmonised.tsv",
        samples=SETTINGS.samples,
        qc="results/qc/samples.tsv",
    output:
        pca="results/qc/pca.tsv",
        fig_qc=report(
            figure("qc_samples"),
            caption="../report/qc_samples.rst",
            category="1. Quality control",
        ),
        fig_pca=report(
            figure("qc_pca"),
            caption="../report/qc_pca.rst",
            category="1. Quality control",
        ),
    log:
        "logs/qc_figures.log",
    conda:
        ENV
    params:
        code=code("qc_figures.py"),
        simulated=SIMULATED,
        qc=as_params(SETTINGS.qc),
        contrast=as_params(SETTINGS.contrast),
        kind=SETTINGS.counts.kind,
    script:
        "../scripts/qc_figures.py"
