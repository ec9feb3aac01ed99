"""Readers: real files from ../shared, each layout, and every malformed-table case; the TSV
writer writes what pandas' to_csv writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import real_file

from mirflow.errors import InputError
from mirflow.io.counts import detect_format, read_counts
from mirflow.io.tables import write_tsv

GENEGLOBE = "qiaseq-geneglobe-legacy-cedars/2425.all_samples.summary.xlsx"


def test_geneglobe_workbook_umis_and_reads():
    path = real_file(GENEGLOBE)
    assert detect_format(path) == "geneglobe"
    umis = read_counts([path])
    reads = read_counts([path], value="reads")
    # 479 miRNAs + 105 piRNAs + 1 merged name = 585 rows; the 'piRNA' separator is gone.
    assert umis.shape == (585, 2) and list(umis.columns) == ["S2", "S1"]
    assert "piRNA" not in umis.index
    assert umis.at["hsa-let-7a-5p", "S2"] == 860 and reads.at["hsa-let-7a-5p", "S2"] == 1453
    assert (reads >= umis).all().all()
    assert umis.dtypes.eq("int64").all()


def test_geneglobe_sheet_saved_as_csv(tmp_path):
    path = real_file(GENEGLOBE)
    sheet = pd.read_excel(path, sheet_name="miRNA_piRNA", engine="calamine")
    csv = tmp_path / "export.csv"
    sheet.to_csv(csv, index=False)
    assert detect_format(csv) == "geneglobe"
    pd.testing.assert_frame_equal(read_counts([csv]), read_counts([path]))


def test_per_sample_exports_merge_with_sheet_mapping(tmp_path):
    one = pd.DataFrame({"Name": ["hsa-miR-16-5p", "hsa-miR-21-5p"], "Count": [10, 5], "CPM": [1.0, 0.5]})
    two = pd.DataFrame({"Name": ["hsa-miR-16-5p", "hsa-miR-451a"], "Count": [7, 3], "CPM": [2.0, 1.0]})
    one.to_excel(tmp_path / "run_A.xlsx", index=False)
    two.to_csv(tmp_path / "run_B.csv", index=False)
    table = read_counts([tmp_path / "run_A.xlsx", tmp_path / "run_B.csv"], file_to_sample={"run_A": "P1"})
    assert list(table.columns) == ["P1", "run_B"]
    # miR-451a is absent from the first export: GeneGlobe lists detected miRNAs only.
    assert table.loc["hsa-miR-451a"].tolist() == [0, 3]
    assert table.loc["hsa-miR-16-5p"].tolist() == [10, 7]


def test_lynch_r_style_header():
    path = real_file("lynch-circulating-mirna/rawCounts.tsv")
    table = read_counts([path])
    assert table.shape == (1349, 155)
    assert table.columns[0] == "chip.sample001.tsv" and table.index[0] == "hsa-let-7a-5p"


def test_covid_mature_precursor_rows_are_read_as_given():
    table = read_counts([real_file("covid-icu-mirna/miRNA_counts.csv")])
    assert table.shape == (1589, 43)
    assert "hsa-let-7a-5p hsa-let-7a-1" in table.index


@pytest.mark.parametrize("project", ["PRJNA540915", "PRJNA913165", "PRJNA1123682"])
def test_evmirna_integer_valued_floats(project):
    table = read_counts([real_file(f"evmirna2-ev-mirna/{project}_expression_count.csv")])
    assert table.dtypes.eq("int64").all() and (table >= 0).all().all()


def test_expression_values_are_kept_as_floats(tmp_path):
    path = tmp_path / "qpcr.tsv"
    path.write_text("mirna\ta\tb\nhsa-miR-16-5p\t0.25\t1.5\n")
    table = read_counts([path], kind="expression")
    assert table.loc["hsa-miR-16-5p"].tolist() == [0.25, 1.5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\tx\n", "line 2, column 'b'"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t-3\n", "a negative count (-3)"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t2.5\n", "counts.kind: expression"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t\n", "an empty cell"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t2\nhsa-miR-16-5p\t1\t2\n", "appears more than once"),
        ("mirna\ta\ta\nhsa-miR-16-5p\t1\t2\n", "sample column 'a' appears more than once"),
        ("mirna\ta\tb\nhsa-miR-16-5p\t1\t2\t3\t4\n", "has 5 fields where the header has 3"),
    ],
)
def test_malformed_tables_name_file_place_and_fix(tmp_path, text, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        read_counts([path])
    assert message in str(error.value)
    assert str(path) in str(error.value) and "Fix:" in str(error.value)


def test_missing_umis_columns_suggest_reads(tmp_path):
    path = tmp_path / "reads_only.csv"
    path.write_text("miRNA,S1-READs\nhsa-miR-16-5p,4\n")
    with pytest.raises(InputError, match=r"set counts\.value"):
        read_counts([path])
    assert read_counts([path], value="reads").iat[0, 0] == 4


def test_excel_cell_reference(tmp_path):
    path = tmp_path / "bad.xlsx"
    pd.DataFrame({"miRNA": ["hsa-miR-16-5p"], "S1-UMIs": ["lots"]}).to_excel(
        path, index=False, sheet_name="miRNA_piRNA"
    )
    with pytest.raises(InputError, match=r"row 2, column B 'S1-UMIs'"):
        read_counts([path])


# ---- the TSV writer: pandas' to_csv bytes, faster --------------------------------------


def _to_csv(table: pd.DataFrame, path, index_label=None) -> bytes:
    table.to_csv(
        path,
        sep="\t",
        na_rep="NA",
        index=index_label is not None,
        index_label=index_label,
        lineterminator="\n",
    )
    return path.read_bytes()


def _tables() -> dict[str, tuple[pd.DataFrame, str | None]]:
    rng = np.random.default_rng(7)
    floats = rng.lognormal(0, 8, size=(40, 6)) * rng.choice([-1, 1], size=(40, 6))
    floats[rng.random((40, 6)) < 0.1] = np.nan
    floats[:4, 0] = [0.0, -0.0, np.inf, 1e-320]
    counts = pd.DataFrame(rng.integers(0, 10, size=(30, 500)), columns=[f"S{j}" for j in range(500)])
    built = pd.DataFrame({f"S{j}": counts[f"S{j}"] / (j + 1.5) for j in range(500)})  # a block per column
    return {
        "floats": (pd.DataFrame(floats, columns=list("abcdef")), None),
        "counts by name": (counts.set_axis([f"hsa-miR-{i}" for i in range(30)]), "mirna"),
        "normalised, built column by column": (built, "mirna"),
        "mixed": (
            pd.DataFrame(
                {
                    "sample": ["s1", "s2", "s3"],
                    "x": [1.5, np.nan, -0.0],
                    "n": [1, 2, 3],
                    "ok": [True, False, True],
                    "objects": [None, np.float64(0.1), 2],
                    "text": pd.array(["a", None, "c"], dtype="str"),
                    "f32": np.array([0.1, 2.5, np.nan], dtype="float32"),
                }
            ),
            None,
        ),
        "empty": (pd.DataFrame(columns=["sample", "reason"]), None),
        "quotes (to_csv)": (pd.DataFrame({"a": ['say "hi"', "x\ty"], "b": [1, 2]}), None),
        "one field (to_csv)": (pd.DataFrame({"a": ["", "z"]}), None),
        "dates (to_csv)": (pd.DataFrame({"d": pd.date_range("2020", periods=2), "v": [1, 2]}), None),
    }


@pytest.mark.parametrize("name", list(_tables()))
def test_write_tsv_writes_the_bytes_of_to_csv(tmp_path, monkeypatch, name):
    table, index_label = _tables()[name]
    expected = _to_csv(table, tmp_path / "pandas.tsv", index_label)
    if "(to_csv)" not in name:  # written without to_csv
        monkeypatch.setattr(pd.DataFrame, "to_csv", None)
    write_tsv(table, tmp_path / "fast.tsv", index_label)
    assert (tmp_path / "fast.tsv").read_bytes() == expected
