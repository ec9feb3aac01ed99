rule import_counts:
    input:
        counts=COUNT_FILES,
        samples=config["samples"],
        v21=MIRBASE["v21"],
        v22=MIRBASE["v22"],
    output:
        counts="results/counts/harmonised.tsv",
        report="results/counts/harmonisation.tsv",
        unmatched="results/counts/unmatched_samples.tsv",
    log:
        "logs/import_counts.log",
    conda:
        ENV
    script:
        "../scripts/import_counts.py"
