"""mirflow.plots.html_table: a table as a self-contained HTML page for the report."""

from __future__ import annotations

import base64
import math
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from mirflow.plots import html_table as ht

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class Page(HTMLParser):
    """Checks that tags balance and collects what the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        # Per <tr class="r">: (text, attributes) of each td; per <tr class="g">: the heading.
        self.rows: list[list[tuple[str, dict[str, str | None]]]] = []
        self.groups: list[str] = []
        self.tables: list[int] = []  # data rows per table
        self._cell: list[str] | None = None
        self._cell_attrs: dict[str, str | None] = {}
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.tags.append((tag, named))
        if tag == "table":
            self.tables.append(0)
        if tag == "tr" and named.get("class") == "r":
            self.rows.append([])
            self.tables[-1] += 1
        if tag == "tr" and named.get("class") == "g":
            self._heading = []
        if tag == "td":
            self._cell, self._cell_attrs = [], named
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(("".join(self._cell), self._cell_attrs))
            self._cell = None
        if tag == "tr" and self._heading is not None:
            self.groups.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert page.startswith("<!DOCTYPE html>\n")
    assert not parser.errors, parser.errors
    assert not parser.stack, f"unclosed: {parser.stack}"
    return parser


def text_of(page: Page) -> str:
    return " ".join("".join(page.text).split())


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.9500000000000001, "0.95"),
        (14850.123456, "14850"),
        (3.2e-7, "3.2e-07"),
        (2.1e-05, "2.1e-05"),
        (0.0031, "0.0031"),
        (0.0001, "0.0001"),
        (9.99999e-05, "1e-04"),
        (12.0, "12"),
        (-12.0, "-12"),
        (0.0, "0"),
        (-0.0, "0"),
        (18, "18"),
        (np.int64(123456789), "123456789"),
        (np.float64(0.8888888888888888), "0.8889"),
        (np.float32(0.5), "0.5"),
        (123456.7, "123457"),
        (-0.2312115391, "-0.2312"),
        (1.0, "1"),
        (0.99999, "1"),
        (2.5e20, "2.5e+20"),
        (float("inf"), "Inf"),
        (float("-inf"), "-Inf"),
        (float("nan"), "NA"),
        (np.nan, "NA"),
        (None, "NA"),
        (pd.NA, "NA"),
        (True, "yes"),
        (False, "no"),
        (np.bool_(True), "yes"),
        ("text", "text"),
    ],
)
def test_format_number(value: object, shown: str) -> None:
    assert ht.format_number(value) == shown


def table(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mirna": [f"hsa-miR-{i}" for i in range(n)],
            "auc": [0.5 + i / (3 * max(n, 1)) for i in range(n)],
            "n_case": list(range(n)),
        }
    )


def test_page_shows_the_table_readably() -> None:
    frame = pd.DataFrame(
        {
            "mirna": ["hsa-miR-1290", "hsa-miR-320c"],
            "auc": [0.9500000000000001, np.nan],
            "p": [3.2e-7, 0.0031],
            "n": [18, 20],
            "locked": [True, False],
            "note": ["a long note " * 10, None],
        }
    )
    page = ht.render(frame, "ROC per marker", "Caption line one.\n\nSecond paragraph.")
    parsed = parse(page)
    assert [[text for text, _ in row] for row in parsed.rows] == [
        ["hsa-miR-1290", "0.95", "3.2e-07", "18", "yes", ("a long note " * 10)],
        ["hsa-miR-320c", "NA", "0.0031", "20", "no", "NA"],
    ]
    # Full precision on hover; numeric columns right-aligned (class n), head and cells.
    auc = parsed.rows[0][1][1]
    assert auc["title"] == "0.9500000000000001" and "n" in (auc["class"] or "").split()
    heads = [attrs.get("class") for tag, attrs in parsed.tags if tag == "th"]
    assert heads == [None, "n", "n", "n", None, None]
    assert parsed.rows[0][4][1].get("class") == "k"  # booleans: short text, left-aligned
    assert parsed.rows[0][5][1].get("class") is None  # long text wraps
    assert parsed.rows[1][1][1]["class"] == "n na"
    words = text_of(parsed)
    assert "Caption line one." in words and "Second paragraph." in words
    assert "2 rows, 6 columns" in words
    assert "<title>ROC per marker</title>" in page
    assert "position: sticky" in page and "overflow-wrap" in page
    # Self-contained: nothing is loaded.
    assert not any(tag in {"link", "img", "iframe"} for tag, _ in parsed.tags)
    assert not any("src" in attrs or "href" in attrs for _, attrs in parsed.tags)
    assert "http" not in page and "url(" not in page and "@import" not in page


def test_text_is_escaped() -> None:
    frame = pd.DataFrame({"<b>col</b>": ["<script>alert(1)</script>", 'a & "b"'], "x": [1.5, 2.5]})
    page = ht.render(frame, "<i>title</i>", caption="<img src=x onerror=alert(1)>")
    parsed = parse(page)
    assert not [tag for tag, _ in parsed.tags if tag in {"script", "b", "i", "img"}]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert parsed.rows[0][0][0] == "<script>alert(1)</script>"  # shown as text
    assert parsed.rows[1][0][0] == 'a & "b"'
    assert "<b>col</b>" in text_of(parsed) and "<i>title</i>" in text_of(parsed)


def test_group_by_puts_rows_under_one_heading_per_group() -> None:
    overview = pd.DataFrame(
        {
            "section": ["cohort", "cohort", "markers", "cohort", "validation", "markers"],
            "item": ["analysed", "excluded S1", "hsa-miR-1", "late cohort row", "analysed", "panel"],
            "value": ["NEC: 18", "hemolysed", "AUC 0.95", "x", "NEC: 40", "AUC 0.92"],
        }
    )
    parsed = parse(ht.render(overview, "Overview", group_by="section"))
    assert parsed.groups == ["cohort", "markers", "validation"]
    assert [[text for text, _ in row] for row in parsed.rows] == [
        ["analysed", "NEC: 18"],
        ["excluded S1", "hemolysed"],
        ["late cohort row", "x"],
        ["hsa-miR-1", "AUC 0.95"],
        ["panel", "AUC 0.92"],
        ["analysed", "NEC: 40"],
    ]
    heads = [attrs for tag, attrs in parsed.tags if tag == "th" and attrs.get("scope") == "col"]
    assert len(heads) == 2  # the group column is not repeated
    bodies = [attrs.get("data-g") for tag, attrs in parsed.tags if tag == "tbody"]
    assert bodies == ["0", "1", "2"]
    assert "3 groups by section" in text_of(parsed)
    with pytest.raises(ValueError, match="group_by"):
        ht.render(overview, "Overview", group_by="nope")


def test_group_by_a_missing_or_numeric_value() -> None:
    frame = pd.DataFrame({"fold": [1.0, np.nan, 1.0], "x": ["a", "b", "c"]})
    parsed = parse(ht.render(frame, "t", group_by="fold"))
    assert parsed.groups == ["1", "NA"]


def test_long_table_shows_the_first_rows_and_says_how_many_the_tsv_has() -> None:
    parsed = parse(ht.render(table(250), "Long"))
    assert parsed.tables == [ht.SHOWN_ROWS, 250 - ht.SHOWN_ROWS]
    assert parsed.rows[-1][0][0] == "hsa-miR-249"  # every row is listed
    words = text_of(parsed)
    note = "The TSV has 250 rows and holds them all; the first 200 are shown above, the next 50 below."
    assert note in words
    assert "Show rows 201 to 250 of 250" in words
    assert [tag for tag, _ in parsed.tags].count("details") == 1
    short = parse(ht.render(table(ht.SHOWN_ROWS), "Short"))
    assert short.tables == [ht.SHOWN_ROWS]
    assert "details" not in [tag for tag, _ in short.tags] and "The TSV has" not in text_of(short)


def test_a_very_large_table_lists_a_bounded_number_of_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ht, "LISTED_CELLS", 300 * 3)
    parsed = parse(ht.render(table(1000), "Huge"))
    assert parsed.tables == [200, 100]
    assert (
        "The TSV has 1000 rows and holds them all; the first 200 are shown above, the next 100 below; "
        "the last 700 are in the TSV only." in text_of(parsed)
    )
    monkeypatch.setattr(ht, "LISTED_CELLS", 10)
    parsed = parse(ht.render(table(1000), "Huge"))
    assert parsed.tables == [200]
    assert "details" not in [tag for tag, _ in parsed.tags]
    assert "the last 800 are in the TSV only." in text_of(parsed)


def test_sort_script_only_for_long_tables() -> None:
    short = parse(ht.render(table(ht.SORTABLE_ROWS), "Short"))
    assert not short.scripts and "script" not in [tag for tag, _ in short.tags]
    assert not [attrs for tag, attrs in short.tags if tag == "th" and "data-c" in attrs]
    longer = parse(ht.render(table(ht.SORTABLE_ROWS + 1), "Longer"))
    assert len(longer.scripts) == 1 and "addEventListener" in longer.scripts[0]
    heads = [attrs for tag, attrs in longer.tags if tag == "th" and attrs.get("scope") == "col"]
    assert [attrs["data-c"] for attrs in heads] == ["0", "1", "2"]
    assert all("s" in (attrs["class"] or "").split() for attrs in heads)
    assert "Click a column heading to sort" in text_of(longer)


def test_empty_tables() -> None:
    parsed = parse(ht.render(table(0), "Empty"))
    assert parsed.rows == [] and "The table has no rows." in text_of(parsed)
    parsed = parse(ht.render(pd.DataFrame(), "Nothing"))
    assert "The table has no columns." in text_of(parsed)


def test_a_named_index_is_shown() -> None:
    frame = table(2).set_index("mirna")
    parsed = parse(ht.render(frame, "Indexed"))
    assert [row[0][0] for row in parsed.rows] == ["hsa-miR-0", "hsa-miR-1"]
    unnamed = parse(ht.render(table(2).set_index(pd.Index([7, 9])), "Unnamed"))
    assert len(unnamed.rows[0]) == 3


def test_same_table_same_bytes(tmp_path) -> None:
    frame = table(300)
    first = ht.render(frame, "T", "c", group_by=None)
    assert first == ht.render(frame.copy(), "T", "c")
    path = tmp_path / "t.tsv"
    frame.to_csv(path, sep="\t", na_rep="NA", index=False, lineterminator="\n")
    ht.render_tsv(path, tmp_path / "a.html", "T", "c")
    ht.render_tsv(path, tmp_path / "b" / "b.html", "T", "c")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b" / "b.html").read_bytes()
    assert (tmp_path / "a.html").read_bytes().decode("utf-8") == ht.render(
        frame, "T", "c", download=("t.tsv", path.read_bytes())
    )
    assert (
        first.replace("\n", "") in (tmp_path / "a.html").read_text().replace("\n", "")
        or "download=" not in first
    )


def test_render_tsv_round_trips_a_workflow_tsv(tmp_path) -> None:
    # As mirflow.io.tables.write_tsv writes it: tab-separated, header, NA for missing,
    # floats in their shortest round-trip form, booleans as True/False.
    written = pd.DataFrame(
        {
            "sample": ["007", "S2", "S3"],
            "auc": [0.9500000000000001, 14850.123456, np.nan],
            "p_value": [3.2e-7, 0.0031, 2.1e-05],
            "n_case": [18, 20, 22],
            "excluded": [True, False, True],
            "reason": ["hemolysed: log2 ratio 10.17 > 7", "", "<not in contrast>"],
            "endpoint": ["2", "True", "OS"],
        }
    )
    path = tmp_path / "table.tsv"
    written.to_csv(path, sep="\t", na_rep="NA", index=False, lineterminator="\n")
    read = ht.read_table(path)
    assert list(read["sample"]) == ["007", "S2", "S3"]  # ids stay text
    assert list(read["endpoint"]) == ["2", "True", "OS"]
    assert read["auc"].iloc[0] == 0.9500000000000001 and math.isnan(read["auc"].iloc[2])
    assert list(read["n_case"]) == [18, 20, 22]
    assert list(read["excluded"]) == [True, False, True]
    assert read["reason"].iloc[1] == ""

    out = tmp_path / "report" / "table.html"
    ht.render_tsv(path, out, "A table", "Its caption.")
    page = out.read_text(encoding="utf-8")
    assert page == ht.render(read, "A table", "Its caption.", download=("table.tsv", path.read_bytes()))
    link = re.search(
        r'<a download="table.tsv" href="data:text/tab-separated-values;charset=utf-8;base64,([^"]+)"', page
    )
    assert link is not None and base64.b64decode(link.group(1)) == path.read_bytes()
    parsed = parse(page)
    assert [[text for text, _ in row] for row in parsed.rows] == [
        ["007", "0.95", "3.2e-07", "18", "yes", "hemolysed: log2 ratio 10.17 > 7", "2"],
        ["S2", "14850", "0.0031", "20", "no", "", "True"],
        ["S3", "NA", "2.1e-05", "22", "yes", "<not in contrast>", "OS"],
    ]
    # Every number is there at full precision (shown, or in the tooltip).
    for row, (_, expected) in zip(parsed.rows, written.iterrows(), strict=True):
        auc_text, auc_attrs = row[1]
        shown = auc_attrs.get("title") or auc_text
        assert (shown == "NA" and math.isnan(expected["auc"])) or float(shown) == expected["auc"]
        p_text, p_attrs = row[2]
        assert float(p_attrs.get("title") or p_text) == expected["p_value"]
    assert "Its caption." in text_of(parsed)


def test_group_exclusions_collapses_excluded_samples_per_reason() -> None:
    rows = [("cohort", "analysed samples", "NEC: 18, healthy: 20")]
    rows += [("cohort", f"excluded S{i}", "not in contrast") for i in range(1, 97)]
    rows.insert(5, ("cohort", "excluded HD05", "hemolysed: log2 ratio 10.17 > 7"))
    rows += [
        ("differential expression", "candidates", "18: hsa-miR-1290"),
        ("validation", "excluded V1", "not in contrast"),
        ("validation", "excluded V2", "not in contrast"),
        ("validation", "hsa-miR-1290", "AUC 0.92"),
    ]
    overview = pd.DataFrame(rows, columns=["section", "item", "value"])
    before = overview.copy()
    grouped = ht.group_exclusions(overview)
    first20 = ", ".join(f"S{i}" for i in range(1, 21))
    assert grouped.values.tolist() == [
        ["cohort", "analysed samples", "NEC: 18, healthy: 20"],
        ["cohort", "excluded: not in contrast", f"96 samples: {first20}, ... (96 in all)"],
        ["cohort", "excluded HD05", "hemolysed: log2 ratio 10.17 > 7"],
        ["differential expression", "candidates", "18: hsa-miR-1290"],
        ["validation", "excluded: not in contrast", "2 samples: V1, V2"],
        ["validation", "hsa-miR-1290", "AUC 0.92"],
    ]
    assert list(grouped.columns) == ["section", "item", "value"]
    assert overview.equals(before)  # the input is left as it was
    assert ht.group_exclusions(grouped).equals(grouped)  # collapsed rows are not collapsed again

    twenty = pd.DataFrame(
        [("cohort", f"excluded S{i}", "low library size") for i in range(20)], columns=overview.columns
    )
    assert ht.group_exclusions(twenty)["value"].tolist() == [
        "20 samples: " + ", ".join(f"S{i}" for i in range(20))
    ]
    untouched = overview[~overview["item"].str.startswith("excluded")].reset_index(drop=True)
    assert ht.group_exclusions(untouched).equals(untouched)
    page = parse(ht.render(grouped, "Overview", group_by="section"))
    assert page.groups == ["cohort", "differential expression", "validation"]
    assert "excluded: not in contrast" in text_of(page)
