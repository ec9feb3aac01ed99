"""mirflow.io.sheet_checks: the sample sheet checked against the settings that name its
columns, levels and samples (contrast, covariates, cohort variables, endpoints, exclusions)
and matched with the count table: one clear message naming the row/column and the fix, or a
warning, before any analysis."""

from __future__ import annotations

import copy
import logging

import pandas as pd
import pytest
from conftest import SHEET_CONFIG as CONFIG
from conftest import check_sheet

from mirflow.errors import InputError
from mirflow.io.sheet import read_sample_sheet
from mirflow.io.sheet_checks import check_level_case, match_samples
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


def _edit(config_edit):
    config = copy.deepcopy(CONFIG)
    config_edit(config)
    return config


def _replace(old, new, text=SHEET):
    assert old in text
    return text.replace(old, new, 1)


def _error(tmp_path, text, config=CONFIG, **write) -> str:
    with pytest.raises(InputError) as error:
        check_sheet(read_sample_sheet(_write(tmp_path, text, **write)), config)
    return str(error.value)


# ---- contrast and config mismatches ---------------------------------------------------------

MINIMAL = """# comment lines are skipped
sample\tgroup\tage\tpfs\tpfs_event
A\tNEC\t60\t5\t1
B\thealthy\t35\tNA\tNA
C\tNEC\t70\t12\t0
D\tother\t50\t\t
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c["contrast"].update(column="arm"), r"no column 'arm' \(named by contrast.column"),
        (lambda c: c["contrast"].update(case="NET"), "no sample has group = 'NET'"),
        (lambda c: c.update(covariates=["bmi"]), r"no column 'bmi' \(named by covariates"),
        (lambda c: c["qc"].update(exclude={"Z": "x"}), "qc.exclude names samples not in the sheet: Z"),
        (
            lambda c: c["survival"]["endpoints"]["PFS"].update(landmark=12),
            "landmark 12 is beyond all follow-up",
        ),
    ],
)
def test_config_mismatches(tmp_path, edit, message):
    config = copy.deepcopy(CONFIG)
    edit(config)
    with pytest.raises(InputError, match=message):
        check_sheet(read_sample_sheet(_write(tmp_path, MINIMAL)), config)


def test_level_differing_only_in_letter_case_is_refused(tmp_path):
    text = _replace("C\tNEC", "C\tnec").replace("E\tNEC", "E\tNec")
    message = _error(tmp_path, text)
    assert (
        "(rows 5 and 7, column B 'group'): 2 sample(s) have group = 'Nec' or 'nec', which differs from"
        in message
    )
    assert "contrast.case 'NEC' only in letter case: they would be left out of the contrast" in message
    assert "Fix: write 'NEC' in these cells (letter case matters), or set contrast.case" in message


def test_a_locked_contrast_level_in_another_case_is_fixed_in_the_sheet_only(tmp_path):
    sheet = read_sample_sheet(_write(tmp_path, _replace("C\tNEC", "C\tnec")))
    contrast = ContrastSettings(column="group", case="NEC", control="healthy")
    with pytest.raises(InputError) as error:
        check_level_case(sheet, "v.tsv", contrast, locked="old/locked_model.json")
    message = str(error.value)
    assert "differs from the case level 'NEC' locked in old/locked_model.json only in letter case" in message
    assert message.endswith("Fix: write 'NEC' in these cells (letter case matters)")


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
    check_sheet(read_sample_sheet(_write(tmp_path, text)), config)
    config["qc"]["exclude"] = {"C": "haemolysed"}
    with pytest.raises(InputError, match="'F' for all 5 samples in the contrast"):
        check_sheet(read_sample_sheet(_write(tmp_path, text)), config)


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
    check_sheet(sheet, _edit(lambda c: c.update(covariates=["sex"])))
    assert sheet.at["A", "sex"] == "3"


def test_unused_column_with_a_stray_is_not_checked_when_variables_are_listed(tmp_path):
    text = (
        SHEET.replace("\tF\t", "\t1\t").replace("\tM\t", "\t2\t").replace("E\tNEC\t66\t1", "E\tNEC\t66\t2,5")
    )
    with pytest.raises(InputError, match="'2,5'"):
        check_sheet(read_sample_sheet(_write(tmp_path, text)))  # cohort.variables: auto describes 'sex'
    check_sheet(read_sample_sheet(_write(tmp_path, text)), {**CONFIG, "variables": ["age"]})


def test_missing_value_words_in_a_category_are_warned_about(tmp_path, caplog):
    text = _replace("C\tNEC\t70\tM", "C\tNEC\t70\tn/a")
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        check_sheet(read_sample_sheet(_write(tmp_path, text)))
    assert "column D 'sex' has 'n/a' (row 5): read as a category of its own, not as missing" in caplog.text


# ---- endpoints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("E\tNEC\t61\tNA\t1\n", "an event status without a time"),
        ("E\tNEC\t61\t-2\t1\n", "a negative time"),
        ("E\tNEC\t61\t3\t2\n", "an event code other than 0/1"),
        ("E\tNEC\t61\tsoon\t1\n", "'soon' is not a number"),
    ],
)
def test_endpoint_errors(tmp_path, row, message):
    sheet = read_sample_sheet(_write(tmp_path, MINIMAL + row))
    with pytest.raises(InputError, match=message) as error:
        check_sheet(sheet)
    assert "sample 'E'" in str(error.value)


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
        check_sheet(read_sample_sheet(_write(tmp_path, days)))
    assert (
        "endpoint PFS: no event by the landmark 6 (no pfs_event = 1 with pfs <= 6); are the times in "
        "the same unit as the landmark?"
    ) in caplog.text
    caplog.clear()
    config = _edit(lambda c: c["survival"]["endpoints"]["PFS"].update(landmark=11))
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        check_sheet(
            read_sample_sheet(_write(tmp_path, SHEET + "G\tNEC\t50\tF\t2\t1\nH\tNEC\t50\tF\t4\t0\n")), config
        )
    assert "the landmark 11 is beyond the follow-up of most cases (only 1 of 5 have pfs > 11)" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        check_sheet(read_sample_sheet(_write(tmp_path)))
    assert caplog.text == ""


# ---- the sheet against the count table ----------------------------------------------------


def test_match_samples(tmp_path):
    sheet = read_sample_sheet(_write(tmp_path, MINIMAL))
    counts = pd.DataFrame(1, index=["m"], columns=["D", "C", "B", "A", "extra"])
    table, ignored = match_samples(sheet, "s.tsv", counts, "counts.tsv")
    assert list(table.columns) == ["A", "B", "C", "D"] and ignored == ["extra"]
    with pytest.raises(InputError, match=r"1 sample\(s\) are not in the count table counts.tsv: A"):
        match_samples(sheet, "s.tsv", counts.drop(columns="A"), "counts.tsv")


def test_an_id_encoded_otherwise_is_said_as_such_not_as_missing():
    nfc, nfd = "M\u00fcller01", "Mu\u0308ller01"  # the same on screen
    sheet = pd.DataFrame({"group": ["NEC", "healthy"]}, index=pd.Index([nfc, "B"], name="sample"))
    counts = pd.DataFrame(1, index=["m"], columns=[nfd, "B"])
    with pytest.raises(InputError) as error:
        match_samples(sheet, "s.tsv", counts, "counts.tsv")
    message = str(error.value)
    assert "s.tsv (column 'sample'): 1 sample id(s) look the same as a count-table id" in message
    assert "but are encoded differently" in message
    assert "(Unicode normal forms NFC and NFD" in message and "not in the count table" not in message


# ---- a competing event (survival.endpoints.NAME.competing_event) ------------------------------

COMPETING = """sample\tgroup\tage\tpfs\tpfs_event\tdeath
A\tNEC\t60\t5\t1\t0
B\thealthy\t35\tNA\tNA\tNA
C\tNEC\t70\t12\t0\t1
E\tNEC\t66\t3\t1\tNA
"""


def _competing_config(column: str = "death") -> dict:
    return _edit(lambda c: c["survival"]["endpoints"]["PFS"].update(competing_event=column))


def test_a_competing_event_column_coded_0_1_passes(tmp_path):
    check_sheet(read_sample_sheet(_write(tmp_path, COMPETING)), _competing_config())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "A\tNEC\t60\t5\t1\t0",
            "A\tNEC\t60\t5\t1\t1",
            "(row 2, column F 'death', sample 'A'): both pfs_event and the competing event death = 1 for "
            "endpoint PFS. Fix: a patient has one first event",
        ),
        ("C\tNEC\t70\t12\t0\t1", "C\tNEC\t70\t12\t0\t2", "a competing-event code other than 0/1"),
        ("C\tNEC\t70\t12\t0\t1", "C\tNEC\t70\t12\t0\tmaybe", "'maybe' is not a competing-event code"),
        ("C\tNEC\t70\t12\t0\t1", "C\tNEC\t70\tNA\tNA\t1", "a competing-event status without a time"),
    ],
)
def test_competing_event_cells(tmp_path, old, new, message):
    assert message in _error(tmp_path, _replace(old, new, COMPETING), _competing_config())


def test_competing_event_column_missing_or_empty(tmp_path):
    assert "no column 'relapse' (named by survival.endpoints.PFS.competing_event" in _error(
        tmp_path, COMPETING, _competing_config("relapse")
    )
    empty = COMPETING.replace("\t5\t1\t0", "\t5\t1\tNA").replace("\t12\t0\t1", "\t12\t0\tNA")
    assert "death (competing_event) is missing (empty or NA) for all 3 cases" in _error(
        tmp_path, empty, _competing_config()
    )


def test_competing_event_must_be_a_column_of_its_own():
    from mirflow.settings import SurvivalSettings

    survival = _competing_config("pfs_event")["survival"]
    with pytest.raises(InputError, match="competing_event is the event column 'pfs_event'"):
        SurvivalSettings.from_params(survival)
