"""Rule validation_prognostic: KM at the locked prognostic cut-offs, Table 5, KM figures."""

from mirflow.steps.runner import run

run(
    "mirflow.steps.validation_prognostic:run_validation_prognostic",
    snakemake.log[0],
    model_path=snakemake.input.model,
    samples_path=snakemake.input.samples,
    qc_path=snakemake.input.qc,
    normalised_path=snakemake.input.normalised,
    out_km=snakemake.output.km,
    out_table5=snakemake.output.table5,
    figures={name: snakemake.output[name] for name in snakemake.output.keys() if name.startswith("val_km_")},
)
