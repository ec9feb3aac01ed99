"""Rule lock: the locked discovery model, results/model/locked_model.json."""

from mirflow.fingerprint import workflow_version
from mirflow.settings import ContrastSettings, QCSettings, SurvivalSettings
from mirflow.steps.lock import write_lock
from mirflow.steps.runner import bundled, run, workflow_root

run(
    write_lock,
    snakemake.log[0],
    contrast=ContrastSettings.from_params(snakemake.params.contrast),
    kind=snakemake.params.kind,
    value=snakemake.params.value,
    transform=snakemake.params.transform,
    qc=QCSettings.from_params(snakemake.params.qc),
    method=snakemake.params.normalisation,
    survival=SurvivalSettings.from_params(snakemake.params.survival),
    config=snakemake.params.config,
    version=workflow_version(workflow_root(snakemake)),
    input_files=list(snakemake.input.data),
    raw_path=snakemake.input.raw,
    normalised_path=snakemake.input.normalised,
    size_factors_path=snakemake.input.size_factors,
    covariates_path=snakemake.input.covariates,
    scaling_path=snakemake.input.scaling,
    roc_path=snakemake.input.roc,
    panel_path=snakemake.input.panel,
    panel_model_path=snakemake.input.panel_model,
    cutoffs_path=snakemake.input.get("cutoffs"),
    cox_baseline_path=snakemake.input.get("cox_baseline"),
    schema_path=bundled(snakemake, "lock_schema"),
    out=snakemake.output[0],
)
