# Serum miRNA biomarker discovery: GeneGlobe/count tables -> QC -> normalisation ->
# cohort table -> differential expression -> diagnostic markers -> prognosis. See README.md.
from snakemake.utils import min_version, validate

min_version("9.0")


# The bundled demo run's config. A user's --configfile REPLACES it (keys left out take the
# schema's defaults, which make no analysis choice: no covariates, no endpoints, markers
# auto); it is not merged with the demo's covariates, endpoints or exclusions.
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


# Discovery (stages 1-7); a validation-only config (no samples) applies an existing lock.
if DISCOVERY:

    include: "workflow/rules/counts.smk"
    include: "workflow/rules/qc.smk"
    include: "workflow/rules/normalise.smk"
    include: "workflow/rules/cohort.smk"
    include: "workflow/rules/de.smk"
    include: "workflow/rules/diagnostic.smk"
    include: "workflow/rules/prognostic.smk"


include: "workflow/rules/validation.smk"
include: "workflow/rules/reporting.smk"
include: "workflow/rules/provenance.smk"


rule all:
    default_target: True
    input:
        RESULT_TABLES,
        FIGURES,
        "results/provenance.json",
        *(["results/overview.tsv"] if DISCOVERY else []),
