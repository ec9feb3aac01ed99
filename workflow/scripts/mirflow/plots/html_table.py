"""A table as a self-contained HTML page, for the report's viewer (a TSV there is only a download).

The page has inline CSS and, for tables of more than :data:`SORTABLE_ROWS` rows, a few lines
of inline JavaScript to sort by a column; it loads nothing (the report is read offline).
Numbers are rounded for reading (:func:`mirflow.formatting.plain`; hovering a rounded number shows it at
full precision); the TSV keeps full precision. The first :data:`SHOWN_ROWS` rows are shown,
the rest (up to :data:`LISTED_CELLS` cells in all) under a ``<details>`` element, with a note
saying how many rows the TSV holds. The same table gives the same bytes.
"""

from __future__ import annotations

import base64
import html
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from mirflow.formatting import NA as _NA
from mirflow.formatting import is_missing as _missing
from mirflow.formatting import is_number as _is_number
from mirflow.formatting import plain as format_number

# Rows shown at once; the rest are listed under a <details> element.
SHOWN_ROWS = 200
# Cells listed in all (shown and under <details>), at least SHOWN_ROWS rows: bounds the
# page of a very large table (the TSV holds every row).
LISTED_CELLS = 250_000
# Text columns whose values are all at most this long are kept on one line.
SHORT_TEXT = 32
# Tables of more rows than this get the click-to-sort script.
SORTABLE_ROWS = 20
# Excluded samples named in one collapsed overview row (group_exclusions).
LISTED_SAMPLES = 20
# Columns kept as text when a TSV is read, like mirflow.io.tables.read_tsv does.
TEXT_COLUMNS = ("sample", "endpoint")

_EXCLUDED = re.compile(r"excluded (?P<sample>.+)", re.DOTALL)
# A number as a TSV writes it, and an identifier that only looks like one ("007").
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|Inf|INF)")
_LEADING_ZERO = re.compile(r"[+-]?0\d")

_CSS = """\
:root { color-scheme: light; }
body { margin: 0; padding: 12px 16px 24px; font: 14px/1.4 system-ui, -apple-system, "Segoe UI",
  Roboto, "DejaVu Sans", Arial, sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 18px; margin: 0 0 6px; }
p { margin: 4px 0; max-width: 75em; }
.caption { color: #3d444d; }
.meta, .note { color: #59636e; font-size: 13px; }
.note { margin: 8px 0; }
table { border-collapse: separate; border-spacing: 0; margin: 8px 0; }
th, td { padding: 3px 7px; border-bottom: 1px solid #e1e4e8; vertical-align: top; text-align: left; }
td { max-width: 40em; overflow-wrap: break-word; white-space: pre-line; }
thead th { position: sticky; top: 0; z-index: 1; background: #eef1f4; border-bottom: 2px solid #c8ced5;
  white-space: nowrap; }
tbody tr.r:nth-child(even) { background: #f8f9fa; }
tbody tr.r:hover { background: #fff8c5; }
tr.g th { background: #dde7f3; font-size: 15px; padding-top: 8px; border-bottom: 1px solid #b6c7dc; }
.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.k { white-space: nowrap; }
td.na { color: #8c959f; }
th.s { cursor: pointer; user-select: none; }
th.s::after { content: " \\2195"; color: #8c959f; }
th.s[aria-sort="ascending"]::after { content: " \\25B2"; color: #1f2328; }
th.s[aria-sort="descending"]::after { content: " \\25BC"; color: #1f2328; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #0b5cad; }
"""

# Sorts the data rows of every table on the page together (the shown rows and those under
# <details>): rows stay in their group, missing values go last; a third click restores the
# file's order. The i-th row of the sorted order takes the i-th row's place.
_SCRIPT = """\
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.r"));
  var slots = rows.map(function (r) { return r.parentNode; });
  var order = new Map(), group = new Map(), state = { col: -1, dir: 0 };
  rows.forEach(function (r, i) {
    order.set(r, i);
    group.set(r, +(r.parentNode.getAttribute("data-g") || 0));
  });
  var heads = Array.prototype.slice.call(document.querySelectorAll("th.s"));
  function key(r, c, num) {
    var cell = r.cells[c], t = cell.getAttribute("title") || cell.textContent;
    if (t === "NA") return null;
    if (!num) return t;
    var v = t === "Inf" ? Infinity : t === "-Inf" ? -Infinity : parseFloat(t);
    return isNaN(v) ? null : v;
  }
  function sort(c, num) {
    var dir = state.col === c ? (state.dir + 1) % 3 : 1;
    state = { col: c, dir: dir };
    var sorted = rows.slice().sort(function (a, b) {
      var d = group.get(a) - group.get(b);
      if (!d && dir) {
        var x = key(a, c, num), y = key(b, c, num);
        if (x === null || y === null) d = (x === null) - (y === null);
        else d = num ? (x > y) - (x < y) : x.localeCompare(y, undefined, { numeric: true });
        if (dir === 2 && x !== null && y !== null) d = -d;
      }
      return d || order.get(a) - order.get(b);
    });
    sorted.forEach(function (r, i) { slots[i].appendChild(r); });
    heads.forEach(function (h) {
      var on = dir && +h.getAttribute("data-c") === c;
      h.setAttribute("aria-sort", on ? (dir === 1 ? "ascending" : "descending") : "none");
    });
  }
  heads.forEach(function (h) {
    function go() { sort(+h.getAttribute("data-c"), h.classList.contains("n")); }
    h.addEventListener("click", go);
    h.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
    });
  });
})();
"""


def _full(value: object) -> str:
    """A number at full precision (the TSV's text), for the cell's tooltip."""
    return repr(float(value)) if isinstance(value, float | np.floating) else str(value)


def _column_kinds(table: pd.DataFrame) -> list[str]:
    """Each column's kind: ``n`` for numbers only (booleans are not numbers: right-aligned,
    sorted as numbers), ``k`` for short single-line values (kept on one line, so that an id
    like hsa-miR-1290 is not broken at a hyphen), ``""`` for text that wraps."""
    kinds = []
    for _, column in table.items():
        if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            kinds.append("n")
            continue
        present = [v for v in column if not _missing(v)]
        if present and all(_is_number(v) for v in present):
            kinds.append("n")
        elif all(len(text) <= SHORT_TEXT and "\n" not in text for text in map(str, present)):
            kinds.append("k")
        else:
            kinds.append("")
    return kinds


def _cell(value: object, kind: str) -> str:
    classes = [kind] if kind else []
    title = ""
    if _missing(value):
        text = _NA
        classes.append("na")
    elif isinstance(value, str):
        text = value
    else:
        text = format_number(value)
        if _is_number(value) and text != _full(value) and not (kind == "n" and math.isinf(float(value))):
            title = f' title="{html.escape(_full(value))}"'
    attrs = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attrs}{title}>{html.escape(text)}</td>"


def _head(columns: list[str], kinds: list[str], sortable: bool) -> str:
    cells = []
    for i, (name, kind) in enumerate(zip(columns, kinds, strict=True)):
        classes = (["n"] if kind == "n" else []) + (["s"] if sortable else [])
        attrs = f' class="{" ".join(classes)}"' if classes else ""
        if sortable:
            attrs += f' data-c="{i}" tabindex="0" aria-sort="none"'
        cells.append(f'<th scope="col"{attrs}>{html.escape(name)}</th>')
    return "<thead><tr>" + "".join(cells) + "</tr></thead>"


def _body(
    rows: list[list[str]], groups: list[int], labels: list[str] | None, width: int, indent: str = ""
) -> str:
    """Table bodies: one per group (headed by its label) when grouped, else one."""
    if not rows:
        return ""
    parts: list[str] = []
    current = None
    for cells, group in zip(rows, groups, strict=True):
        if group != current:
            if current is not None:
                parts.append("</tbody>")
            current = group
            if labels is None:
                parts.append("<tbody>")
            else:
                parts.append(f'<tbody data-g="{group}">')
                heading = html.escape(labels[group])
                parts.append(f'<tr class="g"><th scope="rowgroup" colspan="{width}">{heading}</th></tr>')
        parts.append('<tr class="r">' + "".join(cells) + "</tr>")
    parts.append("</tbody>")
    return "\n".join(indent + part for part in parts)


def _paragraphs(text: str, css_class: str) -> list[str]:
    """Text as paragraphs (split at blank lines), escaped."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip())]
    return [f'<p class="{css_class}">{html.escape(block)}</p>' for block in blocks if block]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render(
    table: pd.DataFrame,
    title: str,
    caption: str = "",
    group_by: str | None = None,
    download: tuple[str, bytes] | None = None,
) -> str:
    """``table`` as a self-contained HTML5 page (see the module's docstring); ``download``:
    (file name, bytes) of the TSV, linked from the page so that it can be saved in full.

    A named index becomes the first column(s); an unnamed one is left out. With
    ``group_by`` (a column), rows are grouped under one heading per value of that column,
    in the order of each value's first row (rows keep their order within a group), and
    the column itself is not repeated in the rows.
    """
    if any(name is not None for name in table.index.names):
        table = table.reset_index()
    table = table.reset_index(drop=True)
    table.columns = [str(name) for name in table.columns]
    labels: list[str] | None = None
    groups = [0] * len(table)
    if group_by is not None:
        if group_by not in table.columns:
            raise ValueError(f"group_by: no column {group_by!r} in the table ({', '.join(table.columns)})")
        codes, uniques = pd.factorize(table[group_by], use_na_sentinel=False)
        order = np.argsort(codes, kind="stable")
        table = table.drop(columns=group_by).iloc[order].reset_index(drop=True)
        groups = [int(code) for code in codes[order]]
        labels = [format_number(value) if not isinstance(value, str) else value for value in uniques]
    columns = list(table.columns)
    kinds = _column_kinds(table)
    n_rows = len(table)
    listed = min(n_rows, max(SHOWN_ROWS, LISTED_CELLS // max(1, len(columns))))
    sortable = n_rows > SORTABLE_ROWS
    rows = [
        [_cell(value, kind) for value, kind in zip(record, kinds, strict=True)]
        for record in table.iloc[:listed].itertuples(index=False, name=None)
    ]
    head = _head(columns, kinds, sortable)
    width = max(1, len(columns))
    shown = min(n_rows, SHOWN_ROWS)

    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        "<style>",
        _CSS.rstrip("\n"),
        "</style>",
        "</head>",
        "<body>",
        f"<h1>{html.escape(title)}</h1>",
        *_paragraphs(caption, "caption"),
    ]
    meta = f"{_plural(n_rows, 'row')}, {_plural(len(columns), 'column')}"
    if group_by is not None and labels is not None:
        meta += f", in {_plural(len(labels), 'group')} by {group_by}"
    meta += ". Numbers are rounded for reading (hover one to see it in full); the TSV holds them in full."
    if sortable:
        meta += " Click a column heading to sort (again for descending, a third time for the file's order)."
    lines.append(f'<p class="meta">{html.escape(meta)}</p>')
    if download is not None:
        name, data = download
        encoded = base64.b64encode(data).decode("ascii")
        lines.append(
            f'<p class="meta"><a download="{html.escape(name)}" '
            f'href="data:text/tab-separated-values;charset=utf-8;base64,{encoded}">'
            f"Download {html.escape(name)} (every row, full precision)</a></p>"
        )
    if not columns:
        lines.append('<p class="note">The table has no columns.</p>')
    else:
        body = _body(rows[:shown], groups[:shown], labels, width)
        lines += ['<table class="data">', head, body, "</table>"]
        if n_rows == 0:
            lines.append('<p class="note">The table has no rows.</p>')
    if n_rows > shown and columns:
        rest = listed - shown
        note = f"The TSV has {n_rows} rows and holds them all; the first {shown} are shown above"
        if rest:
            note += f", the next {rest} below"
        if listed < n_rows:
            note += f"; the last {n_rows - listed} are in the TSV only"
        lines.append(f'<p class="note">{html.escape(note)}.</p>')
        if rest:
            lines += [
                "<details>",
                f"<summary>Show rows {shown + 1} to {listed} of {n_rows}</summary>",
                '<table class="data">',
                head,
                _body(rows[shown:], groups[shown:listed], labels, width),
                "</table>",
                "</details>",
            ]
    if sortable and columns:
        lines += ["<script>", _SCRIPT.rstrip("\n"), "</script>"]
    lines += ["</body>", "</html>"]
    return "\n".join(line for line in lines if line) + "\n"


def _column(text: pd.Series, name: str) -> pd.Series:
    """A column read as text, typed for display: numbers (unless a value is an identifier
    with a leading zero, or the column is one of :data:`TEXT_COLUMNS`), booleans
    (``True``/``False``), else text; ``NA`` is missing."""
    present = text.dropna()
    if name in TEXT_COLUMNS or present.empty:
        return text
    values = present.astype(str)
    if values.isin(["True", "False"]).all():
        return text.map({"True": True, "False": False}, na_action="ignore").astype(object)
    if values.str.fullmatch(_NUMBER).all() and not values.str.match(_LEADING_ZERO).any():
        return pd.to_numeric(text)
    return text


def read_table(path: str | Path) -> pd.DataFrame:
    """A TSV as the workflow writes it (tab-separated, header row, ``NA`` for missing),
    typed for display by :func:`_column`: an id column of "007" stays text, a column of
    numbers becomes numbers, an empty cell stays an empty string."""
    text = pd.read_csv(path, sep="\t", keep_default_na=False, na_values=["NA"], dtype=str)
    return pd.DataFrame({name: _column(column, str(name)) for name, column in text.items()})


def render_tsv(
    path_in: str | Path,
    path_out: str | Path,
    title: str,
    caption: str = "",
    group_by: str | None = None,
) -> None:
    """Read a TSV written by the workflow (:func:`read_table`) and write it as an HTML page
    (:func:`render`) that links the TSV for download, UTF-8 with ``\\n`` line ends."""
    page = render(
        read_table(path_in), title, caption, group_by, (Path(path_in).name, Path(path_in).read_bytes())
    )
    Path(path_out).parent.mkdir(parents=True, exist_ok=True)
    Path(path_out).write_text(page, encoding="utf-8", newline="\n")


def group_exclusions(overview: pd.DataFrame) -> pd.DataFrame:
    """The overview (columns section/item/value) with the ``excluded <sample>`` rows of each
    section that share a reason collapsed into one row, for reading: item ``excluded:
    <reason>``, value ``<n> samples: S1, S2, ...`` (at most :data:`LISTED_SAMPLES` ids, then
    ``... (<n> in all)``), in the place of the reason's first row. A reason of one sample
    keeps its row as it is; other rows are untouched and keep their order."""
    items = overview["item"].astype(object)
    samples = [
        match["sample"] if isinstance(item, str) and (match := _EXCLUDED.fullmatch(item)) else None
        for item in items
    ]
    members: dict[tuple[object, object], list[int]] = {}
    for position, sample in enumerate(samples):
        if sample is not None:
            section, reason = overview["section"].iloc[position], overview["value"].iloc[position]
            key = (_NA if _missing(section) else section, _NA if _missing(reason) else reason)
            members.setdefault(key, []).append(position)
    first: dict[int, tuple[object, object]] = {}
    dropped: set[int] = set()
    for key, positions in members.items():
        if len(positions) > 1:
            first[positions[0]] = key
            dropped.update(positions[1:])
    records = []
    for position in range(len(overview)):
        if position in dropped:
            continue
        record = overview.iloc[position].to_dict()
        if position in first:
            key = first[position]
            ids = [samples[p] for p in members[key]]
            listed = ", ".join(str(sample) for sample in ids[:LISTED_SAMPLES])
            if len(ids) > LISTED_SAMPLES:
                listed += f", ... ({len(ids)} in all)"
            record["item"] = f"excluded: {key[1]}"
            record["value"] = f"{len(ids)} samples: {listed}"
        records.append(record)
    return pd.DataFrame(records, columns=overview.columns)
