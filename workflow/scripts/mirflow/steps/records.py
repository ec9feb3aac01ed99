"""The end of both reporting steps (discovery's and a validation-only run's): the checklist's
fill counts in the log, then the checklist, the participant flow table and its diagram."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from mirflow.io.tables import write_tsv
from mirflow.plots.common import save
from mirflow.plots.flow import flow_diagram

log = logging.getLogger(__name__)


def write_records(
    title: str,
    table: pd.DataFrame,
    flow: pd.DataFrame,
    out_checklist: str,
    out_flow: str,
    fig_flow: Sequence[str],
) -> None:
    """Log how many of the checklist's items the run filled, then write the checklist, the
    participant flow table and its diagram (the discovery's and the validation's records)."""
    counts = table["status"].value_counts()
    log.info(
        "%s: %d items filled by the run, %d partly, %d left to the authors",
        title,
        counts.get("run", 0),
        counts.get("run + authors", 0),
        counts.get("authors", 0),
    )
    write_tsv(flow, out_flow)
    write_tsv(table, out_checklist)
    save(flow_diagram(flow), *fig_flow)
