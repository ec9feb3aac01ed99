# Serum miRNA biomarker discovery: GeneGlobe/count tables -> QC -> normalisation ->
# cohort table (later stages: DE, diagnostic markers, prognosis). See README.md.
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/counts.smk"
include: "workflow/rules/qc.smk"
include: "workflow/rules/normalise.smk"
include: "workflow/rules/cohort.smk"
include: "workflow/rules/de.smk"
include: "workflow/rules/diagnostic.smk"
include: "workflow/rules/prognostic.smk"


rule all:
    default_target: True
    input:
        "results/counts/harmonisation.tsv",
        "results/qc/samples.tsv",
        "results/counts/raw.tsv",
        "results/counts/normalised.tsv",
        "results/counts/size_factors.tsv",
        "results/cohort/characteristics.tsv",
        "results/de/candidates.tsv",
        "results/de/table4.tsv",
        "results/diagnostic/logistic.tsv",
        "results/diagnostic/roc.tsv",
        "results/diagnostic/roc_comparisons.tsv",
        "results/diagnostic/panel.tsv",
        PROGNOSTIC_TABLES,
        expand(
            "results/figures/{name}.{ext}",
            name=[*DE_FIGURES, *DIAGNOSTIC_FIGURES, *PROGNOSTIC_FIGURES],
            ext=["png", "pdf"],
        ),
