"""Rule analysis_plan: the sealed analysis plan of the validation, from the lock."""

from mirflow.settings import PlanSettings
from mirflow.steps.planning import run_analysis_plan
from mirflow.steps.runner import run

run(
    run_analysis_plan,
    snakemake.log[0],
    settings=PlanSettings.from_params(snakemake.params.plan),
    lock_path=snakemake.input.lock,
    sample_size_path=snakemake.input.sample_size,
    out=snakemake.output[0],
)
