"""Step of rule report_tables: every table of the report as a readable HTML view (numbers
rounded for reading, long tables sortable, the TSV linked for download in full); the
overview's excluded samples grouped by reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mirflow.plots import html_table


def run_report_tables(tables: Sequence[Mapping[str, Any]], outputs: Mapping[str, str]) -> None:
    """``tables``: name, path, label and group_by of each table (mirflow.targets.ReportTable);
    ``outputs``: name -> the HTML file to write."""
    for table in tables:
        frame = html_table.read_table(table["path"])
        if table["name"] == "overview":
            frame = html_table.group_exclusions(frame)
        page = html_table.render(
            frame,
            table["label"],
            group_by=table["group_by"],
            download=(Path(table["path"]).name, Path(table["path"]).read_bytes()),
        )
        out = Path(outputs[table["name"]])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8", newline="\n")
