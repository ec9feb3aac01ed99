"""Text files as users give them: the one decoder of the sample sheet and the count
tables (byte-order marks, UTF-8/16/32, what a binary file is), and places in them as a
spreadsheet shows them (column letters).

Every problem is an :class:`~mirflow.errors.InputError` naming the file, the line and the
byte that does not decode, and how to save the file instead.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from mirflow.errors import InputError

# byte-order mark -> (Python codec, name in messages); UTF-32 before UTF-16 (a prefix of it)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# the first bytes of files that are not text -> what they are
BINARY = (
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook?)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office file (an .xls workbook?)"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"%PDF", "a PDF document"),
)
SAVE_UTF8 = (
    "save the file as UTF-8 text (Excel: Save As 'CSV UTF-8' or 'Unicode Text'; LibreOffice: character "
    "set 'Unicode (UTF-8)'); UTF-8, and UTF-16 or UTF-32 with a byte-order mark, are read"
)
# Line ends as a spreadsheet counts rows (not str.splitlines, which also splits at \x0c, \x1e ...).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def binary_kind(data: bytes) -> str | None:
    """What a file that is not text is (a workbook, an archive, a PDF), from its first bytes."""
    return next((what for magic, what in BINARY if data.startswith(magic)), None)


def encoding(data: bytes) -> tuple[str, str, int]:
    """(Python codec, name in messages, length of the byte-order mark) of a file's bytes:
    by its byte-order mark, else UTF-8."""
    return next(
        ((codec, name, len(bom)) for bom, codec, name in BOMS if data.startswith(bom)), ("utf-8", "UTF-8", 0)
    )


def _line(text: str) -> int:
    """The line (1-based, any line break) at the end of ``text``."""
    return len(LINE_BREAK.split(text))


def decode(path: str | Path, data: bytes) -> str:
    """The text of a file: UTF-8 (with or without a byte-order mark), or UTF-16/32 with one.

    Refused, naming the line and byte offset: NUL bytes without a byte-order mark (UTF-16
    saved without one, or not a text file), and a byte that does not decode (with the
    word as Windows-1252 would read it, the usual cause).
    """
    codec, name, start = encoding(data)
    if not start:
        if b"\x00" in data:
            offset = data.index(b"\x00")
            raise InputError(
                path,
                "holds NUL bytes: it is UTF-16 text without a byte-order mark, or not a text file",
                SAVE_UTF8,
                where=f"line {_line(data[:offset].decode('utf-8', errors='replace'))}, byte offset {offset}",
            )
    try:
        text = data[start:].decode(codec)
    except UnicodeDecodeError as error:
        offset = start + error.start
        before = data[start:offset].decode(codec, errors="replace")
        problem = f"byte 0x{data[offset : offset + 1].hex().upper()} is not {name} text"
        if codec == "utf-8":
            word = (
                re.split(rb"[\s,;\t]", data[start : offset + 1])[-1]
                + re.split(rb"[\s,;\t]", data[offset + 1 :])[0]
            )
            problem += (
                " (the file is probably in a Windows/Latin-1 encoding, where it reads "
                f"'{word[-40:].decode('cp1252', errors='replace')}')"
            )
        raise InputError(
            path, problem, SAVE_UTF8, where=f"line {_line(before)}, byte offset {offset}"
        ) from None
    if "\x00" in text:
        raise InputError(
            path,
            "holds NUL characters: it is not a text file",
            SAVE_UTF8,
            where=f"line {_line(text[: text.index(chr(0))])}",
        )
    return text
