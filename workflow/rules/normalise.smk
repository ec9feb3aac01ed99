rule normalise:
    input:
        counts="results/counts/harmonised.tsv",
        qc="results/qc/samples.tsv",
        samples=config["samples"],
    output:
        raw="results/counts/raw.tsv",
        normalised="results/counts/normalised.tsv",
        size_factors="results/counts/size_factors.tsv",
        filtered="results/counts/filtered_out.tsv",
        transformed="results/counts/transformed.tsv",
    log:
        "logs/normalise.log",
    conda:
        ENV
    script:
        "../scripts/normalise.py"
