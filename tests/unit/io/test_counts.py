"""mirflow.io.counts: count tables as users give them. Real files from ../shared in each
layout; hostile tables (issue 10) are one InputError naming the file, the place (line, or
sheet/row/column letter) and the fix, before any analysis; valid variants still read."""

from __future__ import annotations

import gzip
import logging
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import real_file

from mirflow.errors import InputError
from mirflow.io.counts import detect_format, read_counts
from mirflow.plan import count_paths

TABLE = "mirna,S1,S2\nhsa-miR-16-5p,10,20\nhsa-miR-21-5p,3,0\n"
EXPECTED = pd.DataFrame(
    {"S1": [10, 3], "S2": [20, 0]}, index=pd.Index(["hsa-miR-16-5p", "hsa-miR-21-5p"], name="feature")
).rename_axis(columns="sample")


# ---- real files and layouts ------------------------------------------------------------

GENEGLOBE = "qiaseq-geneglobe-legacy-cedars/2425.all_samples.summary.xlsx"


def test_geneglobe_workbook_umis_and_reads():
    path = real_file(GENEGLOBE)
    assert detect_format(path) == "geneglobe"
    umis = read_counts([path])
    reads = read_counts([path], value="reads")
    # 479 miRNAs + 105 piRNAs + 1 merged name = 585 rows; the 'piRNA' separator is gone.
    assert umis.shape == (585, 2) and list(umis.columns) == ["S2", "S1"]
    assert "piRNA" not in umis.index
    assert umis.at["hsa-let-7a-5p", "S2"] == 860 and reads.at["hsa-let-7a-5p", "S2"] == 1453
    assert (reads >= umis).all().all()
    assert umis.dtypes.eq("int64").all()


def test_geneglobe_sheet_saved_as_csv(tmp_path):
    path = real_file(GENEGLOBE)
    sheet = pd.read_excel(path, sheet_name="miRNA_piRNA", engine="calamine")
    csv = tmp_path / "export.csv"
    sheet.to_csv(csv, index=False)
    assert detect_format(csv) == "geneglobe"
    pd.testing.assert_frame_equal(read_counts([csv]), read_counts([path]))


def test_per_sample_exports_merge_with_sheet_mapping(tmp_path):
    one = pd.DataFrame({"Name": ["hsa-miR-16-5p", "hsa-miR-21-5p"], "Count": [10, 5], "CPM": [1.0, 0.5]})
    two = pd.DataFrame({"Name": ["hsa-miR-16-5p", "hsa-miR-451a"], "Count": [7, 3], "CPM": [2.0, 1.0]})
    one.to_excel(tmp_path / "run_A.xlsx", index=False)
    two.to_csv(tmp_path / "run_B.csv", index=False)
    table = read_counts([tmp_path / "run_A.xlsx", tmp_path / "run_B.csv"], file_to_sample={"run_A": "P1"})
    assert list(table.columns) == ["P1", "run_B"]
    # miR-451a is absent from the first export: GeneGlobe lists detected miRNAs only.
    assert table.loc["hsa-miR-451a"].tolist() == [0, 3]
    assert table.loc["hsa-miR-16-5p"].tolist() == [10, 7]


def test_lynch_r_style_header():
    path = real_file("lynch-circulating-mirna/rawCounts.tsv")
    table = read_counts([path])
    assert table.shape == (1349, 155)
    assert table.columns[0] == "chip.sample001.tsv" and table.index[0] == "hsa-let-7a-5p"


def test_covid_mature_precursor_rows_are_read_as_given():
    table = read_counts([real_file("covid-icu-mirna/miRNA_counts.csv")])
    assert table.shape == (1589, 43)
    assert "hsa-let-7a-5p hsa-let-7a-1" in table.index


@pytest.mark.parametrize("project", ["PRJNA540915", "PRJNA913165", "PRJNA1123682"])
def test_evmirna_integer_valued_floats(project):
    table = read_counts([real_file(f"evmirna2-ev-mirna/{project}_expression_count.csv")])
    assert table.dtypes.eq("int64").all() and (table >= 0).all().all()


def test_expression_values_are_kept_as_floats(tmp_path):
    path = tmp_path / "qpcr.tsv"
    path.write_text("mirna\ta\tb\nhsa-miR-16-5p\t0.25\t1.5\n")
    table = read_counts([path], kind="expression")
    assert table.loc["hsa-miR-16-5p"].tolist() == [0.25, 1.5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\tx\n", "line 2, column 'b'"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t-3\n", "a negative count (-3)"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t2.5\n", "counts.kind: expression"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t\n", "an empty cell"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t2\nhsa-miR-16-5p\t1\t2\n", "appears more than once"),
        ("mirna\ta\ta\nhsa-miR-16-5p\t1\t2\n", "sample column 'a' appears more than once"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t2\t3\t4\n", "has 5 fields where the header has 3"),
    ],
)
def test_malformed_tables_name_file_place_and_fix(tmp_path, text, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        read_counts([path])
    assert message in str(error.value)
    assert str(path) in str(error.value) and "Fix:" in str(error.value)


def test_missing_umis_columns_suggest_reads(tmp_path):
    path = tmp_path / "reads_only.csv"
    path.write_text("miRNA,S1-READs\nhsa-miR-16-5p,4\n")
    with pytest.raises(InputError, match=r"set counts\.value"):
        read_counts([path])
    assert read_counts([path], value="reads").iat[0, 0] == 4


def test_excel_cell_reference(tmp_path):
    path = tmp_path / "bad.xlsx"
    pd.DataFrame({"miRNA": ["hsa-miR-16-5p"], "S1-UMIs": ["lots"]}).to_excel(
        path, index=False, sheet_name="miRNA_piRNA"
    )
    with pytest.raises(InputError, match=r"row 2, column B 'S1-UMIs'"):
        read_counts([path])


# ---- hostile tables: one message naming the file, the place and the fix ----------------------


def _error(paths, **kwargs) -> str:
    with pytest.raises(InputError) as error:
        read_counts(paths if isinstance(paths, list) else [paths], **kwargs)
    message = str(error.value)
    assert "Fix:" in message and "Traceback" not in message
    return message


def _workbook(path: Path, sheets: dict[str, list[list]], hidden=()) -> Path:
    """An xlsx with the given sheets (rows of cells; strings starting '=' are formulas)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


# ---- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_utf8_and_utf16_with_bom_read_alike(tmp_path, encoding, bom, suffix):
    text = TABLE.replace(",", "\t") if suffix == ".tsv" else TABLE
    path = tmp_path / f"counts{suffix}"
    path.write_bytes(bom + text.replace("\n", "\r\n").encode(encoding))
    pd.testing.assert_frame_equal(read_counts([path]), EXPECTED)


def test_non_ascii_sample_ids_in_utf16(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_bytes(b"\xff\xfe" + "mirna,Müller_1\nhsa-miR-16-5p,4\n".encode("utf-16-le"))
    assert read_counts([path]).columns.tolist() == ["Müller_1"]


def test_latin1_names_file_line_and_utf8_fix(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        b"mirna,S1\nhsa-miR-16-5p,4\nhsa-miR-21-5p,3\n" + "Patient_Jos\xe9,1\n".encode("latin-1")
    )
    message = _error(path)
    assert message.startswith(f"{path} (line 4, byte offset 52): byte 0xE9 is not UTF-8 text")
    assert "save the file as UTF-8" in message


def test_utf16_without_bom_is_named(tmp_path):
    path = tmp_path / "nobom.tsv"
    path.write_bytes(TABLE.encode("utf-16-le"))
    message = _error(path)
    assert "(line 1, byte offset 1): holds NUL bytes: it is UTF-16 text without a byte-order mark" in message
    assert "save the file as UTF-8" in message


def test_broken_utf16_is_named(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"\xff\xfe" + TABLE.encode("utf-16-le") + b"\x00")
    assert "(line 4, byte offset 102): byte 0x00 is not UTF-16 text" in _error(path)


# ---- files that are not count tables ------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty (0 bytes)"),
        (b" \n\n\t\n", "is empty (only blank space)"),
        (b"mirna,S1,S2\n", "has no data rows"),
        (b",,\n,,\n", "has no rows (only empty fields)"),
        (b"PK\x03\x04rest", "is a zip archive (an .xlsx workbook?), not a CSV/TSV text table"),
        (gzip.compress(TABLE.encode()), "is gzip-compressed"),
        (b"mirna;S1;S2\nhsa-miR-16-5p;1;2\n", "has a single column: its fields are separated by ';'"),
    ],
)
def test_text_files_that_are_not_tables(tmp_path, content, message):
    path = tmp_path / "counts.csv"
    path.write_bytes(content)
    assert message in _error(path)


def test_blank_lines_keep_line_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("mirna,S1\n\nhsa-miR-16-5p,4\n\n\nhsa-miR-21-5p,x\n")
    assert "(line 6, column 'S1'): the value 'x' where a number is expected" in _error(path)


def test_ragged_row_after_blank_line_names_its_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("mirna,S1\nhsa-miR-16-5p,4\n\nhsa-miR-21-5p,4,5\n")
    assert "(line 4): has 3 fields where the header has 2" in _error(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty (0 bytes)"),
        (TABLE.encode(), "is named .xlsx but is a text file (it starts 'mirna,S1,S2')"),
        (b"PK\x03\x04" + bytes(200), "is not a valid Excel workbook"),
        (bytes(range(256)), "is not a valid .xlsx workbook (not a zip or Office file)"),
    ],
)
def test_xlsx_that_is_not_a_workbook(tmp_path, content, message):
    path = tmp_path / "counts.xlsx"
    path.write_bytes(content)
    assert message in _error(path)


def test_excel_lock_file(tmp_path):
    path = tmp_path / "~$counts.xlsx"
    path.write_bytes(b"\x05user" + bytes(160))
    assert "is the lock file Excel keeps while a workbook is open" in _error(path)


def test_directory_and_missing_file(tmp_path):
    assert f"{tmp_path}: is a directory, not a count file" in _error(tmp_path)
    assert "file not found" in _error(tmp_path / "nothere.csv")


def test_no_mirna_names_is_not_a_count_table(tmp_path):
    path = tmp_path / "pirna.csv"
    path.write_text("name,S1\nhsa_piR_000651/gb/DQ570812/Homo,4\nmmu-miR-21a-5p,3\n")
    message = _error(path)
    assert "does not look like a miRNA count table: no name in column 1 is a human miRNA name" in message
    assert (
        "'hsa_piR_000651/gb/DQ570812/Homo'" in message and "point counts.path at the count table" in message
    )


def _exports(folder: Path, samples=("P1", "P2")) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i, sample in enumerate(samples):
        path = folder / f"run_{sample}.csv"
        path.write_text(f"Name,Count,CPM\nhsa-miR-16-5p,{10 + i},1.0\nhsa-miR-21-5p,{i},2.0\n")
        paths.append(path)
    return paths


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_pattern_matching_a_summary_export_names_that_file(tmp_path, suffix):
    _exports(tmp_path / "exports")
    summary = tmp_path / "exports" / f"QC_summary{suffix}"
    rows = [["read set", "P1", "P2"], ["total_reads", 1200, 1500], ["mapped %", 81.5, 79.25]]
    if suffix == ".csv":
        summary.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n")
    else:
        _workbook(summary, {"summary": rows})
    paths = count_paths([str(tmp_path / "exports/*")])
    assert summary in paths
    message = _error(paths)
    assert message.startswith(str(summary)) and "does not look like a miRNA count table" in message
    assert "'total_reads'" in message and "narrow the pattern" in message
    assert "counts.kind" not in message


# ---- overflow and precision ---------------------------------------------------------


@pytest.mark.parametrize("value", ["1e20", "100000000000000000000", "9007199254740993", "-1e20"])
def test_counts_beyond_2_53_are_refused(tmp_path, value):
    path = tmp_path / "big.tsv"
    path.write_text(f"mirna\tS1\tS2\nhsa-miR-16-5p\t1\t{value}\n")
    message = _error(path)
    assert f"(line 2, column 'S2'): a count too large to hold exactly ({value};" in message


def test_count_of_2_53_is_exact(tmp_path):
    path = tmp_path / "edge.tsv"
    path.write_text("mirna\tS1\nhsa-miR-16-5p\t9007199254740992\n")
    assert read_counts([path]).iat[0, 0] == 2**53


def test_overflow_in_a_workbook_names_sheet_row_and_letter(tmp_path):
    path = _workbook(
        tmp_path / "big.xlsx",
        {"miRNA_piRNA": [["miRNA", "S1-UMIs", "S2-UMIs"], ["hsa-miR-16-5p", 3, 1e20]]},
    )
    message = _error(path)
    assert "(sheet 'miRNA_piRNA', row 2, column C 'S2-UMIs'): a count too large to hold exactly" in message


def test_column_total_beyond_2_53(tmp_path):
    path = tmp_path / "total.tsv"
    half = 2**52 + 2
    path.write_text(f"mirna\tS1\nhsa-miR-16-5p\t{half}\nhsa-miR-21-5p\t{half}\n")
    assert (
        f"(header, line 1, column 2): the counts of column 'S1' add up to {2 * half}, beyond 2^53"
        in _error(path)
    )


def test_infinite_values(tmp_path):
    path = tmp_path / "inf.tsv"
    path.write_text("mirna\tS1\nhsa-miR-16-5p\t1e400\n")
    assert (
        "(line 2, column 'S1'): the value '1e400', infinite or too large for a number. Fix: write a finite"
        in _error(path, kind="expression")
    )


def test_large_expression_values_stay_floats(tmp_path):
    path = tmp_path / "expr.tsv"
    path.write_text("mirna\tS1\nhsa-miR-16-5p\t1e20\n")
    assert read_counts([path], kind="expression").iat[0, 0] == 1e20


# ---- workbooks: which sheet, hidden sheets, formulas ---------------------------------

COUNTS_SHEET = [["miRNA", "S1", "S2"], ["hsa-miR-16-5p", 5, 6], ["hsa-miR-21-5p", 1, 0]]


def test_first_visible_count_sheet_is_read_and_logged(tmp_path, caplog):
    notes = [["About"], ["exported by someone"]]
    old = [["miRNA", "S1", "S2"], ["hsa-miR-16-5p", 999, 999]]
    path = _workbook(
        tmp_path / "book.xlsx", {"old": old, "notes": notes, "counts": COUNTS_SHEET}, hidden={"old"}
    )
    with caplog.at_level(logging.INFO, logger="mirflow"):
        table = read_counts([path])
    assert table.loc["hsa-miR-16-5p"].tolist() == [5, 6]
    assert "reading sheet 'counts'" in caplog.text and "'old' (hidden)" in caplog.text


def test_geneglobe_sheet_is_logged(tmp_path, caplog):
    path = _workbook(tmp_path / "gg.xlsx", {"summary": [["read set", "S1"]], "miRNA_piRNA": COUNTS_SHEET})
    with caplog.at_level(logging.INFO, logger="mirflow"):
        read_counts([path])
    assert "reading sheet 'miRNA_piRNA'" in caplog.text


def test_hidden_geneglobe_sheet_is_read_with_a_warning(tmp_path, caplog):
    path = _workbook(
        tmp_path / "gg.xlsx", {"front": [["x"]], "miRNA_piRNA": COUNTS_SHEET}, hidden={"miRNA_piRNA"}
    )
    with caplog.at_level(logging.INFO, logger="mirflow"):
        read_counts([path])
    assert any(r.levelname == "WARNING" and "is hidden" in r.getMessage() for r in caplog.records)


def test_only_a_hidden_count_sheet_is_refused(tmp_path):
    path = _workbook(
        tmp_path / "book.xlsx", {"notes": [["About"], ["text"]], "data": COUNTS_SHEET}, hidden={"data"}
    )
    message = _error(path)
    assert "sheet 'data' looks like a count table but is hidden" in message
    assert "unhide it" in message


def test_no_count_sheet_lists_the_sheets(tmp_path):
    path = _workbook(tmp_path / "book.xlsx", {"notes": [["About"], ["text"]], "empty": []})
    message = _error(path)
    assert (
        "does not look like a miRNA count table: no sheet does (sheets: 'notes': no name in column A"
        in message
    )
    assert "'empty': it is empty" in message


def test_table_away_from_a1_keeps_cell_names(tmp_path):
    path = tmp_path / "offset.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "counts"
    for r, row in enumerate([["miRNA", "S1", "S2"], ["hsa-miR-16-5p", 5, 6], ["hsa-miR-21-5p", 1, "n/a"]]):
        for c, value in enumerate(row):
            sheet.cell(row=r + 3, column=c + 2, value=value)
    book.save(path)
    assert "(sheet 'counts', row 5, column D 'S2'): the value 'n/a'" in _error(path)


def test_formula_without_saved_result(tmp_path):
    path = _workbook(
        tmp_path / "formula.xlsx",
        {"miRNA_piRNA": [["miRNA", "S1-UMIs"], ["hsa-miR-16-5p", 4], ["hsa-miR-21-5p", "=B2*2"]]},
    )
    message = _error(path)
    assert (
        "(sheet 'miRNA_piRNA', row 3, column B 'S1-UMIs'): a formula (=B2*2) without a saved result"
        in message
    )
    assert "Paste Special > Values" in message and "empty cell" not in message


def test_formula_with_saved_result_is_read(tmp_path):
    path = _workbook(tmp_path / "f.xlsx", {"miRNA_piRNA": [["miRNA", "S1-UMIs"], ["hsa-miR-16-5p", "=2+3"]]})
    _save_formula_results(path, {"=2+3": ("n", "5")})
    assert read_counts([path]).iat[0, 0] == 5


def test_formula_with_saved_excel_error(tmp_path):
    path = _workbook(tmp_path / "f.xlsx", {"miRNA_piRNA": [["miRNA", "S1-UMIs"], ["hsa-miR-16-5p", "=1/0"]]})
    _save_formula_results(path, {"=1/0": ("e", "#DIV/0!")})
    assert (
        "(sheet 'miRNA_piRNA', row 2, column B 'S1-UMIs'): the Excel error #DIV/0! from the formula =1/0"
        in (_error(path))
    )


def _save_formula_results(path: Path, results: dict[str, tuple[str, str]]) -> None:
    """Write the results Excel would have saved for formulas (openpyxl saves none)."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for formula, (kind, value) in results.items():
        cell = f"<f>{formula[1:]}</f><v />"
        assert cell in xml
        xml = xml.replace(cell, f"<f>{formula[1:]}</f><v>{value}</v>")
        if kind == "e":
            xml = xml.replace(f"><f>{formula[1:]}<", f' t="e"><f>{formula[1:]}<')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_na_text_in_a_workbook_is_text_not_an_empty_cell(tmp_path):
    path = _workbook(tmp_path / "na.xlsx", {"miRNA_piRNA": [["miRNA", "S1-UMIs"], ["hsa-miR-16-5p", "NA"]]})
    assert "(sheet 'miRNA_piRNA', row 2, column B 'S1-UMIs'): the value 'NA' where a number is expected" in (
        _error(path)
    )


def test_blank_rows_in_a_workbook_are_skipped_and_rows_keep_their_numbers(tmp_path):
    rows = [["miRNA", "S1"], ["hsa-miR-16-5p", 5], [], ["hsa-miR-21-5p", "x"]]
    path = _workbook(tmp_path / "gaps.xlsx", {"counts": rows})
    assert "(sheet 'counts', row 4, column B 'S1'): the value 'x'" in _error(path)


def test_empty_cell_in_a_workbook_is_still_an_empty_cell(tmp_path):
    path = _workbook(tmp_path / "e.xlsx", {"miRNA_piRNA": [["miRNA", "S1-UMIs"], ["hsa-miR-16-5p", None]]})
    assert "an empty cell where a number is expected. Fix: fill in 0" in _error(path)


# ---- shortcuts: the numbers and messages of the cell-by-cell reading ------------------


def test_workbook_numbers_read_as_their_text_reads(tmp_path):
    """Workbook numbers are taken as they are: the same table as read from its text."""
    rows = [
        ["miRNA", 2024, "S2"],
        ["hsa-miR-16-5p", 1.5, -0.0],
        [123, 1e20, 0.1],
        ["hsa-miR-21-5p", 7.0, 3.0],
    ]
    book = _workbook(tmp_path / "numbers.xlsx", {"counts": rows})
    text = tmp_path / "numbers.tsv"
    text.write_text("miRNA\t2024\tS2\nhsa-miR-16-5p\t1.5\t0\n123\t1e20\t0.1\nhsa-miR-21-5p\t7\t3\n")
    from_book, from_text = read_counts([book], kind="expression"), read_counts([text], kind="expression")
    pd.testing.assert_frame_equal(from_book, from_text)
    assert from_book.columns.tolist() == ["2024", "S2"] and "123" in from_book.index
    assert str(from_book.at["hsa-miR-16-5p", "S2"]) == "0.0"  # -0.0 reads as its text "0"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("007", 7), ("\u00a012 ", 12), (" 12", 12), ("12.0", 12), ("1e3", 1000)],
)
def test_count_text_reads_as_pandas_reads_it(tmp_path, cell, expected):
    path = tmp_path / "counts.tsv"
    path.write_text(f"mirna\tS1\tS2\nhsa-miR-16-5p\t{cell}\t1\nhsa-miR-21-5p\t5\t2\n")
    assert read_counts([path]).at["hsa-miR-16-5p", "S1"] == expected


def test_digits_of_other_scripts_are_not_counts(tmp_path):
    path = tmp_path / "arabic.tsv"
    path.write_text("mirna\tS1\nhsa-miR-16-5p\t\u0663\n")
    assert "(line 2, column 'S1'): the value '\u0663' where a number is expected" in _error(path)


def test_column_total_of_float_text_is_exact(tmp_path):
    path = tmp_path / "total.tsv"
    path.write_text("mirna\tS1\nhsa-miR-16-5p\t4503599627370498.0\nhsa-miR-21-5p\t4503599627370497.0\n")
    assert "the counts of column 'S1' add up to 9007199254740995, beyond 2^53" in _error(path)


def test_a_pipelines_table_read_as_a_plain_matrix_names_the_format_to_set():
    """nf-core/smrnaseq's table (samples as rows) named as counts.format: matrix."""
    path = Path(__file__).parents[2] / "fixtures/upstream/smrnaseq/mature_counts.csv"
    with pytest.raises(InputError) as error:
        read_counts([path], "matrix")
    message = str(error.value)
    assert "it looks like smrnaseq's own table, read here as counts.format: matrix" in message
    assert message.endswith("Fix: set counts.format: smrnaseq (or auto)")


def test_a_mirdeep2_table_read_as_a_matrix_blames_the_format_not_the_cell():
    """miRDeep2's table has miRNA names first, so it passes as a count table until a cell
    does not fit a matrix (a mature miRNA on several precursor rows, a precursor name read as
    a count): the fix is the format, not the cell."""
    path = (
        Path(__file__).parents[2]
        / "fixtures/upstream/mirdeep2/miRNAs_expressed_all_samples_27_11_2024_t_10_15_00.csv"
    )
    with pytest.raises(InputError) as error:
        read_counts([path], "matrix")
    message = str(error.value)
    assert "the miRNA name 'hsa-let-7a-5p' appears more than once (first at line 2)" in message
    assert "it looks like mirdeep2's own table, read here as counts.format: matrix" in message
    assert message.endswith("Fix: set counts.format: mirdeep2 (or auto)")
