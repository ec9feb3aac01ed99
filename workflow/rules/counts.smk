rule import_counts:
    input:
        counts=COUNT_FILES,
        samples=SETTINGS.samples,
    output:
        counts="results/counts/harmonised.tsv",
        report="results/counts/harmonisation.tsv",
        unmatched="results/counts/unmatched_samples.tsv",
    log:
        "logs/import_counts.log",
    conda:
        ENV
    params:
        code=code("import_counts.py"),
        bundled=bundled("mirbase_v21", "mirbase_v22"),
        counts=as_params(SETTINGS.counts),
    script:
        "../scripts/import_counts.py"
