"""Hostile sample sheets and configs: one clear message (file, row/column as a
spreadsheet shows them, what is wrong, the fix) before any analysis; never a silent drop,
rename or reinterpretation. Issue 10, part 1."""

from __future__ import annotations

import codecs
import copy
import logging

import pytest
import yaml
from conftest import ROOT, demo_config, run_workflow
from conftest import SHEET_CONFIG as CONFIG
from snakemake.utils import validate

from mirflow.errors import InputError
from mirflow.io.sheet import check_sample_sheet, column_letter, contrast_labels, read_sample_sheet
from mirflow.settings import ContrastSettings, SurvivalSettings, resolve

# Row 1 is the comment, row 2 the header, sample A is row 3 ... F row 8.
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


def _check(sheet, config=CONFIG, path="samples.tsv"):
    check_sample_sheet(
        sheet,
        path,
        ContrastSettings.from_params(config["contrast"]),
        config["covariates"],
        SurvivalSettings.from_params(config["survival"]),
        config["qc"]["exclude"],
        variables=config.get("variables", "auto"),
    )


def _edit(config_edit):
    config = copy.deepcopy(CONFIG)
    config_edit(config)
    return config


def _replace(old, new, text=SHEET):
    assert old in text
    return text.replace(old, new, 1)


def _error(tmp_path, text, config=CONFIG, **write) -> str:
    with pytest.raises(InputError) as error:
        _check(read_sample_sheet(_write(tmp_path, text, **write)), config)
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
    _check(sheet)


def test_latin1_sheet_names_the_byte_and_the_fix(tmp_path):
    path = tmp_path / "samples.tsv"
    path.write_bytes(_replace("E\tNEC\t66\tF", "E\tNEC\t66\tSoci\u00e9t\u00e9").encode("latin-1"))
    with pytest.raises(InputError) as error:
        read_sample_sheet(path)
    message = str(error.value)
    assert "(row 7, byte offset" in message and "byte 0xE9 is not valid UTF-8" in message
    assert "Soci\u00e9t\u00e9" in message and "save the sheet as UTF-8" in message


def test_utf16_without_bom_is_refused(tmp_path):
    path = tmp_path / "samples.tsv"
    path.write_bytes(SHEET.encode("utf-16-le"))
    with pytest.raises(InputError, match=r"UTF-16 without a byte-order mark.*save the sheet as UTF-8"):
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
    with pytest.raises(InputError, match=r"Excel \.xlsx workbook.*save the sheet as UTF-8 text"):
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
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


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


# ---- contrast levels: whitespace, letter case, numbers ------------------------------------


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


def test_level_differing_only_in_letter_case_is_refused(tmp_path):
    text = _replace("C\tNEC", "C\tnec").replace("E\tNEC", "E\tNec")
    message = _error(tmp_path, text)
    assert (
        "(rows 5 and 7, column B 'group'): 2 sample(s) have group = 'Nec' or 'nec', which differs from"
        in message
    )
    assert "contrast.case 'NEC' only in letter case: they would be left out of the contrast" in message
    assert "Fix: write 'NEC' in these cells (letter case matters), or set contrast.case" in message


def test_numeric_levels_match_numbers(tmp_path):
    text = SHEET.replace("\tNEC\t", "\t1\t").replace("\thealthy\t", "\t0\t").replace("F\thealthy", "F\tNA")
    text = text.replace("F\t0\t", "F\t\t")
    sheet = read_sample_sheet(_write(tmp_path, text))  # a float column (it has a missing value)
    labels = contrast_labels(
        sheet, ContrastSettings.from_params({"column": "group", "case": 1, "control": 0.0})
    )
    assert labels.tolist()[:5] == ["case", "control", "case", "control", "case"] and labels.isna().iloc[5]


# ---- config ---------------------------------------------------------------------------------


def _config(**changes):
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    for key, value in changes.items():
        config[key] = value
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))
    return config


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"contrast": {"column": "group", "case": "NEC", "control": "NEC"}},
            "the config (contrast): contrast.case and contrast.control are equal (both 'NEC'). "
            "Fix: set them to two different values of the sheet column 'group'",
        ),
        (
            {"contrast": {"column": "group", "case": True, "control": "healthy"}},
            "the config (contrast.case): contrast.case is the YAML boolean true: unquoted yes/no, "
            "true/false and on/off are read as true/false, not as the text in the sheet. "
            "Fix: write the level in quotes, as the sheet has it: case: 'yes'",
        ),
        (
            {"contrast": {"column": "group", "case": "NEC", "control": False}},
            "write the level in quotes, as the sheet has it: control: 'no'",
        ),
        (
            {"contrast": {"column": "group", "case": "NEC ", "control": "healthy"}},
            "contrast.case 'NEC ' has spaces around it",
        ),
        (
            {"covariates": ["age", "group"]},
            "the config (covariates): covariates names 'group', the contrast column (contrast.column)",
        ),
        (
            {"contrast": {"column": "arm", "case": "A", "control": "B"}, "covariates": ["group"]},
            "covariates names 'group', a name the workflow uses for its own columns "
            "(sample, group, marker, const). Fix: rename the sheet column (e.g. 'group_1')",
        ),
        ({"covariates": ["sample"]}, "covariates names 'sample', a name the workflow uses"),
        ({"covariates": ["age", "sex", "age"]}, "covariates lists 'age' twice. Fix: list each column once"),
        (
            {"survival": {"adjust_for": ["ecog", "ecog"]}},
            "the config (survival.adjust_for): survival.adjust_for lists 'ecog' twice",
        ),
        ({"survival": {"adjust_for": ["marker"]}}, "survival.adjust_for names 'marker', a name the workflow"),
        ({"survival": {"adjust_for": ["group"]}}, "survival.adjust_for names 'group', the contrast column"),
        (
            {"survival": {"endpoints": {"OS": {"time": "os_months", "event": "os_months", "landmark": 6}}}},
            "the config (survival.endpoints.OS): time and event are the same column 'os_months'",
        ),
    ],
)
def test_config_problems(changes, message):
    with pytest.raises(InputError) as error:
        resolve(_config(**changes))
    assert message in str(error.value)


def test_yaml_yes_as_a_level_reaches_the_clear_message():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text().replace("case: NEC", "case: yes"))
    assert config["contrast"]["case"] is True
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))  # the schema lets it through
    with pytest.raises(InputError, match="case: 'yes'"):
        resolve(config)
    quoted = yaml.safe_load((ROOT / "config/config.yaml").read_text().replace("case: NEC", "case: 'yes'"))
    validate(quoted, str(ROOT / "workflow/schemas/config.schema.yaml"))
    assert resolve(quoted).contrast.case == "yes"


def test_cohort_variables_must_exist(tmp_path):
    message = _error(tmp_path, SHEET, {**CONFIG, "variables": ["age", "bmi"]})
    assert "(row 2, the header): no column 'bmi' (named by cohort.variables in the config)" in message


# ---- covariates ----------------------------------------------------------------------------


def test_covariate_missing_for_every_sample(tmp_path):
    text = "\n".join(line.replace("\tF\t", "\t\t").replace("\tM\t", "\tNA\t") for line in SHEET.splitlines())
    config = _edit(lambda c: c.update(covariates=["age", "sex"]))
    message = _error(tmp_path, text, config)
    assert (
        "(column D 'sex'): covariates names 'sex', but it is missing (empty or NA) for all 6 samples"
        in message
    )
    assert "Fix: fill in the column or remove 'sex' from covariates" in message


def test_constant_covariate_over_the_contrast_samples(tmp_path):
    text = SHEET.replace("\tM\t", "\tF\t")
    config = _edit(lambda c: c.update(covariates=["sex"]))
    message = _error(tmp_path, text, config)
    assert "covariates names 'sex', but it is 'F' for all 6 samples in the contrast" in message
    assert "a constant cannot be adjusted for. Fix: remove 'sex' from covariates" in message
    # Constant once the hand-excluded sample is left out.
    text = _replace("C\tNEC\t70\tF", "C\tNEC\t70\tM", text)
    _check(read_sample_sheet(_write(tmp_path, text)), config)
    config["qc"]["exclude"] = {"C": "haemolysed"}
    with pytest.raises(InputError, match="'F' for all 5 samples in the contrast"):
        _check(read_sample_sheet(_write(tmp_path, text)), config)


def test_adjust_for_checked_over_the_population(tmp_path):
    text = SHEET.replace("A\tNEC\t60.5\tF", "A\tNEC\t60.5\tM").replace("E\tNEC\t66\tF", "E\tNEC\t66\tM")
    config = _edit(lambda c: c["survival"].update(adjust_for=["sex"]))
    message = _error(tmp_path, text, config)
    assert "survival.adjust_for names 'sex', but it is 'M' for all 3 cases with a value" in message


@pytest.mark.parametrize(
    ("cell", "fix"),
    [
        ("35,8", "Fix: write 35.8, not 35,8 (a decimal point, not a comma); write NA"),
        ("n/a", "Fix: write NA (or leave the cell empty) for an unknown value"),
        ("Inf", "Fix: write NA (or leave the cell empty) for an unknown value"),
    ],
)
def test_numeric_covariate_with_a_stray_cell(tmp_path, cell, fix):
    message = _error(tmp_path, _replace("B\thealthy\t35", f"B\thealthy\t{cell}"))
    assert (
        f"(row 4, column C 'age', sample 'B'): 1 cell(s) of column C 'age' are not numbers ('{cell}' (row 4))"
        in message
    )
    assert "while the other 5 are: the column would be read as text categories" in message and fix in message


def test_mostly_text_column_stays_categorical(tmp_path):
    text = SHEET.replace("\tF\t", "\tlow\t").replace("\tM\t", "\thigh\t")
    text = _replace("A\tNEC\t60.5\tlow", "A\tNEC\t60.5\t3", text)
    sheet = read_sample_sheet(_write(tmp_path, text))
    _check(sheet, _edit(lambda c: c.update(covariates=["sex"])))
    assert sheet.at["A", "sex"] == "3"


def test_unused_column_with_a_stray_is_not_checked_when_variables_are_listed(tmp_path):
    text = (
        SHEET.replace("\tF\t", "\t1\t").replace("\tM\t", "\t2\t").replace("E\tNEC\t66\t1", "E\tNEC\t66\t2,5")
    )
    with pytest.raises(InputError, match="'2,5'"):
        _check(read_sample_sheet(_write(tmp_path, text)))  # cohort.variables: auto describes 'sex'
    _check(read_sample_sheet(_write(tmp_path, text)), {**CONFIG, "variables": ["age"]})


def test_missing_value_words_in_a_category_are_warned_about(tmp_path, caplog):
    text = _replace("C\tNEC\t70\tM", "C\tNEC\t70\tn/a")
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        _check(read_sample_sheet(_write(tmp_path, text)))
    assert "column D 'sex' has 'n/a' (row 5): read as a category of its own, not as missing" in caplog.text


# ---- endpoints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "C\tNEC\t70\tM\t12",
            "C\tNEC\t70\tM\tInf",
            "(row 5, column E 'pfs', sample 'C'): endpoint PFS: 'Inf' is not a finite time. Fix: give the "
            "last follow-up time, with pfs_event 0 when no event was seen (NA when unknown)",
        ),
        ("C\tNEC\t70\tM\t12", "C\tNEC\t70\tM\t-inf", "'-inf' is not a finite time"),
        (
            "A\tNEC\t60.5\tF\t5\t1",
            "A\tNEC\t60.5\tF\t5\tyes",
            "(row 3, column F 'pfs_event', sample 'A'): endpoint PFS: 'yes' is not an event code. "
            "Fix: code 1 (event) or 0 (censored) in pfs_event, NA when unknown",
        ),
        ("C\tNEC\t70\tM\t12\t0", "C\tNEC\t70\tM\t12\tfalse", "'false' is not an event code"),
        (
            "C\tNEC\t70\tM\t12\t0",
            "C\tNEC\t70\tM\t12\t2",
            "(row 5, column F 'pfs_event', sample 'C'): an event",
        ),
        ("C\tNEC\t70\tM\t12\t0", "C\tNEC\t70\tM\t-12\t0", "(row 5, column E 'pfs', sample 'C'): a negative"),
    ],
)
def test_endpoint_cells(tmp_path, old, new, message):
    assert message in _error(tmp_path, _replace(old, new))


def test_endpoint_missing_for_the_whole_population(tmp_path):
    text = SHEET.replace("\t5\t1", "\tNA\t1").replace("\t12\t0", "\t\t0").replace("\t3\t1", "\tNA\t1")
    message = _error(tmp_path, text)
    assert "(column E 'pfs'): endpoint PFS: pfs is missing (empty or NA) for all 3 cases" in message
    assert "Fix: fill in pfs or remove PFS from survival.endpoints" in message


def test_landmark_warnings(tmp_path, caplog):
    days = SHEET.replace("\t5\t1", "\t150\t1").replace("\t12\t0", "\t360\t0").replace("\t3\t1", "\t90\t1")
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        _check(read_sample_sheet(_write(tmp_path, days)))
    assert (
        "endpoint PFS: no event by the landmark 6 (no pfs_event = 1 with pfs <= 6); are the times in "
        "the same unit as the landmark?"
    ) in caplog.text
    caplog.clear()
    config = _edit(lambda c: c["survival"]["endpoints"]["PFS"].update(landmark=11))
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        _check(
            read_sample_sheet(_write(tmp_path, SHEET + "G\tNEC\t50\tF\t2\t1\nH\tNEC\t50\tF\t4\t0\n")), config
        )
    assert "the landmark 11 is beyond the follow-up of most cases (only 1 of 5 have pfs > 11)" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        _check(read_sample_sheet(_write(tmp_path)))
    assert caplog.text == ""


def test_demo_sheet_reads_without_warnings(caplog):
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))
    config["samples"] = str(ROOT / config["samples"])
    from mirflow.steps.counts import load_sheet

    with caplog.at_level(logging.WARNING, logger="mirflow"):
        sheet, labels = load_sheet(resolve(config))
    assert caplog.text == "" and labels.value_counts().to_dict() == {"control": 21, "case": 18}
    assert sheet.attrs["rows"]["NEC01"] == 3 and sheet.attrs["letters"]["age"] == "C"


# ---- end to end: the message reaches the terminal, nothing in results/ ------------------------


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
        "(row 5, byte offset",
        "save the sheet as UTF-8",
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
def test_bad_sheet_or_config_stops_the_workflow_with_one_message(tmp_path, case):
    make, message, fix = E2E[case]
    result = run_workflow(tmp_path, configfile=demo_config(tmp_path, **make(tmp_path)))
    assert result.returncode != 0
    assert message in result.stderr and fix in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "UnicodeDecodeError" not in result.stderr
    assert [p for p in (tmp_path / "results").rglob("*") if p.is_file()] == []


def test_spaces_in_the_sheet_are_a_warning_on_the_terminal(tmp_path):
    changes = _sheet_file(tmp_path, _set(_demo_lines(), 5, 1, "NEC "))
    result = run_workflow(tmp_path, "-n", configfile=demo_config(tmp_path, **changes))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        "WARNING mirflow.io.sheet: " in result.stderr
        and "removed spaces around the text of 1 cell(s), read without them: row 5, column B 'group': 'NEC '"
        in result.stderr
    )
