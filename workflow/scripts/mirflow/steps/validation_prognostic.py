"""Step of rule validation_prognostic: KM, log-rank and hazard ratios at the LOCKED
prognostic cut-offs (no new search), the validation Table 5 and a KM figure per endpoint."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from mirflow.analyses import prognostic, validation
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots.common import save
from mirflow.plots.prognostic import km_figure, km_ticks
from mirflow.steps.validation import analysed

log = logging.getLogger(__name__)


def run_validation_prognostic(
    model_path: str,
    samples_path: str,
    qc_path: str,
    normalised_path: str,
    out_km: str,
    out_table5: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """KM strata per locked endpoint and marker, and Table 5 (empty tables when the model
    has no endpoints); ``figures``: ``val_km_<endpoint>`` -> (png, pdf)."""
    model, sheet, labels = analysed(samples_path, qc_path, model_path)
    values = read_tsv(normalised_path, index_col="mirna")
    km, table5 = validation.prognostic_tables(sheet, labels, values, model["prognostic"])
    for row in km.drop_duplicates(["endpoint", "mirna"]).itertuples():
        log.info(
            "%s %s: log-rank p %s at the locked cut-off %s %s",
            row.endpoint,
            row.mirna,
            row.logrank_p,
            row.cutoff,
            row.reason or "",
        )
    write_tsv(km, out_km)
    write_tsv(table5, out_table5)
    locked = model["prognostic"]
    for endpoint in locked["endpoints"] if locked else []:
        data = validation.endpoint_data(sheet, prognostic.population(labels, locked["population"]), endpoint)
        rows = km[km["endpoint"] == endpoint["name"]]
        stratified = rows[rows["stratum"].notna()]  # the others' panels say why not
        curves = prognostic.km_curve_table(
            data,
            {m: values.loc[m, data.time.index].astype(float) for m in stratified["mirna"].unique()},
            stratified,
            at=km_ticks(data.time.max() if len(data.time) else float("nan")),
        )
        names = {"population": f"{locked['population']}, locked cut-offs"}
        save(km_figure(data, curves, rows, names, searched=False), *figures[f"val_km_{endpoint['name']}"])
