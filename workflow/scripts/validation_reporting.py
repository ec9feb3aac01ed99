"""Rule validation_reporting: a validation-only run's STARD 2015 / TRIPOD+AI checklist and flow."""

from mirflow.steps.runner import run
from mirflow.steps.validation_reporting import run_validation_reporting

run(
    run_validation_reporting,
    snakemake.log[0],
    model_path=snakemake.input.model,
    plan_path=snakemake.input.get("plan"),
    samples_path=snakemake.input.samples,
    table_paths={name: str(path) for name, path in snakemake.input.items() if name.startswith("validation_")},
    prevalence=snakemake.params.prevalence,
    exclude=snakemake.params.exclude,
    partial_auc=snakemake.params.partial_auc,
    out_checklist=snakemake.output.checklist,
    out_flow=snakemake.output.flow,
    fig_flow=snakemake.output.fig_flow,
)
