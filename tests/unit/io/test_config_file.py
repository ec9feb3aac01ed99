"""Config files read strictly: YAML syntax errors by line and column, a key given twice refused."""

from __future__ import annotations

import pytest

from mirflow.errors import InputError
from mirflow.io.config_file import read_config_file


def test_a_key_given_twice_is_refused_naming_both_lines(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("covariates: [age]\nqc:\n  min_library_size: 1\ncovariates: []\n")
    with pytest.raises(
        InputError, match="'covariates' is given twice in one section \\(first at line 1\\)"
    ) as error:
        read_config_file(path)
    assert error.value.where == "line 4, column 1" and error.value.path == str(path)


def test_the_same_key_in_two_sections_is_fine(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("qc: {exclude: {}}\nvalidation: {exclude: {}}\n")
    assert read_config_file(path) == {"qc": {"exclude": {}}, "validation": {"exclude": {}}}


def test_a_syntax_error_names_the_line_and_column(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("contrast:\n  column: group\n  case: [NEC\n")
    with pytest.raises(InputError, match="is not valid YAML") as error:
        read_config_file(path)
    assert error.value.where.startswith("line ") and ", column " in error.value.where


def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        read_config_file(tmp_path / "missing.yaml")
