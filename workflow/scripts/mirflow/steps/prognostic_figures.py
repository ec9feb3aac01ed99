"""Step of rule prognostic_figures: per endpoint, the Kaplan-Meier figure and the landmark
ROC figure of the prognostic tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirflow.analyses import prognostic
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.tables import read_design, read_tsv
from mirflow.plots import prognostic as prognostic_plots
from mirflow.plots.common import save
from mirflow.settings import SurvivalSettings


def run_prognostic_figures(
    settings: SurvivalSettings,
    samples_path: str,
    normalised_path: str,
    markers_path: str,
    covariates_path: str,
    cutoffs_path: str,
    km_path: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """Per endpoint: the Kaplan-Meier figure (strata of the KM table, curves at the
    cut-offs) and the landmark ROC figure (with the cut-off table's points)."""
    _, labels = read_design(covariates_path)
    samples = prognostic.population(labels, settings.population)
    sheet = read_sample_sheet(samples_path, warn=False)
    markers = read_tsv(markers_path)["mirna"].tolist()
    normalised = read_tsv(normalised_path, index_col="mirna")
    cutoffs = read_tsv(cutoffs_path)
    km = read_tsv(km_path)
    names = {"population": settings.population}
    for name, endpoint_settings in settings.endpoints.items():
        endpoint = prognostic.endpoint_data(sheet, name, endpoint_settings, samples)
        marker_values = normalised.loc[markers, endpoint.time.index].astype(float)
        values = {m: marker_values.loc[m] for m in markers}
        km_frame = km[km["endpoint"] == name].reset_index(drop=True)
        ticks = prognostic_plots.km_ticks(endpoint.time.max())
        km_curves = prognostic.km_curve_table(endpoint, values, km_frame, at=ticks)
        save(prognostic_plots.km_figure(endpoint, km_curves, km_frame, names), *figures[f"prog_km_{name}"])
        save(
            prognostic_plots.landmark_roc_figure(
                prognostic.landmark_roc_table(endpoint, values), cutoffs, prognostic.landmark_counts(endpoint)
            ),
            *figures[f"prog_landmark_roc_{name}"],
        )
