"""Bad input as a user meets it: one clear message on the terminal (naming the file, the
place and the fix), no traceback, nothing left in results/ (issue 10). The messages themselves
are tested without the workflow in tests/unit/io and tests/unit/core; here that they reach
the user from a real run."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, demo_config, run_workflow

from mirflow.io.counts import read_counts


def _leftovers(workdir: Path) -> list[Path]:
    return [p for p in (workdir / "results").rglob("*") if p.is_file()]


# ---- the config, the count table and the sheet's samples ----------------------------------------


def _matrix_copy(workdir: Path) -> Path:
    """The demo's UMI table as an editable TSV matrix."""
    table = read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"])
    path = workdir / "counts.tsv"
    table.to_csv(path, sep="\t", index_label="mirna")
    return path


def _edit_counts(workdir: Path, edit) -> dict:
    path = _matrix_copy(workdir)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    return {"counts": {"path": str(path)}}


def _edit_sheet(workdir: Path, edit) -> dict:
    sheet = pd.read_csv(ROOT / "config/samples.tsv", sep="\t", comment="#", dtype=str, keep_default_na=False)
    sheet = edit(sheet)
    path = workdir / "samples.tsv"
    sheet.to_csv(path, sep="\t", index=False)
    return {"samples": str(path)}


def _set_cell(lines, row, column, value):
    cells = lines[row].split("\t")
    cells[column] = value
    lines[row] = "\t".join(cells)
    return lines


BAD_INPUTS = {
    "unknown normalisation": (lambda w: {"normalisation": "tmm"}, "tmm"),
    "unknown config key": (lambda w: {"colour": "red"}, "colour"),
    "non-numeric count": (
        lambda w: _edit_counts(w, lambda lines: _set_cell(lines, 5, 3, "n/a")),
        "the value 'n/a' where a number is expected",
    ),
    "negative count": (
        lambda w: _edit_counts(w, lambda lines: _set_cell(lines, 5, 3, "-4")),
        "a negative count",
    ),
    "duplicate miRNA": (
        lambda w: _edit_counts(w, lambda lines: [*lines, lines[5]]),
        "appears more than once",
    ),
    "duplicate sample column": (
        lambda w: _edit_counts(w, lambda lines: [line + "\t" + line.split("\t")[1] for line in lines]),
        "appears more than once. Fix: give every sample a unique column name",
    ),
    "duplicate sample in sheet": (
        lambda w: _edit_sheet(w, lambda s: s.assign(sample=s["sample"].replace("HD02", "HD01"))),
        "sample id 'HD01' appears more than once",
    ),
    "sheet sample missing from counts": (
        lambda w: _edit_sheet(w, lambda s: s.assign(sample=s["sample"].replace("HD02", "HD99"))),
        "1 sample(s) are not in the count table",
    ),
    "contrast level with no samples": (
        lambda w: {"contrast": {"column": "group", "case": "SCLC", "control": "healthy"}},
        "no sample has group = 'SCLC'",
    ),
    "event without a time": (
        lambda w: _edit_sheet(
            w, lambda s: s.assign(pfs_months=s["pfs_months"].where(s["sample"] != "NEC03", "NA"))
        ),
        "an event status without a time",
    ),
    "landmark beyond follow-up": (
        lambda w: {
            "survival": {"endpoints": {"OS": {"time": "os_months", "event": "os_event", "landmark": 500}}}
        },
        "landmark 500 is beyond all follow-up",
    ),
    "endpoint column missing": (
        lambda w: {
            # OS, as the demo plan's criterion on a prognostic split names it
            "survival": {"endpoints": {"OS": {"time": "os_days", "event": "os_event", "landmark": 6}}}
        },
        "no column 'os_days' (named by survival.endpoints.OS.time",
    ),
    "missing count file": (lambda w: {"counts": {"path": str(w / "nothere.csv")}}, "no such file"),
    "covariate confounded with the groups": (
        lambda w: {
            **_edit_sheet(w, lambda s: s.assign(batch=s["group"].map({"NEC": "run1"}).fillna("run2"))),
            "covariates": ["age", "batch"],
        },
        "is not full rank: Intercept, batch[T.run2], case vs control are confounded",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_stops_with_one_clear_message(tmp_path, snakefile, case):
    make, message = BAD_INPUTS[case]
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=demo_config(tmp_path, **make(tmp_path)))
    assert result.returncode != 0
    assert message.lower() in result.stderr.lower(), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert _leftovers(tmp_path) == []


# ---- hostile count tables --------------------------------------------------------------------


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


def _exports(folder: Path, samples=("P1", "P2")) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i, sample in enumerate(samples):
        path = folder / f"run_{sample}.csv"
        path.write_text(f"Name,Count,CPM\nhsa-miR-16-5p,{10 + i},1.0\nhsa-miR-21-5p,{i},2.0\n")
        paths.append(path)
    return paths


def _latin1(workdir: Path) -> dict:
    path = workdir / "latin1.csv"
    path.write_bytes("mirna,NEC01\nhsa-miR-16-5p,4\nJos\xe9,1\n".encode("latin-1"))
    return {"counts": {"path": str(path)}}


def _summary_in_glob(workdir: Path) -> dict:
    _exports(workdir / "exports")
    (workdir / "exports/summary.csv").write_text(
        "read set,P1,P2\ntotal_reads,1200,1500\nmapped %,81.5,79.25\n"
    )
    return {"counts": {"path": str(workdir / "exports/*.csv")}}


def _huge(workdir: Path) -> dict:
    path = _workbook(
        workdir / "big.xlsx", {"miRNA_piRNA": [["miRNA", "NEC01-UMIs"], ["hsa-miR-16-5p", 1e20]]}
    )
    return {"counts": {"path": str(path)}}


def _formula(workdir: Path) -> dict:
    rows = [["miRNA", "NEC01-UMIs"], ["hsa-miR-16-5p", 4], ["hsa-miR-21-5p", "=B2+1"]]
    return {"counts": {"path": str(_workbook(workdir / "formula.xlsx", {"miRNA_piRNA": rows}))}}


def _log2_negative(workdir: Path) -> dict:
    path = workdir / "dct.tsv"
    path.write_text("mirna\tNEC01\nhsa-miR-16-5p\t-1.5\n")
    return {"counts": {"path": str(path), "kind": "expression", "transform": "log2"}}


END_TO_END = {
    "latin-1": (_latin1, "latin1.csv (line 3, byte offset 31): byte 0xE9 is not UTF-8 text"),
    "directory": (lambda w: {"counts": {"path": str(w)}}, "is a directory, not a count file"),
    "pattern matching nothing": (
        lambda w: {"counts": {"path": str(w / "none/*.xlsx")}},
        "no file matches this pattern",
    ),
    "summary export in the pattern": (
        _summary_in_glob,
        "summary.csv: does not look like a miRNA count table",
    ),
    "count beyond 2^53": (_huge, "row 2, column B 'NEC01-UMIs'): a count too large to hold exactly"),
    "formula without result": (_formula, "a formula (=B2+1) without a saved result"),
    "negative value, log2": (_log2_negative, "a negative value (-1.5), which counts.transform: log2"),
}


@pytest.mark.parametrize("case", list(END_TO_END))
def test_hostile_count_table_stops_the_workflow(tmp_path, snakefile, case):
    make, message = END_TO_END[case]
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=demo_config(tmp_path, **make(tmp_path)))
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert _leftovers(tmp_path) == []


# ---- hostile sample sheets and configs ----------------------------------------------------------


def _demo_lines() -> list[str]:
    return (ROOT / "config/samples.tsv").read_text().splitlines()


def _sheet_file(workdir, lines=None, data: bytes | None = None) -> dict:
    path = workdir / "samples.tsv"
    if data is None:
        path.write_text("\n".join(lines) + "\n")
    else:
        path.write_bytes(data)
    return {"samples": str(path)}


def _set(lines: list[str], row: int, column: int, value: str) -> list[str]:
    """Set one cell; ``row`` as the spreadsheet numbers it (1-based, comment line = row 1)."""
    cells = lines[row - 1].split("\t")
    cells[column] = value
    lines[row - 1] = "\t".join(cells)
    return lines


E2E = {
    "latin-1 sheet": (
        lambda w: _sheet_file(w, data="\n".join(_set(_demo_lines(), 5, 4, "Gen\u00e8ve")).encode("latin-1")),
        "samples.tsv (line 5, byte offset",
        "save the file as UTF-8",
    ),
    "comma-separated sheet": (
        lambda w: _sheet_file(w, [line.replace("\t", ",") for line in _demo_lines()]),
        "(row 2): the sheet is not tab-separated",
        "separate the columns with tabs",
    ),
    "duplicate header": (
        lambda w: _sheet_file(w, _set(_demo_lines(), 2, 4, "age")),
        "(row 2, columns C and E): columns C and E are both named 'age'",
        "give every column its own name",
    ),
    "level in lower case": (
        lambda w: _sheet_file(w, _set(_demo_lines(), 5, 1, "nec")),
        "(row 5, column B 'group', sample 'NEC03'): 1 sample(s) have group = 'nec'",
        "write 'NEC' in these cells",
    ),
    "decimal comma in a covariate": (
        lambda w: _sheet_file(w, _set(_demo_lines(), 4, 2, "35,8")),
        "(row 4, column C 'age', sample 'NEC02'): 1 cell(s) of column C 'age' are not numbers",
        "write 35.8, not 35,8",
    ),
    "event coded yes": (
        lambda w: _sheet_file(w, _set(_demo_lines(), 3, 12, "yes")),
        "(row 3, column M 'os_event', sample 'NEC01'): endpoint OS: 'yes' is not an event code",
        "code 1 (event) or 0 (censored)",
    ),
    "boolean contrast level": (
        lambda w: {"contrast": {"column": "group", "case": True, "control": "healthy"}},
        "contrast.case is the YAML boolean true",
        "write the level in quotes, as the sheet has it: case: 'yes'",
    ),
    "reserved covariate name": (
        lambda w: {"covariates": ["age", "sample"]},
        "the config (covariates): covariates names 'sample', a name the workflow uses for its own columns",
        "rename the sheet column (e.g. 'sample_1')",
    ),
}


@pytest.mark.parametrize("case", list(E2E))
def test_bad_sheet_or_config_stops_the_workflow_with_one_message(tmp_path, snakefile, case):
    make, message, fix = E2E[case]
    result = run_workflow(tmp_path, snakefile=snakefile, configfile=demo_config(tmp_path, **make(tmp_path)))
    assert result.returncode != 0
    assert message in result.stderr and fix in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "UnicodeDecodeError" not in result.stderr
    assert _leftovers(tmp_path) == []


def test_spaces_in_the_sheet_are_a_warning_on_the_terminal(tmp_path, snakefile):
    changes = _sheet_file(tmp_path, _set(_demo_lines(), 5, 1, "NEC "))
    result = run_workflow(tmp_path, "-n", snakefile=snakefile, configfile=demo_config(tmp_path, **changes))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        "WARNING mirflow.io.sheet: " in result.stderr
        and "removed spaces around the text of 1 cell(s), read without them: row 5, column B 'group': 'NEC '"
        in result.stderr
    )
