"""Step of rule diagnostic_figures: ROC curves, the panel's ROC and the forest plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirflow.analyses import diagnostic
from mirflow.io.tables import read_design, read_tsv
from mirflow.plots import diagnostic as diagnostic_plots
from mirflow.plots.common import save
from mirflow.settings import ContrastSettings


def run_diagnostic_figures(
    contrast: ContrastSettings,
    covariates: Sequence[str],
    normalised_path: str,
    roc_path: str,
    logistic_path: str,
    markers_path: str,
    panel_path: str,
    predictions_path: str,
    covariates_path: str,
    figures: Mapping[str, Sequence[str]],
) -> None:
    """ROC curves with cut-offs (Fig 7B), the panel's cross-validated ROC, a forest plot."""
    _, labels = read_design(covariates_path)
    values = read_tsv(normalised_path, index_col="mirna")
    roc_table = read_tsv(roc_path)
    names = contrast.names
    curves = diagnostic.roc_curve_table(values, labels, roc_table)
    save(diagnostic_plots.roc_curves(curves, roc_table, names), *figures["diag_roc"])
    panel_curves = diagnostic.panel_curve_table(read_tsv(predictions_path))
    save(
        diagnostic_plots.panel_roc(panel_curves, read_tsv(panel_path).iloc[0], names),
        *figures["diag_panel_roc"],
    )
    markers = read_tsv(markers_path)["mirna"].tolist()
    label = " + ".join(covariates) or "no covariates"
    save(diagnostic_plots.forest(read_tsv(logistic_path), markers, label), *figures["diag_forest"])
