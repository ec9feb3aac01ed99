"""Readers for the count tables that small-RNA pipelines write themselves.

Users of nf-core/smrnaseq, mirtop, miRge, sRNAbench and miRDeep2 point ``counts.path`` at
the pipeline's own table; no reshaping by hand (nf-core/smrnaseq#130,
bcbio-nextgen#2893, mirdeep2#124). Each format has a recogniser (:func:`recognise`,
:func:`sniff`, which ``counts.format: auto`` asks before it falls back to the generic
matrix) and a reader (:func:`read_upstream`); each is named by a string that
``counts.format`` accepts: ``smrnaseq``, ``mirtop``, ``mirge3``, ``srnabench``,
``mirdeep2``. A reader returns the contract of :mod:`mirflow.io.counts`: index the
feature names as given (str), columns the sample ids (str), int64 counts; anything it
cannot use is an :class:`InputError` naming the file, the line and column (1-based,
as a text editor shows them) and the fix. Names are harmonised afterwards
(:mod:`mirflow.io.names`).

Layouts, as the tools' own code writes them:

``smrnaseq``
    ``mature_counts.csv`` / ``hairpin_counts.csv`` (``results/mirna_quant/edger_qc/`` in
    2.x): nf-core/smrnaseq ``bin/edgeR_miRBase.r`` builds a miRNA x sample table from
    the samtools idxstats files and writes ``write.csv(t(data))``: samples as ROWS,
    miRNAs as columns, R's quoting (header ``"","hsa-let-7a-5p",...``, rows
    ``"Clone1_N1",1520,...``). Read transposed (logged). ``*_logtpm.csv`` has the same
    layout but log10 TPM: its negative or fractional values are refused with a pointer
    to ``mature_counts.csv``.
``mirtop``
    ``mirtop counts`` (mirtop ``mirtop/gff/convert.py``): ``UID Read miRNA Variant
    iso_5p iso_3p iso_add3p iso_snp`` (+ ``iso_5p_nt iso_3p_nt iso_add3p_nt
    iso_snp_nt`` with ``--add-extra``), then one column per sample, one row per isomiR
    (sequence) and miRNA. nf-core/smrnaseq joins the per-sample tables into
    ``mirna_quant/mirtop/joined_samples_mirtop.tsv`` (same columns; 2.4 ``CSVTK_JOIN``,
    later ``bin/pivot_wider.R``). Since mirtop 0.4.27 the table is written by pandas
    from one column holding all samples joined by tabs, so a multi-sample GFF gives a
    quoted header cell ``"S1<TAB>S2"`` and quoted cells ``"66<TAB>33"``; they are split.
    ``mirtop export --format isomir`` (``mirtop/exporter/isomirs.py``, nf-core
    ``mirtop_rawData.tsv``): ``seq mir mism add t5 t3`` then the samples. Explicitly
    named, nf-core's ``mirna.tsv`` (``bin/collapse_mirtop.r``: ``miRNA`` then the
    samples, already summed) is read as it is.
``mirge3``
    ``miR.Counts.csv``: miRge3.0 ``mirge/libs/summary.py`` writes a pandas frame, index
    ``miRNA``, one column per sample (FASTQ stem), counts as floats (``1203.0``), and
    merged names for miRNAs whose reads cannot be told apart (``hsa-let-7a-5p/7c-5p``,
    ``hsa-miR-103a-3p/107``); their members never appear as rows of their own. miRge2.0
    (``src/mirge/utils/writeDataToCSV.py``) writes integers and, as the first data row,
    the summary row ``miRNAtotal`` (the sample's filtered miRNA reads), dropped here.
``srnabench``
    Per sample (sRNAbench ``libs/Util.getGroupedHeader``, jar in bioinfoUGR/sRNAtoolbox
    ``exec/sRNAbench.jar``): ``mature_sense.grouped`` = ``name  unique reads  read
    count  read count (mult. map. adj.)  RPM (lib)  RPM (total)  coordinateString
    RPM_adj (lib)  RPM_adj (total)``, one row per mature miRNA x precursor (the same
    mature several times, its reads counted at every locus); ``mature_sense_SA.grouped``
    (``libs/Stat.makeNonRedundant``): ``... read count (SA)  read count (MA) ...``, every
    read assigned to one row only, rows 7 fields long under a 9-column header. The
    sample id is the sRNAbench output folder (the file's directory). Multi-sample
    (sRNAde ``DEutil.makeExpressionMatrix``): ``<file>_minExpr<n>_RCadj.mat`` (or
    ``_RC.mat``): ``name`` then one column per sample, a name's rows already combined;
    with ``genomeFiles=true`` a row is ``<miRNA>#<locus>`` written as ``<miRNA>|<locus>``
    (the locus text was not checked: only the part before ``|`` is used).
``mirdeep2``
    ``miRNAs_expressed_all_samples_<time>.csv`` (miRDeep2 ``src/quantifier.pl``,
    ``PrintExpressionValuesSamples``): TAB-separated despite the name, header ``#miRNA
    read_count  precursor  total  <s1> ... <s1>(norm) ...``, one row per mature x
    precursor, counts ``%.2f`` (``0`` for none). The raw sample columns are read, never
    the ``(norm)`` ones.

Sum or maximum:

* rows that count the SAME molecules under one name keep the per-sample MAXIMUM, the
  rule of :func:`mirflow.io.names.harmonise` for duplicated names: miRDeep2's and
  sRNAbench's mature x precursor rows (a read on both hsa-mir-16-1 and hsa-mir-16-2 is
  counted in both rows; miRDeep2's authors: sum only with ``quantifier.pl -W``), a
  mirtop sequence listed twice for one miRNA (one row per precursor or annotation), an
  sRNAde genome-mode ``<miRNA>|<locus>`` row;
* rows that count DIFFERENT molecules of one miRNA are SUMMED: mirtop's isomiRs are
  distinct sequences (distinct reads) of one mature miRNA, so its count is their sum,
  as nf-core's ``collapse_mirtop.r`` does; sRNAbench's single-assignment rows hold
  disjoint reads, so they are summed too. A sequence annotated to two miRNAs counts for
  each (collapse_mirtop.r keeps only the first: its ``mirna.tsv`` can differ there);
* merged miRge names are kept as given (the harmoniser keeps merged names) and never
  split into their members, so no read is counted twice.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from mirflow.errors import InputError
from mirflow.io.text import binary_kind, decode, encoding

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("smrnaseq", "mirtop", "mirge3", "srnabench", "mirdeep2")
TOOLS = {
    "smrnaseq": "nf-core/smrnaseq",
    "mirtop": "mirtop",
    "mirge3": "miRge",
    "srnabench": "sRNAbench/sRNAde",
    "mirdeep2": "miRDeep2",
}
# Doubles hold every whole number up to 2^53 exactly (as in mirflow.io.counts).
MAX_EXACT = 2**53
_EXCEL = {".xlsx", ".xlsm", ".xls"}
_HEAD_BYTES = 1 << 18
_HEAD_LINES = 200
FILL_ZERO = "fill in 0 for an undetected miRNA and remove text from the count columns"
AUTO = "set counts.format to the tool that wrote the file, or to auto"
LOGTPM = (
    "nf-core/smrnaseq writes raw counts to mature_counts.csv (mature_logtpm.csv holds log10 TPM): "
    "point counts.path at mature_counts.csv"
)
# Any species' miRBase or MirGeneDB name: hsa-miR-21-5p, hsa-let-7a-1, Hsa-Mir-21_5p, cel-lin-4-5p.
_MIRNA_NAME = re.compile(r"^(?:[A-Za-z]{3,4}-)?(?:mir|let|lin|bantam)-\w", re.IGNORECASE)
_MERGE_PREFIX = re.compile(r"^(.*?-(?:mir|let)-)", re.IGNORECASE)
_GENEGLOBE_SUFFIX = re.compile(r"-(UMIs|READs)$", re.IGNORECASE)
_MIRTOP_COUNTS = ["UID", "Read", "miRNA", "Variant"]
_MIRTOP_ISOMIRS = ["seq", "mir", "mism", "add", "t5", "t3"]
_GROUPED = ["name", "unique reads", "read count"]
_GROUPED_SA = ["name", "unique reads", "read count (SA)"]
_MIRDEEP2 = ["#miRNA", "read_count", "precursor", "total"]
_MIRGE_SUMMARY = {"mirnatotal"}
# Anything but ASCII digits, sign, point, exponent, blanks and the cell separator (NUL):
# such cells are read one by one (pandas' rules), where an unusable one is named.
_NOT_PLAIN = re.compile(r"[^0-9eE+\-. \t\x00]")
# sRNAbench names its profiles <library>_sense.grouped, <library>_antisense_SA.grouped, ...
_SRNABENCH_FILE = re.compile(r"_(?:anti)?sense(?:_SA|_singleA)?$")


# ---- text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rows:
    """The non-blank rows of a text table (header first) and their 1-based line numbers."""

    path: Path
    rows: list[list[str]]
    lines: list[int]

    @property
    def header(self) -> list[str]:
        return [cell.strip() for cell in self.rows[0]]

    def cell(self, row: int, column: int, name: str) -> str:
        """A cell as the user finds it: text line, field number and the column's header."""
        return f"line {self.lines[row]}, column {column + 1} '{name}'"

    def head(self, column: int | None = None) -> str:
        where = f"header, line {self.lines[0]}"
        return where if column is None else f"{where}, column {column + 1}"

    def line(self, row: int) -> str:
        return f"line {self.lines[row]}"


def _decode(path: Path, data: bytes) -> str:
    """The text of a table (:func:`mirflow.io.text.decode`), refusing an empty or binary file."""
    if not data.strip():
        raise InputError(
            path,
            "is empty" + (" (0 bytes)" if not data else " (only blank space)"),
            "point counts.path at the count table the pipeline wrote",
        )
    what = binary_kind(data)
    if what is not None:
        raise InputError(
            path,
            f"is {what}, not the pipeline's text table",
            "decompress it, or point counts.path at the text table the pipeline wrote",
        )
    return decode(path, data)


def _split(path: Path, text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Fields of every non-blank line (csv quoting rules) and the line each row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                lines.append(start + 1)
            start = reader.line_num
    except csv.Error as exc:
        raise InputError(
            path,
            f"cannot be split into fields ({exc})",
            'check the quotes on this line (a field opened with " must be closed)',
            where=f"line {start + 1}",
        ) from None
    return rows, lines


def _load(path: Path, delimiter: str, fmt: str) -> _Rows:
    """All rows of a table the tool writes with ``delimiter``; at least a header and one row."""
    if not path.exists():
        raise InputError(path, "file not found", "check counts.path in the config")
    if path.is_dir():
        raise InputError(path, "is a directory, not a count file", "give the count file(s) in counts.path")
    rows, lines = _split(path, _decode(path, path.read_bytes()), delimiter)
    if not rows:
        raise InputError(path, "has no rows (only empty fields)", "point counts.path at the count table")
    table = _Rows(path, rows, lines)
    separator, other = ("tab", ",") if delimiter == "\t" else ("comma", "\t")
    if len(rows[0]) == 1 and other in rows[0][0]:
        # A one-field header without the other separator is a header without sample
        # columns, which the format's reader reports.
        raise InputError(
            path,
            f"has a single column: {TOOLS[fmt]} separates its fields by {separator}s, this file does not"
            + _looks_like(path, fmt),
            f"point counts.path at the table {TOOLS[fmt]} wrote, unchanged; {AUTO}",
            where=table.head(),
        )
    if len(rows) < 2:
        raise InputError(path, "has a header but no data rows", f"export the {TOOLS[fmt]} table again")
    return table


def _head_text(path: Path) -> str | None:
    """The decoded start of a file, or None when it cannot be decoded."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    codec, _, start = encoding(data)
    try:
        text = codecs.getincrementaldecoder(codec)().decode(data[start:], final=False)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


# ---- recognition --------------------------------------------------------------------


def _n(count: int, word: str) -> str:
    """'1 row', '2 rows'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def _share(names: Sequence[str], test: Callable[[str], bool]) -> float:
    return sum(map(test, names)) / len(names) if names else 0.0


def _is_mirna(name: str) -> bool:
    return bool(_MIRNA_NAME.match(name.strip()))


def _is_merged(name: str) -> bool:
    """A miRge merged name such as hsa-let-7a-5p/7c-5p."""
    return "/" in name and _is_mirna(name)


def recognise(path: str | Path, head: Sequence[str]) -> str | None:
    """The upstream format of a text table from its first lines, or None.

    ``head`` is the decoded text of the first lines (a few dozen are enough: miRge's
    ``miRNAtotal`` row and, in its sorted rows, the first merged names come early). A
    plain matrix (first column names, one column per sample) and GeneGlobe exports are
    never claimed: those are left to :mod:`mirflow.io.counts`.
    """
    path = Path(path)
    if path.suffix.lower() in _EXCEL:
        return None
    lines = [line.lstrip("\ufeff") for line in head if line.strip()]
    if not lines:
        return None
    delimiter = "\t" if "\t" in lines[0] else ","
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None
    header = [cell.strip() for cell in rows[0]]
    body = [row for row in rows[1:] if row]
    lowered = [cell.lower() for cell in header]
    if len(header) < 2 or ("name" in lowered and "count" in lowered):
        return None
    if any(_GENEGLOBE_SUFFIX.search(cell) for cell in header[1:]):
        return None
    if delimiter == "\t":
        if header[:4] == _MIRDEEP2 and any(cell.endswith("(norm)") for cell in header):
            return "mirdeep2"
        if header[:4] == _MIRTOP_COUNTS or header[:6] == _MIRTOP_ISOMIRS:
            return "mirtop"
        if header[:3] in (_GROUPED, _GROUPED_SA):
            return "srnabench"
        if path.suffix.lower() == ".mat" and header[0] == "name":
            return "srnabench"
        return None
    first = [row[0].strip() for row in body]
    if header[0] == "" and body:
        # write.csv(t(counts)): miRNAs across the header, sample ids down the first column.
        if _share(header[1:], _is_mirna) >= 0.5 and _share(first, _is_mirna) < 0.5:
            return "smrnaseq"
    if header[0] == "miRNA" and any(name.lower() in _MIRGE_SUMMARY or _is_merged(name) for name in first):
        return "mirge3"
    return None


def sniff(path: str | Path) -> str | None:
    """:func:`recognise` on the first lines of the file itself (None for a workbook, a
    missing or undecodable file: the generic reader then says what is wrong)."""
    path = Path(path)
    if path.suffix.lower() in _EXCEL or not path.is_file():
        return None
    text = _head_text(path)
    if text is None:
        return None
    return recognise(path, text.splitlines()[:_HEAD_LINES])


def mapped_sample(path: str | Path, file_to_sample: Mapping[str, str]) -> str | None:
    """The sample id the sheet's ``file`` column gives this file (by path, name, stem or
    its folder, the sRNAbench output folder), or None when it gives none."""
    path = Path(path)
    keys = [str(path), path.name, path.stem]
    if path.name.endswith(".grouped"):
        keys.append(path.resolve().parent.name)
    for key in keys:
        if key in file_to_sample:
            return file_to_sample[key]
    return None


# ---- numbers ------------------------------------------------------------------------


def _beyond_exact(text: str) -> bool:
    """Whether a number, compared exactly as written, lies beyond +-2^53."""
    try:
        return abs(Decimal(text)) > MAX_EXACT
    except InvalidOperation:
        return True


def _plain_numbers(table: _Rows, rows: Sequence[int], columns: Sequence[int]) -> np.ndarray | None:
    """The cells of adjacent columns parsed in one go when all of them are plain decimal
    numbers (the usual case, and fast for a large isomiR table); None otherwise, when the
    cell-by-cell reading finds and names the unusable cell."""
    if not rows or list(columns) != list(range(columns[0], columns[-1] + 1)):
        return None
    first, stop = columns[0], columns[-1] + 1
    block = [table.rows[row][first:stop] for row in rows]
    if _NOT_PLAIN.search("\x00".join(chain.from_iterable(block))):
        return None
    try:
        return np.array(block, dtype=np.float64).reshape(len(rows), len(columns))
    except ValueError:
        return None


def _numbers(
    table: _Rows,
    rows: Sequence[int],
    columns: Sequence[int],
    names: Sequence[str],
    kind: str,
    hint: str,
    negative: str = "counts are >= 0: check the table",
) -> np.ndarray:
    """The cells (rows x columns of ``table.rows``) as floats, refusing the first cell
    (row by row) that is not a usable count: empty, text, infinite, negative, beyond
    2^53 or (for counts) not whole. ``hint`` is the format's fix for fractions,
    ``negative`` its fix for negative values."""
    values = _plain_numbers(table, rows, columns)
    if values is None:
        values = np.empty((len(rows), len(columns)))
        for j, column in enumerate(columns):
            cells = pd.Series([table.rows[row][column].strip() for row in rows], dtype=object)
            values[:, j] = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float)

    def text(i: int, j: int) -> str:
        return table.rows[rows[i]][columns[j]].strip()

    # a float rounds 2^53 + 1 to 2^53: the few cells that large are compared as written
    beyond = np.zeros(values.shape, dtype=bool)
    for i, j in np.argwhere(np.abs(values) >= MAX_EXACT):
        beyond[i, j] = _beyond_exact(text(int(i), int(j)))
    finite = np.isfinite(values)
    checks: list[tuple[np.ndarray, str, str]] = [
        (~finite, "", FILL_ZERO),
        (finite & (values < 0), "a negative count ({value})", negative),
        (
            finite & beyond,
            "a count too large to hold exactly ({value}; the limit is 2^53)",
            "check the table: no sequencing count is this large",
        ),
    ]
    if kind == "counts":
        checks.append(
            (
                finite & (values != np.round(values)),
                "a count that is not a whole number ({value})",
                hint + "; for normalised values set counts.kind: expression",
            )
        )
    for bad, problem, fix in checks:
        if bad.any():
            i, j = (int(k) for k in np.argwhere(bad)[0])
            cell = text(i, j)
            if not problem:
                problem = "an empty cell" if cell == "" else f"the value '{cell}' where a count is expected"
            raise InputError(
                table.path,
                problem.format(value=cell),
                fix,
                where=table.cell(rows[i], columns[j], names[j]),
            )
    return values


def _collapse(
    names: Sequence[str], values: np.ndarray, how: str, keys: Sequence[str] | None = None
) -> tuple[list[str], np.ndarray, int]:
    """Rows of one name (or one (name, key) pair) combined by their per-sample maximum or
    sum, in the order names first appear; also how many rows were folded into others."""
    frame = pd.DataFrame(values)
    by = [pd.Series(list(names), name="name")]
    if keys is not None:
        by.append(pd.Series(list(keys), name="key"))
    grouped = frame.groupby(by, sort=False)
    combined = grouped.max() if how == "max" else grouped.sum()
    collapsed = combined.index.get_level_values(0) if keys is not None else combined.index
    return [str(name) for name in collapsed], combined.to_numpy(dtype=float), len(frame) - len(combined)


def _frame(
    table: _Rows, names: Sequence[str], samples: Sequence[str], values: np.ndarray, kind: str
) -> pd.DataFrame:
    """The features x samples table of the contract (int64 counts), refusing totals past 2^53."""
    totals = values.sum(axis=0)
    if (totals > MAX_EXACT).any():
        j = int(np.argmax(totals > MAX_EXACT))
        raise InputError(
            table.path,
            f"the counts of sample '{samples[j]}' add up to more than 2^53, where totals are no longer exact",
            "check the table: no library has this many reads",
        )
    return pd.DataFrame(
        values.astype(np.int64) if kind == "counts" else values,
        index=pd.Index(list(names), name="feature", dtype=object),
        columns=pd.Index(list(samples), name="sample", dtype=object),
    )


# ---- shared checks ------------------------------------------------------------------


def _check_width(table: _Rows, width: int, at_least: int | None = None) -> None:
    """Every data row as wide as the header (with ``at_least``: from that many fields up to
    the header's width)."""
    low = width if at_least is None else at_least
    for i in range(1, len(table.rows)):
        n = len(table.rows[i])
        if not low <= n <= width:
            expected = f"{width}" if at_least is None else f"{at_least} to {width}"
            raise InputError(
                table.path,
                f"has {n} fields where {expected} are expected from the header",
                "make every row as long as the header (the pipeline's own table is: was it edited?)",
                where=table.line(i),
            )


def _repeat(items: Sequence[str]) -> tuple[str, int] | None:
    """The first item that occurs again, and the position of its second occurrence."""
    seen: set[str] = set()
    for k, item in enumerate(items):
        if item in seen:
            return item, k
        seen.add(item)
    return None


def _check_samples(table: _Rows, samples: Sequence[str], columns: Sequence[int]) -> None:
    """Sample ids present and unique."""
    if not samples:
        raise InputError(
            table.path,
            "has a header without sample columns",
            f"export the table again with its sample columns; {AUTO}",
            where=table.head(),
        )
    for sample, column in zip(samples, columns, strict=True):
        if sample == "":
            raise InputError(
                table.path,
                "a sample column without a name",
                "name every sample column",
                where=table.head(column),
            )
    repeat = _repeat(samples)
    if repeat is not None:
        raise InputError(
            table.path,
            f"the sample '{repeat[0]}' appears more than once",
            "give every sample a unique name",
            where=table.head(columns[repeat[1]]),
        )


def _check_names(table: _Rows, names: Sequence[str], rows: Sequence[int], column: int, what: str) -> None:
    """A name on every row."""
    for name, row in zip(names, rows, strict=True):
        if name == "":
            raise InputError(
                table.path,
                f"a row without a {what}",
                f"give every row a {what} (the pipeline's own table does; was it edited?)",
                where=table.cell(row, column, table.header[column] or "name"),
            )


def _refuse_duplicates(
    table: _Rows, names: Sequence[str], rows: Sequence[int], column: int, tool: str
) -> None:
    """A table that lists every miRNA once must not list one twice."""
    seen: dict[str, int] = {}
    for name, row in zip(names, rows, strict=True):
        if name in seen:
            raise InputError(
                table.path,
                f"the miRNA '{name}' appears more than once (first at {table.line(seen[name])}); "
                f"{tool} lists every miRNA once",
                "remove the repeated row, or export the table again",
                where=table.cell(row, column, table.header[column] or "name"),
            )
        seen[name] = row


def _looks_like(path: Path, fmt: str) -> str:
    """' (it looks like a <tool> table: counts.format: <name>)' when another recogniser
    claims the file, else ''."""
    found = sniff(path)
    if found is None or found == fmt:
        return ""
    return f" (it looks like a {TOOLS[found]} table: counts.format: {found})"


def _wrong_layout(table: _Rows, fmt: str, expected: str) -> InputError:
    """The error for a file that is not the named format, saying what it looks like."""
    seen = ", ".join(table.header[:6]) + (", ..." if len(table.header) > 6 else "")
    problem = f"is not a {TOOLS[fmt]} table: its header starts '{seen}' where {expected} is expected"
    return InputError(table.path, problem + _looks_like(table.path, fmt), AUTO, where=table.head())


def _warn_precursors(path: Path, names: Sequence[str]) -> None:
    """Say so when a table counts precursors (hairpins), not mature miRNAs."""
    if path.name.lower().startswith("hairpin") or _share(names, lambda name: "-mir-" in name) >= 0.5:
        log.warning(
            "%s holds precursor (hairpin) counts such as '%s'; the analysis models mature miRNAs: "
            "point counts.path at the mature table",
            path,
            names[0] if names else "",
        )


# ---- nf-core/smrnaseq ---------------------------------------------------------------


def _smrnaseq(path: Path, kind: str) -> pd.DataFrame:
    """edgeR_miRBase.r's ``write.csv(t(data))``: samples down, miRNAs across; transposed."""
    table = _load(path, ",", "smrnaseq")
    if len(table.rows[0]) == len(table.rows[1]) - 1:
        # written without the row names' empty header cell (write.table(col.names=TRUE))
        table = _Rows(path, [["", *table.rows[0]], *table.rows[1:]], table.lines)
    header = table.header
    if header[0] != "" or _share(header[1:], _is_mirna) < 0.5:
        raise _wrong_layout(table, "smrnaseq", "an empty cell then miRNA names (samples as rows)")
    _check_width(table, len(header))
    mirnas, columns = header[1:], list(range(1, len(header)))
    for name, column in zip(mirnas, columns, strict=True):
        if name == "":
            raise InputError(
                path, "a miRNA column without a name", "name every miRNA column", where=table.head(column)
            )
    repeat = _repeat(mirnas)
    if repeat is not None:
        raise InputError(
            path,
            f"the miRNA '{repeat[0]}' appears more than once",
            "keep one column per miRNA",
            where=table.head(columns[repeat[1]]),
        )
    rows = list(range(1, len(table.rows)))
    samples = [table.rows[i][0].strip() for i in rows]
    _check_names(table, samples, rows, 0, "sample id")
    repeat = _repeat(samples)
    if repeat is not None:
        raise InputError(
            path,
            f"the sample '{repeat[0]}' appears more than once",
            "keep one row per sample",
            where=table.cell(rows[repeat[1]], 0, "sample"),
        )
    values = _numbers(
        table,
        rows,
        columns,
        mirnas,
        kind,
        LOGTPM,
        LOGTPM,
    )
    log.info(
        "%s: nf-core/smrnaseq edgeR table has samples as rows: transposed to %d miRNAs x %d samples",
        path,
        len(mirnas),
        len(samples),
    )
    _warn_precursors(path, mirnas)
    return _frame(table, mirnas, samples, values.T, kind)


# ---- mirtop -------------------------------------------------------------------------


def _split_quoted_samples(table: _Rows, first: int) -> tuple[list[str], list[list[str]]]:
    """mirtop >= 0.4.27 writes all samples as one tab-joined, quoted column: split it."""
    header = table.rows[0][:first] + [p for cell in table.rows[0][first:] for p in cell.split("\t")]
    if len(header) == len(table.rows[0]):
        return [cell.strip() for cell in header], table.rows
    log.info("%s: the sample columns are one quoted, tab-joined field (mirtop >= 0.4.27): split", table.path)
    rows = [header]
    for i, row in enumerate(table.rows[1:], start=1):
        cells = row[:first] + [p for cell in row[first:] for p in cell.split("\t")]
        if len(cells) != len(header):
            raise InputError(
                table.path,
                f"has {len(cells) - first} counts in its quoted sample field where the header names "
                f"{len(header) - first} samples",
                "export the mirtop table again",
                where=table.line(i),
            )
        rows.append(cells)
    return [cell.strip() for cell in header], rows


def _mirtop(path: Path, kind: str) -> pd.DataFrame:
    """isomiR rows summed per miRNA, a sequence repeated for one miRNA counted once."""
    table = _load(path, "\t", "mirtop")
    raw = table.header
    if raw[:4] == _MIRTOP_COUNTS:
        id_column, name_column, first = 0, 2, 4
        while first < len(raw) and raw[first].startswith("iso_"):
            first += 1
        layout = "mirtop counts isomiR table"
    elif raw[:6] == _MIRTOP_ISOMIRS:
        id_column, name_column, first = 0, 1, 6
        layout = "mirtop isomiRs export"
    elif raw[:1] == ["miRNA"]:
        id_column, name_column, first = -1, 0, 1
        layout = "nf-core/smrnaseq mirna.tsv, already summed per miRNA"
    else:
        raise _wrong_layout(
            table,
            "mirtop",
            "UID, Read, miRNA, Variant (mirtop counts), seq, mir, mism, add, t5, t3 (mirtop export "
            "--format isomir) or miRNA (nf-core mirna.tsv)",
        )
    _check_width(table, len(raw))
    header, cells = _split_quoted_samples(table, first)
    table = _Rows(table.path, cells, table.lines)
    columns = list(range(first, len(header)))
    samples = [header[j] for j in columns]
    if not samples:
        raise InputError(
            path,
            f"has a header without sample columns (after {', '.join(header[:first])})",
            f"export the mirtop table again with its sample columns; {AUTO}",
            where=table.head(),
        )
    _check_samples(table, samples, columns)
    rows = list(range(1, len(table.rows)))
    names = [table.rows[i][name_column].strip() for i in rows]
    _check_names(table, names, rows, name_column, "miRNA name")
    values = _numbers(table, rows, columns, samples, kind, "mirtop counts reads: check the table")
    if id_column < 0:
        _refuse_duplicates(table, names, rows, name_column, "mirna.tsv")
        log.info("%s: read as %s (%d miRNAs)", path, layout, len(names))
        return _frame(table, names, samples, values, kind)
    ids = [table.rows[i][id_column].strip() for i in rows]
    _check_names(table, ids, rows, id_column, f"sequence ({header[id_column]})")
    # One sequence listed twice for one miRNA (one row per precursor or annotation) is the
    # same molecules: kept once (maximum). Distinct sequences are distinct molecules: summed.
    unique, once, repeated = _collapse(names, values, "max", keys=ids)
    mirnas, summed, _ = _collapse(unique, once, "sum")
    shared = pd.Series(names).groupby(pd.Series(ids)).nunique()
    log.info(
        "%s: %s: %s of %s summed per miRNA into %s (isomiRs are distinct molecules)%s%s",
        path,
        layout,
        _n(len(rows), "row"),
        _n(len(set(ids)), "sequence"),
        _n(len(mirnas), "miRNA"),
        f"; {_n(repeated, 'row')} repeating a sequence already counted for that miRNA (counted once)"
        if repeated
        else "",
        f"; {_n(int((shared > 1).sum()), 'sequence')} annotated to several miRNAs, counted for each"
        if (shared > 1).any()
        else "",
    )
    return _frame(table, mirnas, samples, summed, kind)


# ---- miRge --------------------------------------------------------------------------


def _members(merged: str) -> list[str]:
    """The full names a miRge merged name stands for: hsa-let-7a-5p/7c-5p -> hsa-let-7a-5p, hsa-let-7c-5p."""
    first, *rest = merged.split("/")
    match = _MERGE_PREFIX.match(first)
    prefix = match.group(1) if match else ""
    return [first, *(part if _is_mirna(part) else prefix + part for part in rest)]


def _mirge3(path: Path, kind: str) -> pd.DataFrame:
    """miR.Counts.csv: names down, samples across; summary rows dropped, merged names kept."""
    table = _load(path, ",", "mirge3")
    header = table.header
    if any(_GENEGLOBE_SUFFIX.search(cell) for cell in header[1:]):
        raise _wrong_layout(table, "mirge3", "miRNA then one column per sample")
    _check_width(table, len(header))
    columns = list(range(1, len(header)))
    samples = header[1:]
    _check_samples(table, samples, columns)
    rows = list(range(1, len(table.rows)))
    names = [table.rows[i][0].strip() for i in rows]
    summary = [i for i, name in zip(rows, names, strict=True) if name.lower() in _MIRGE_SUMMARY]
    if summary:
        log.info(
            "%s: dropped miRge's summary row(s) %s (the total of miRNA reads, not a miRNA)",
            path,
            ", ".join(f"'{table.rows[i][0].strip()}' ({table.line(i)})" for i in summary),
        )
        dropped = set(summary)
        rows = [i for i in rows if i not in dropped]
        names = [table.rows[i][0].strip() for i in rows]
    if not rows:
        raise InputError(path, "has no miRNA rows", "export miR.Counts.csv again")
    _check_names(table, names, rows, 0, "miRNA name")
    _refuse_duplicates(table, names, rows, 0, "miRge")
    values = _numbers(
        table,
        rows,
        columns,
        samples,
        kind,
        "miR.Counts.csv holds read counts (miR.RPM.csv holds RPM): point counts.path at miR.Counts.csv",
    )
    merged = [name for name in names if "/" in name]
    if merged:
        log.info(
            "%s: %s kept as given, never split into their members (e.g. '%s')",
            path,
            _n(len(merged), "merged miRge name"),
            merged[0],
        )
        listed = set(names)
        both = [(name, member) for name in merged for member in _members(name) if member in listed]
        if both:
            log.warning(
                "%s: '%s' is listed both on its own and inside the merged name '%s'; miRge writes each "
                "read once, so the table may have been edited",
                path,
                both[0][1],
                both[0][0],
            )
    return _frame(table, names, samples, values, kind)


# ---- sRNAbench / sRNAde -------------------------------------------------------------


def _grouped_sample(path: Path) -> str:
    """The sample of a per-sample sRNAbench profile: its output folder, unless renamed."""
    stem = path.name[: -len(".grouped")] if path.name.endswith(".grouped") else path.stem
    if _SRNABENCH_FILE.search(stem):
        return path.resolve().parent.name
    return stem


def _srnabench(path: Path, kind: str, sample: str | None) -> pd.DataFrame:
    """A per-sample ``*.grouped`` profile or an sRNAde ``*.mat`` expression matrix."""
    table = _load(path, "\t", "srnabench")
    header = table.header
    if header[:3] in (_GROUPED, _GROUPED_SA):
        single = header[2] == "read count (SA)"
        # The SA rows may stop after coordinateString: 7 fields under a 9-column header.
        _check_width(table, len(header), at_least=3)
        rows = list(range(1, len(table.rows)))
        names = [table.rows[i][0].strip() for i in rows]
        _check_names(table, names, rows, 0, "miRNA name")
        name = sample if sample is not None else _grouped_sample(path)
        values = _numbers(
            table, rows, [2], [header[2]], kind, "the read count column holds whole reads: check the table"
        )
        how = "sum" if single else "max"
        mirnas, combined, folded = _collapse(names, values, how)
        log.info(
            "%s: sRNAbench %s profile of sample '%s': %s, %s%s",
            path,
            "single-assignment" if single else "grouped",
            name,
            _n(len(rows), "row"),
            _n(len(mirnas), "miRNA"),
            (
                f"; {_n(folded, 'row')} of a miRNA at another locus "
                + (
                    "summed (each read is assigned to one row)"
                    if single
                    else "combined by their maximum (the same reads counted at every precursor)"
                )
            )
            if folded
            else "",
        )
        _warn_precursors(path, mirnas)
        return _frame(table, mirnas, [name], combined, kind)
    if header[0] != "name" or header[1:2] == ["unique reads"]:
        # (a grouped profile's header cut short is not an expression matrix either)
        raise _wrong_layout(
            table,
            "srnabench",
            "name, unique reads, read count ... (mature_sense.grouped), name, unique reads, read count (SA) "
            "... (mature_sense_SA.grouped) or name then samples (sRNAde .mat)",
        )
    _check_width(table, len(header))
    columns = list(range(1, len(header)))
    samples = header[1:]
    _check_samples(table, samples, columns)
    rows = list(range(1, len(table.rows)))
    names = [table.rows[i][0].strip() for i in rows]
    _check_names(table, names, rows, 0, "miRNA name")
    values = _numbers(
        table,
        rows,
        columns,
        samples,
        kind,
        "point counts.path at sRNAde's read-count matrix (*_RC.mat or *_RCadj.mat), not an RPM matrix",
    )
    # genome mode (genomeFiles=true) writes one row per <miRNA>|<locus>: the same reads at each locus
    loci = sum("|" in name for name in names)
    mirnas, combined, folded = _collapse([name.split("|", 1)[0] for name in names], values, "max")
    log.info(
        "%s: sRNAde expression matrix: %s x %s%s%s",
        path,
        _n(len(mirnas), "miRNA"),
        _n(len(samples), "sample"),
        f"; {_n(loci, 'row')} named '<miRNA>|<locus>' reduced to their miRNA" if loci else "",
        f"; {_n(folded, 'row')} of a miRNA combined by their per-sample maximum" if folded else "",
    )
    return _frame(table, mirnas, samples, combined, kind)


# ---- miRDeep2 -----------------------------------------------------------------------


def _mirdeep2(path: Path, kind: str) -> pd.DataFrame:
    """quantifier.pl's all-samples table: raw sample columns, maximum per mature name."""
    table = _load(path, "\t", "mirdeep2")
    header = table.header
    if header[:4] != _MIRDEEP2:
        raise _wrong_layout(table, "mirdeep2", "#miRNA, read_count, precursor, total, samples, samples(norm)")
    _check_width(table, len(header))
    rest = header[4:]
    norm = [i for i, cell in enumerate(rest) if cell.endswith("(norm)")]
    raw = rest[: norm[0]] if norm else rest
    if not raw:
        raise InputError(
            path,
            "has a header without sample columns (between 'total' and the '(norm)' columns)",
            f"run quantifier.pl again; {AUTO}",
            where=table.head(),
        )
    expected = [f"{sample}(norm)" for sample in raw]
    if rest[len(raw) :] != expected:
        raise InputError(
            path,
            f"its header's '(norm)' columns ({', '.join(rest[len(raw) :]) or 'none'}) do not follow "
            f"its sample columns ({', '.join(raw)}) as quantifier.pl writes them",
            "export the table again unchanged",
            where=table.head(4 + len(raw)),
        )
    columns = list(range(4, 4 + len(raw)))
    _check_samples(table, raw, columns)
    rows = list(range(1, len(table.rows)))
    names = [table.rows[i][0].strip() for i in rows]
    _check_names(table, names, rows, 0, "miRNA name")
    values = _numbers(
        table,
        rows,
        columns,
        raw,
        kind,
        "quantifier.pl -W divides multi-mapping reads between loci: run it without -W for read counts",
    )
    mirnas, combined, folded = _collapse(names, values, "max")
    log.info(
        "%s: miRDeep2 table of %s (mature x precursor): %s x %s (the '(norm)' columns ignored)%s",
        path,
        _n(len(rows), "row"),
        _n(len(mirnas), "miRNA"),
        _n(len(raw), "sample"),
        f"; {_n(folded, 'row')} of a mature miRNA on another precursor combined by their per-sample maximum "
        "(the same reads counted on each precursor)"
        if folded
        else "",
    )
    return _frame(table, mirnas, raw, combined, kind)


# ---- entry point --------------------------------------------------------------------


def read_upstream(
    path: str | Path, fmt: str, kind: str = "counts", sample: str | None = None
) -> pd.DataFrame:
    """Read a pipeline's own count table as a features x samples table.

    ``fmt`` is one of :data:`FORMATS`. ``sample`` names the sample of a single-sample
    table (an sRNAbench profile, or a one-sample miRDeep2/mirtop table), as the sample
    sheet's ``file`` column maps it (:func:`mapped_sample`); giving one for a table of
    several samples is an :class:`InputError`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown upstream format {fmt!r} (one of {', '.join(FORMATS)})")
    if kind not in ("counts", "expression"):
        raise ValueError(f"kind must be 'counts' or 'expression', not {kind!r}")
    path = Path(path)
    log.info("reading %s as %s (%s)", path, fmt, TOOLS[fmt])
    if fmt == "smrnaseq":
        frame = _smrnaseq(path, kind)
    elif fmt == "mirtop":
        frame = _mirtop(path, kind)
    elif fmt == "mirge3":
        frame = _mirge3(path, kind)
    elif fmt == "srnabench":
        frame = _srnabench(path, kind, sample)
    else:
        frame = _mirdeep2(path, kind)
    if sample is not None and list(frame.columns) != [sample]:
        if frame.shape[1] != 1:
            raise InputError(
                path,
                f"the sample sheet maps this file to the sample '{sample}', but it holds {frame.shape[1]} "
                f"samples ({', '.join(map(str, frame.columns[:5]))}{', ...' if frame.shape[1] > 5 else ''})",
                "map only per-sample files in the sheet's file column; a table of several samples "
                "names its samples itself",
            )
        log.info("%s: sample '%s' named '%s' by the sample sheet", path, frame.columns[0], sample)
        frame.columns = pd.Index([sample], name="sample", dtype=object)
    return frame
