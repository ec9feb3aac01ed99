"""mirflow.io.text: the one decoder of the sample sheet and the count tables, and column
letters as a spreadsheet shows them."""

from __future__ import annotations

import codecs

import pytest

from mirflow.errors import InputError
from mirflow.io.text import binary_kind, column_letter, decode


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf8_and_utf16_32_with_a_byte_order_mark_decode(bom, codec):
    text = "sample\tgroup\nMüller\tNEC\n"
    assert decode("f.tsv", bom + text.encode(codec)) == text


def test_a_latin1_byte_names_line_offset_and_the_word_as_windows_reads_it():
    data = "a\tb\nx\ty\nGen\u00e8ve\tz\n".encode("latin-1")
    with pytest.raises(InputError) as error:
        decode("f.tsv", data)
    message = str(error.value)
    assert message.startswith("f.tsv (line 3, byte offset 11): byte 0xE8 is not UTF-8 text")
    assert "Windows/Latin-1 encoding, where it reads 'Gen\u00e8ve'" in message
    assert "save the file as UTF-8 text" in message


def test_nul_bytes_without_a_byte_order_mark_are_refused():
    with pytest.raises(InputError, match=r"\(line 2, byte offset 6\): holds NUL bytes: it is UTF-16"):
        decode("f.tsv", b"abc\r\nd\x00e")
    with pytest.raises(InputError, match=r"\(line 1\): holds NUL characters: it is not a text file"):
        decode("f.tsv", codecs.BOM_UTF8 + b"a\x00b")


def test_binary_files_are_named_by_their_first_bytes():
    assert binary_kind(b"PK\x03\x04rest") == "a zip archive (an .xlsx workbook?)"
    assert binary_kind(b"%PDF-1.4") == "a PDF document"
    assert binary_kind(b"mirna,S1\n") is None
