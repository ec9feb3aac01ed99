"""Rule validation_criteria: the plan's success criteria evaluated, and the deviations."""

from mirflow.steps.runner import run
from mirflow.steps.validation_criteria import run_validation_criteria

run(
    run_validation_criteria,
    snakemake.log[0],
    plan_path=snakemake.input.get("plan"),
    model_path=snakemake.input.model,
    qc_path=snakemake.input.qc,
    markers_path=snakemake.input.markers,
    panel_path=snakemake.input.panel,
    km_path=snakemake.input.km,
    accuracy_path=snakemake.input.accuracy,
    overlap_path=snakemake.input.overlap,
    exclude=snakemake.params.exclude,
    prevalence=snakemake.params.prevalence,
    out_criteria=snakemake.output.criteria,
    out_deviations=snakemake.output.deviations,
)
