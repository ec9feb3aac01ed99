"""Rule reporting: the STARD 2015 / REMARK checklist, the participant flow and its diagram."""

from mirflow.steps.reporting import run_reporting_rule
from mirflow.steps.runner import run

run(
    run_reporting_rule,
    snakemake.log[0],
    params=dict(snakemake.params.items()),
    inputs={name: str(path) for name, path in snakemake.input.items() if isinstance(path, str)},
    samples_path=snakemake.input.samples,
    lock_path=snakemake.input.lock,
    model_path=snakemake.input.get("model"),
    validation_samples_path=snakemake.input.get("validation_samples"),
    out_checklist=snakemake.output.checklist,
    out_flow=snakemake.output.flow,
    fig_flow=snakemake.output.fig_flow,
)
