"""Sample sheet reading and checks, covariate scaling."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from conftest import SHEET_CONFIG as CONFIG

from mirflow.errors import InputError
from mirflow.io.sheet import check_sample_sheet, match_samples, read_sample_sheet
from mirflow.settings import ContrastSettings, SurvivalSettings
from mirflow.stats.design import covariate_frame

SHEET = """# comment lines are skipped
sample\tgroup\tage\tpfs\tpfs_event
A\tNEC\t60\t5\t1
B\thealthy\t35\tNA\tNA
C\tNEC\t70\t12\t0
D\tother\t50\t\t
"""


def _check(sheet: pd.DataFrame, config: dict) -> None:
    """check_sample_sheet with the settings sections made from a config dict."""
    check_sample_sheet(
        sheet,
        "samples.tsv",
        ContrastSettings.from_params(config["contrast"]),
        config["covariates"],
        SurvivalSettings.from_params(config["survival"]),
        config["qc"]["exclude"],
    )


def _write(tmp_path, text=SHEET):
    path = tmp_path / "samples.tsv"
    path.write_text(text)
    return path


def test_reads_comments_and_missing_values(tmp_path):
    sheet = read_sample_sheet(_write(tmp_path))
    assert list(sheet.index) == ["A", "B", "C", "D"]
    assert np.isnan(sheet.at["D", "pfs"]) and np.isnan(sheet.at["B", "pfs"])
    _check(sheet, CONFIG)


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
        _check(read_sample_sheet(_write(tmp_path)), config)


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
    sheet = read_sample_sheet(_write(tmp_path, SHEET + row))
    with pytest.raises(InputError, match=message) as error:
        _check(sheet, CONFIG)
    assert "sample 'E'" in str(error.value)


def test_duplicate_sample_ids(tmp_path):
    with pytest.raises(InputError, match="sample id 'A' appears more than once"):
        read_sample_sheet(_write(tmp_path, SHEET + "A\tNEC\t1\t1\t1\n"))


def test_match_samples(tmp_path):
    sheet = read_sample_sheet(_write(tmp_path))
    counts = pd.DataFrame(1, index=["m"], columns=["D", "C", "B", "A", "extra"])
    table, ignored = match_samples(sheet, "s.tsv", counts, "counts.tsv")
    assert list(table.columns) == ["A", "B", "C", "D"] and ignored == ["extra"]
    with pytest.raises(InputError, match=r"1 sample\(s\) are not in the count table counts.tsv: A"):
        match_samples(sheet, "s.tsv", counts.drop(columns="A"), "counts.tsv")


def test_continuous_covariates_are_centred_and_scaled(tmp_path):
    sheet = read_sample_sheet(_write(tmp_path)).assign(sex=["M", "F", "F", "M"])
    frame, scaling = covariate_frame(sheet, ["age", "sex"])
    assert frame["age"].mean() == pytest.approx(0) and frame["age"].std() == pytest.approx(1)
    assert scaling.set_index("covariate").at["age", "mean"] == pytest.approx(53.75)
    assert frame["sex"].tolist() == ["M", "F", "F", "M"]
