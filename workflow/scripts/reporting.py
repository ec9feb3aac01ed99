"""Rule reporting: the STARD 2015 / REMARK checklist, the participant flow and its diagram."""

from mirflow.analyses.reporting import TABLES, ReportingSettings
from mirflow.steps.reporting import run_reporting
from mirflow.steps.runner import run

run(
    run_reporting,
    snakemake.log[0],
    settings=ReportingSettings.from_params(dict(snakemake.params.items())),
    samples_path=snakemake.input.samples,
    table_paths={name: path for name, path in snakemake.input.items() if name in TABLES},
    lock_path=snakemake.input.lock,
    model_path=snakemake.input.get("model"),
    validation_samples_path=snakemake.input.get("validation_samples"),
    out_checklist=snakemake.output.checklist,
    out_flow=snakemake.output.flow,
    fig_flow=snakemake.output.fig_flow,
)
