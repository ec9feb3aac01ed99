"""mirflow.io.sheet: the sample sheet read as a spreadsheet shows it. Hostile sheets are one
clear message (file, row/column as a spreadsheet shows them, what is wrong, the fix); never a
silent drop, rename or reinterpretation (issue 10, part 1). Contrast labels by the config's
levels."""

from __future__ import annotations

import codecs
import logging

import numpy as np
import pytest
from conftest import ROOT, check_sheet

from mirflow.errors import InputError
from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.settings import ContrastSettings

SHEET = """# a comment line: row 1
sample\tgroup\tage\tsex\tpfs\tpfs_event
A\tNEC\t60.5\tF\t5\t1
B\thealthy\t35\tM\tNA\tNA
C\tNEC\t70\tM\t12\t0
D\thealthy\t50\tF\t\t
E\tNEC\t66\tF\t3\t1
F\thealthy\t41\tM\t\t
"""


def _write(tmp_path, text=SHEET, name="samples.tsv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _replace(old, new, text=SHEET):
    assert old in text
    return text.replace(old, new, 1)


def _error(tmp_path, text, **write) -> str:
    with pytest.raises(InputError) as error:
        check_sheet(read_sample_sheet(_write(tmp_path, text, **write)))
    return str(error.value)


# ---- encoding, empty files, directories -------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_utf8_and_utf16_with_bom_are_read(tmp_path, encoding, bom):
    text = _replace("F\t5\t1", "F\u00e9\t5\t1")  # a non-ASCII cell
    path = tmp_path / "samples.tsv"
    path.write_bytes(bom + text.replace("\n", "\r\n").encode(encoding))
    sheet = read_sample_sheet(path)
    assert list(sheet.index) == list("ABCDEF") and sheet.at["A", "sex"] == "F\u00e9"
    assert sheet.at["A", "age"] == 60.5 and sheet.columns[0] == "group"
    check_sheet(sheet)


def test_latin1_sheet_names_the_byte_and_the_fix(tmp_path):
    path = tmp_path / "samples.tsv"
    path.write_bytes(_replace("E\tNEC\t66\tF", "E\tNEC\t66\tSoci\u00e9t\u00e9").encode("latin-1"))
    with pytest.raises(InputError) as error:
        read_sample_sheet(path)
    message = str(error.value)
    # the row as a spreadsheet counts it (the file's line) and the byte, as every text file's
    assert "samples.tsv (line 7, byte offset 143): byte 0xE9 is not UTF-8 text" in message
    assert "Soci\u00e9t\u00e9" in message and "save the file as UTF-8" in message


def test_utf16_without_bom_is_refused(tmp_path):
    path = tmp_path / "samples.tsv"
    path.write_bytes(SHEET.encode("utf-16-le"))
    with pytest.raises(
        InputError,
        match=r"\(line 1, byte offset 1\): .* UTF-16 text without a byte-order mark.*save the file as UTF-8",
    ):
        read_sample_sheet(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the sheet is empty"),
        ("\n  \n", "the sheet is empty"),
        ("# only a comment\n\n", "no header line"),
        ("# comment\nsample\tgroup\n", r"no sample rows below the header \(row 2\)"),
    ],
)
def test_empty_sheets(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        read_sample_sheet(_write(tmp_path, text))


def test_directory_and_workbook_as_sheet(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a sample sheet file"):
        read_sample_sheet(tmp_path)
    with pytest.raises(
        InputError,
        match=r"is a zip archive \(an \.xlsx workbook\?\), not a tab-separated.*save the sheet as UTF-8 text",
    ):
        read_sample_sheet(ROOT / "resources/demo/demo_geneglobe.xlsx")


# ---- delimiter, header, rows -------------------------------------------------------------


@pytest.mark.parametrize(("mark", "name"), [(",", "comma"), (";", "semicolon")])
def test_sheet_not_tab_separated(tmp_path, mark, name):
    text = SHEET.replace("\t", mark)
    with pytest.raises(InputError) as error:
        read_sample_sheet(_write(tmp_path, text))
    message = str(error.value)
    assert (
        f"(row 2): the sheet is not tab-separated: the header is one column named 'sample{mark}group"
        in message
    )
    assert f"{name}-separated" in message and "separate the columns with tabs" in message


def test_one_row_not_tab_separated(tmp_path):
    text = _replace("C\tNEC\t70\tM\t12\t0", "C,NEC,70,M,12,0")
    with pytest.raises(InputError, match=r"\(row 5\): the row is not tab-separated"):
        read_sample_sheet(_write(tmp_path, text))


def test_extra_cells_and_unnamed_columns(tmp_path):
    with pytest.raises(
        InputError, match=r"\(row 5, column G\): the row has a cell in column G, beyond the 6"
    ):
        read_sample_sheet(_write(tmp_path, _replace("C\tNEC\t70\tM\t12\t0", "C\tNEC\t70\tM\t12\t0\tx")))
    # Trailing empty cells (spreadsheet exports) are fine; so is an unnamed, empty column.
    text = SHEET.replace("\n", "\t\n").replace("sample\tgroup\tage", "sample\tgroup\t\tage")
    text = text.replace("\tNEC\t", "\tNEC\t\t").replace("\thealthy\t", "\thealthy\t\t")
    assert list(read_sample_sheet(_write(tmp_path, text)).columns) == [
        "group",
        "age",
        "sex",
        "pfs",
        "pfs_event",
    ]
    text = text.replace("A\tNEC\t\t", "A\tNEC\tx\t")
    with pytest.raises(
        InputError, match=r"\(row 2, column C\): column C has values \(first in row 3\) but no name"
    ):
        read_sample_sheet(_write(tmp_path, text))


def test_duplicate_header_names_both_columns(tmp_path):
    text = SHEET.replace("\n", "\t1\n").replace("pfs_event\t1\n", "pfs_event\tage\n")
    message = _error(tmp_path, text)
    assert "(row 2, columns C and G): columns C and G are both named 'age'" in message
    assert "give every column its own name" in message


def test_sample_header_spelt_otherwise(tmp_path):
    with pytest.raises(InputError, match=r"no 'sample' column.*rename column 'Sample' to 'sample'"):
        read_sample_sheet(_write(tmp_path, _replace("sample\tgroup", "Sample\tgroup")))


def test_unclosed_quote(tmp_path):
    with pytest.raises(
        InputError, match=r'\(row 4\): a double quote \("\) is not used as in a tab-separated'
    ):
        read_sample_sheet(_write(tmp_path, _replace("B\thealthy", 'B\t"healthy')))


def test_rows_count_comment_lines_and_hash_inside_cells_is_text(tmp_path):
    text = _replace("E\tNEC\t66\tF", "E\tNEC\t66\tF#2").replace("B\thealthy", "# dropped B\n\nB\thealthy")
    sheet = read_sample_sheet(_write(tmp_path, text))
    assert sheet.at["E", "sex"] == "F#2"
    assert sheet.attrs["rows"] == {"A": 3, "B": 6, "C": 7, "D": 8, "E": 9, "F": 10}


MINIMAL = """# comment lines are skipped
sample\tgroup\tage\tpfs\tpfs_event
A\tNEC\t60\t5\t1
B\thealthy\t35\tNA\tNA
C\tNEC\t70\t12\t0
D\tother\t50\t\t
"""


def test_reads_comments_and_missing_values(tmp_path):
    sheet = read_sample_sheet(_write(tmp_path, MINIMAL))
    assert list(sheet.index) == ["A", "B", "C", "D"]
    assert np.isnan(sheet.at["D", "pfs"]) and np.isnan(sheet.at["B", "pfs"])
    check_sheet(sheet)


# ---- sample ids ----------------------------------------------------------------------------


def test_empty_sample_id(tmp_path):
    message = _error(tmp_path, _replace("C\tNEC", "\tNEC"))
    assert "(row 5, column A 'sample'): empty sample id" in message and "or delete the row" in message


@pytest.mark.parametrize("sample", ["NA", "null", "NaN", "N/A", "None"])
def test_missing_value_words_as_sample_ids_are_refused(tmp_path, sample):
    message = _error(tmp_path, _replace("C\tNEC", f"{sample}\tNEC"))
    assert f"(row 5, column A 'sample'): the sample id '{sample}' reads as a missing value" in message
    assert f"rename the sample (e.g. '{sample}_1')" in message


def test_sample_ids_are_text(tmp_path):
    text = SHEET.replace("A\tNEC", "007\tNEC").replace("B\thealthy", "1e3\thealthy")
    assert list(read_sample_sheet(_write(tmp_path, text)).index[:2]) == ["007", "1e3"]


def test_duplicate_sample_ids_name_both_rows(tmp_path):
    message = _error(tmp_path, _replace("E\tNEC", "A\tNEC"))
    assert "(row 7, column A 'sample'): sample id 'A' appears more than once (rows 3 and 7)" in message


def test_duplicate_sample_ids(tmp_path):
    with pytest.raises(InputError, match="sample id 'A' appears more than once"):
        read_sample_sheet(_write(tmp_path, MINIMAL + "A\tNEC\t1\t1\t1\n"))


# ---- contrast levels: whitespace, numbers --------------------------------------------------


def test_spaces_around_cells_are_removed_with_a_warning(tmp_path, caplog):
    text = _replace("C\tNEC\t70", "C\tNEC \t 70").replace("sex\tpfs", " sex \tpfs")
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        sheet = read_sample_sheet(_write(tmp_path, text))
    assert contrast_labels(sheet, ContrastSettings("group", "NEC", "healthy"))["C"] == "case"
    assert sheet.at["C", "age"] == 70 and "sex" in sheet.columns
    assert "removed spaces around the text of 3 cell(s)" in caplog.text
    assert "row 2, column D: ' sex '" in caplog.text and "row 5, column B 'group': 'NEC '" in caplog.text
    caplog.clear()
    read_sample_sheet(_write(tmp_path, text), warn=False)
    assert caplog.text == ""


def test_numeric_levels_match_numbers(tmp_path):
    text = SHEET.replace("\tNEC\t", "\t1\t").replace("\thealthy\t", "\t0\t").replace("F\thealthy", "F\tNA")
    text = text.replace("F\t0\t", "F\t\t")
    sheet = read_sample_sheet(_write(tmp_path, text))  # a float column (it has a missing value)
    labels = contrast_labels(
        sheet, ContrastSettings.from_params({"column": "group", "case": 1, "control": 0.0})
    )
    assert labels.tolist()[:5] == ["case", "control", "case", "control", "case"] and labels.isna().iloc[5]
