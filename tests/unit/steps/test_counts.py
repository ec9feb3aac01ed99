"""mirflow.steps.counts: importing the count tables for the run: the sheet's 'file' column
maps per-sample exports to samples, expression values are refused where log2 cannot take
them, an empty library is warned about, and a table without miRNAs is one input error."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from mirflow.errors import InputError
from mirflow.settings import CountsSettings
from mirflow.steps import counts as step
from mirflow.steps.counts import import_counts

MIRBASE = ROOT / "resources/mirbase"


def _exports(folder: Path, samples=("P1", "P2")) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i, sample in enumerate(samples):
        path = folder / f"run_{sample}.csv"
        path.write_text(f"Name,Count,CPM\nhsa-miR-16-5p,{10 + i},1.0\nhsa-miR-21-5p,{i},2.0\n")
        paths.append(path)
    return paths


def _import(tmp_path: Path, paths, sheet: pd.DataFrame, **settings) -> Path:
    sheet_path = tmp_path / "samples.tsv"
    sheet.to_csv(sheet_path, sep="\t", index=False)
    counts = CountsSettings.from_params(
        {
            "path": [str(p) for p in paths],
            "format": "auto",
            "value": "umis",
            "kind": "counts",
            "transform": "auto",
        }
        | settings
    )
    out = tmp_path / "out"
    import_counts(
        counts,
        [str(p) for p in paths],
        str(sheet_path),
        str(MIRBASE / "mirbase_v21_hsa.csv"),
        str(MIRBASE / "mirbase_v22_hsa.csv"),
        str(out / "harmonised.tsv"),
        str(out / "report.tsv"),
        str(out / "unmatched.tsv"),
    )
    return out


def _sheet(samples, files=None) -> pd.DataFrame:
    sheet = pd.DataFrame({"sample": samples, "group": ["case", "control"] * (len(samples) // 2)})
    return sheet if files is None else sheet.assign(file=files)


def test_missing_per_sample_export_names_the_sample_and_its_file(tmp_path):
    paths = _exports(tmp_path / "exports", ("P1", "P3"))
    with pytest.raises(InputError) as error:
        _import(tmp_path, paths, _sheet(["P1", "P2"], ["run_P1", "run_P2"]))
    message = str(error.value)
    assert (
        "(row 3, column C 'file'): 1 sample(s) have a 'file' entry that names none of the 2 count" in message
    )
    assert "P2 ('run_P2')" in message and "run_P1.csv, run_P3.csv" in message


def test_two_samples_naming_one_export_are_refused(tmp_path):
    paths = _exports(tmp_path / "exports")
    with pytest.raises(
        InputError, match=r"samples P1, P2 all name the count file .*run_P1.csv in column 'file'"
    ):
        _import(tmp_path, paths, _sheet(["P1", "P2"], ["run_P1", "run_P1.csv"]))


def test_sample_missing_from_several_files_names_counts_path(tmp_path):
    paths = _exports(tmp_path / "exports", ("P1", "P3"))
    with pytest.raises(InputError, match=r"not in the count table .*exports/run_P1.csv, .* \(2 files\): P2"):
        _import(tmp_path, paths, _sheet(["P1", "P2"]).assign(sample=["run_P1", "P2"]))


def test_per_sample_exports_map_through_the_file_column(tmp_path):
    paths = _exports(tmp_path / "exports")
    out = _import(tmp_path, paths, _sheet(["A", "B"], ["run_P1.csv", "run_P2"]))
    table = pd.read_csv(out / "harmonised.tsv", sep="\t", index_col="mirna")
    assert table.columns.tolist() == ["A", "B"] and table["A"].tolist() == [10, 0]


@pytest.mark.parametrize("transform", ["log2"])
def test_negative_expression_with_log2_is_refused(tmp_path, transform):
    path = tmp_path / "dct.tsv"
    path.write_text("mirna\tS1\tS2\nhsa-miR-16-5p\t0.5\t1.5\nhsa-miR-21-5p\t2\t-3.25\n")
    with pytest.raises(InputError) as error:
        _import(tmp_path, [path], _sheet(["S1", "S2"]), kind="expression", transform=transform)
    message = str(error.value)
    assert "(line 3, column 'S2'): a negative value (-3.25), which counts.transform: log2" in message
    assert "counts.transform: none" in message


@pytest.mark.parametrize("transform", ["none", "auto"])
def test_negative_expression_without_log2_is_read(tmp_path, transform):
    path = tmp_path / "dct.tsv"
    path.write_text("mirna\tS1\tS2\nhsa-miR-16-5p\t0.5\t1.5\nhsa-miR-21-5p\t2\t-3.25\n")
    out = _import(tmp_path, [path], _sheet(["S1", "S2"]), kind="expression", transform=transform)
    assert pd.read_csv(out / "harmonised.tsv", sep="\t")["S2"].tolist() == [1.5, -3.25]


def test_negative_count_stays_a_negative_count(tmp_path):
    path = tmp_path / "neg.tsv"
    path.write_text("mirna\tS1\tS2\nhsa-miR-16-5p\t1\t-3\n")
    with pytest.raises(InputError, match=r"a negative count \(-3\)"):
        _import(tmp_path, [path], _sheet(["S1", "S2"]), transform="log2")


def test_all_zero_library_is_read_and_warned(tmp_path, caplog):
    path = tmp_path / "zero.tsv"
    path.write_text("mirna\tS1\tS2\nhsa-miR-16-5p\t5\t0\nhsa-miR-21-5p\t3\t0\nhsa_piR_1\t0\t7\n")
    with caplog.at_level(logging.WARNING, logger="mirflow"):
        out = _import(tmp_path, [path], _sheet(["S1", "S2"]))
    assert pd.read_csv(out / "harmonised.tsv", sep="\t")["S2"].tolist() == [0, 0]
    assert "1 sample(s) have no miRNA counts" in caplog.text and "S2" in caplog.text


def test_no_mirna_rows_after_harmonisation(tmp_path, monkeypatch):
    table = pd.DataFrame({"S1": [4], "S2": [5]}, index=pd.Index(["hsa_piR_1"], name="feature"))
    monkeypatch.setattr(step, "read_counts", lambda *args, **kwargs: table)
    path = tmp_path / "pirna.tsv"
    path.write_text("x")
    with pytest.raises(InputError, match=r"no miRNA rows: all 1 feature names were set aside .*'hsa_piR_1'"):
        _import(tmp_path, [path], _sheet(["S1", "S2"]))


def test_a_library_listed_twice_is_refused_before_any_analysis(tmp_path):
    path = tmp_path / "twice.tsv"
    path.write_text("mirna\tS1\tS2\tS3\tS4\nhsa-miR-16-5p\t5\t5\t7\t0\nhsa-miR-21-5p\t3\t3\t3\t0\n")
    with pytest.raises(InputError) as error:
        _import(tmp_path, [path], _sheet(["S1", "S2", "S3", "S4"]))
    message = str(error.value)
    assert "1 sample(s) have exactly the counts of another sample in every miRNA" in message
    assert "S2 = S1" in message and "S4" not in message  # empty libraries are QC's to judge


def test_libraries_alike_in_all_but_one_mirna_are_read(tmp_path):
    path = tmp_path / "alike.tsv"
    path.write_text("mirna\tS1\tS2\nhsa-miR-16-5p\t5\t5\nhsa-miR-21-5p\t3\t4\n")
    out = _import(tmp_path, [path], _sheet(["S1", "S2"]))
    assert pd.read_csv(out / "harmonised.tsv", sep="\t")["S2"].tolist() == [5, 4]
