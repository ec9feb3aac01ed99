"""mirflow.steps.panel: a panel the data cannot support is one row with NA and the reason,
and its figure says why (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import figure_texts

from mirflow.analyses.diagnostic import panel_curve_table
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.plots import diagnostic as diagnostic_plots
from mirflow.settings import PanelSettings
from mirflow.steps.panel import run_panel

SPEC_PANEL = ["markers", "auc_cv", "auc_cv_sd", "n_repeats", "n_folds"]
PANEL = PanelSettings(n_folds=5, n_repeats=3, include_covariates=False, n_bootstrap=20)


def _panel_data(n_case: int = 10, n_control: int = 12, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    index = [f"S{i:02d}" for i in range(n_case + n_control)]
    y = pd.Series([1] * n_case + [0] * n_control, index=index)
    x = pd.DataFrame(
        {"miR-a": rng.normal(size=len(y)) + 2 * y.to_numpy(), "miR-b": rng.normal(size=len(y))}, index=index
    )
    return x, y


def _panel_files(tmp_path, markers: list[str], values: pd.DataFrame, labels: pd.Series) -> dict[str, str]:
    paths = {k: str(tmp_path / f"{k}.tsv") for k in ("transformed", "markers", "covariates")}
    write_tsv(values, paths["transformed"], index_label="mirna")
    write_tsv(pd.DataFrame({"mirna": markers}), paths["markers"])
    design = pd.DataFrame({"sample": labels.index, "age": np.linspace(-1, 1, len(labels)), "group": labels})
    write_tsv(design, paths["covariates"])
    return paths


def test_panel_step_writes_one_row_with_the_reason_and_the_figure_shows_it(tmp_path):
    x, y = _panel_data()
    x = x.assign(**{"miR-c": 1.0})
    labels = y.map({1: "case", 0: "control"})
    paths = _panel_files(tmp_path, list(x.columns), x.T, labels)
    out, predictions = tmp_path / "panel.tsv", tmp_path / "predictions.tsv"
    run_panel(
        PANEL, 7, paths["transformed"], paths["markers"], paths["covariates"], str(out), str(predictions)
    )
    table = read_tsv(out)
    assert table.columns.tolist()[: len(SPEC_PANEL)] == SPEC_PANEL
    assert table.columns[-1] == "reason"
    assert len(table) == 1
    row = table.iloc[0]
    assert row[["auc_cv", "auc_cv_sd", "auc_apparent"]].isna().all()
    assert row["markers"] == "miR-a;miR-b;miR-c"
    assert row["reason"] == "miR-c constant over the 22 samples"
    assert read_tsv(predictions).empty
    curves = panel_curve_table(read_tsv(predictions))
    fig = diagnostic_plots.panel_roc(curves, row, {"case": "NEC", "control": "healthy"})
    assert "panel not fitted:\nmiR-c constant over the 22 samples" in figure_texts(fig)


def test_panel_step_without_markers(tmp_path):
    x, y = _panel_data()
    paths = _panel_files(tmp_path, [], x.T, y.map({1: "case", 0: "control"}))
    out, predictions = tmp_path / "panel.tsv", tmp_path / "predictions.tsv"
    run_panel(
        PANEL, 7, paths["transformed"], paths["markers"], paths["covariates"], str(out), str(predictions)
    )
    assert read_tsv(out).iloc[0]["reason"] == "no markers"
