"""Step of rule time_roc_figures: per endpoint, the AUC(t) figure of the time-dependent AUC
table (drawn from the table; nothing is estimated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mirflow.io.tables import read_tsv
from mirflow.plots.common import save
from mirflow.plots.time_roc import time_roc_figure


def run_time_roc_figures(time_roc_path: str, figures: Mapping[str, Sequence[str]]) -> None:
    """Draw ``prog_time_roc_<endpoint>`` for every figure asked for (name -> paths)."""
    table = read_tsv(time_roc_path)
    for name, paths in figures.items():
        save(time_roc_figure(table, name.removeprefix("prog_time_roc_")), *paths)
