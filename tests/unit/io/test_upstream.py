"""Upstream pipelines' own count tables: each layout recognised (and nothing else), read
to the hand-computed table (transposed, summed or maximum as documented), and each
malformed variant refused with the file, line and column named."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirflow.errors import InputError
from mirflow.io import upstream
from mirflow.io.counts import detect_format

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "upstream"
REAL = ROOT.parent / "shared" / "data" / "real"
MIRDEEP2 = "mirdeep2/miRNAs_expressed_all_samples_27_11_2024_t_10_15_00.csv"
NF = ["Clone1_N1", "Clone1_N3", "Control_N1"]

RECOGNISED = {
    "smrnaseq/mature_counts.csv": "smrnaseq",
    "smrnaseq/hairpin_counts.csv": "smrnaseq",
    "mirtop/mirtop.tsv": "mirtop",
    "mirtop/joined_samples_mirtop.tsv": "mirtop",
    "mirtop/mirtop_2samples.tsv": "mirtop",
    "mirtop/mirtop_rawData.tsv": "mirtop",
    "mirge3/miR.Counts.csv": "mirge3",
    "mirge2/miR.Counts.csv": "mirge3",
    "srnabench/S1/mature_sense.grouped": "srnabench",
    "srnabench/S1/mature_sense_SA.grouped": "srnabench",
    "srnabench/S2/mature_sense.grouped": "srnabench",
    "srnabench/mature_sense_minExpr5_RCadj.mat": "srnabench",
    MIRDEEP2: "mirdeep2",
}
NOT_UPSTREAM = [
    "decoys/geneglobe_legacy.csv",
    "decoys/geneglobe_sample.csv",
    "decoys/matrix.csv",
    "decoys/matrix_rstyle.csv",
    "decoys/matrix.tsv",
    "mirtop/mirna.tsv",
]


def table(rows: dict[str, list[int]], samples: list[str]) -> pd.DataFrame:
    """The expected features x samples table, as the readers build it."""
    return pd.DataFrame(
        np.array(list(rows.values()), dtype=np.int64).reshape(len(rows), len(samples)),
        index=pd.Index(list(rows), name="feature", dtype=object),
        columns=pd.Index(samples, name="sample", dtype=object),
    )


def read(relative: str, fmt: str, **kwargs: object) -> pd.DataFrame:
    return upstream.read_upstream(FIXTURES / relative, fmt, **kwargs)


def variant(tmp_path: Path, relative: str, old: str, new: str, name: str | None = None) -> Path:
    """A copy of a fixture with one piece of text replaced (which must occur in it)."""
    text = (FIXTURES / relative).read_text()
    assert old in text, old
    path = tmp_path / (name or Path(relative).name)
    path.write_text(text.replace(old, new, 1))
    return path


# ---- recognition ----------------------------------------------------------------------


@pytest.mark.parametrize(("relative", "fmt"), RECOGNISED.items())
def test_each_layout_is_recognised_as_its_own_format(relative, fmt):
    path = FIXTURES / relative
    assert upstream.sniff(path) == fmt
    assert upstream.recognise(path, path.read_text().splitlines()[:30]) == fmt


@pytest.mark.parametrize("relative", NOT_UPSTREAM)
def test_geneglobe_exports_and_plain_matrices_are_not_claimed(relative):
    assert upstream.sniff(FIXTURES / relative) is None


@pytest.mark.parametrize(("relative", "fmt"), RECOGNISED.items())
def test_no_upstream_table_is_taken_for_a_geneglobe_export(relative, fmt):
    """``counts.format: auto`` recognises the pipeline (it asks io.upstream first), never
    GeneGlobe."""
    assert detect_format(FIXTURES / relative) == fmt


@pytest.mark.parametrize(
    "relative",
    [
        "covid-icu-mirna/miRNA_counts.csv",
        "lynch-circulating-mirna/rawCounts.tsv",
        "evmirna2-ev-mirna/PRJNA540915_expression_count.csv",
        "smallrnaseq-pypi-ad-brain/mirbase_mature_counts.csv",
        "qiaseq-geneglobe-legacy-cedars/2425.all_samples.summary.xlsx",
    ],
)
def test_real_plain_and_geneglobe_tables_are_not_claimed(relative):
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    assert upstream.sniff(path) is None


def test_recognise_needs_only_the_first_lines_and_ignores_a_byte_order_mark():
    head = ["\ufeffmiRNA,S1,S2", "miRNAtotal,10,20", "hsa-let-7a-5p,5,6"]
    assert upstream.recognise("miR.Counts.csv", head) == "mirge3"
    assert upstream.recognise("table.xlsx", head) is None
    assert upstream.recognise("empty.csv", []) is None


def test_sniff_leaves_missing_and_undecodable_files_to_the_generic_reader(tmp_path):
    assert upstream.sniff(tmp_path / "absent.csv") is None
    broken = tmp_path / "latin1.csv"
    broken.write_bytes(b"miRNA,S1\nmiRNAtotal,3\nhsa-miR-\xe9,1\n")
    assert upstream.sniff(broken) is None


# ---- nf-core/smrnaseq -----------------------------------------------------------------


def test_smrnaseq_edger_table_is_transposed(caplog):
    with caplog.at_level(logging.INFO, logger="mirflow.io.upstream"):
        frame = read("smrnaseq/mature_counts.csv", "smrnaseq")
    expected = table(
        {
            "hsa-let-7a-5p": [1520, 1398, 2054, 1876],
            "hsa-let-7a-3p": [3, 0, 5, 2],
            "hsa-miR-16-5p": [884, 901, 1130, 1062],
            "hsa-miR-21-5p": [2210, 1977, 1432, 1516],
            "hsa-miR-451a": [15, 9, 22, 18],
            "hsa-miR-486-5p": [30211, 28760, 41022, 39877],
            "hsa-miR-92a-3p": [402, 388, 515, 497],
            "hsa-miR-150-5p": [77, 64, 120, 101],
        },
        [*NF, "Control_N2"],
    )
    pd.testing.assert_frame_equal(frame, expected)
    assert "transposed" in caplog.text and "as smrnaseq" in caplog.text


def test_smrnaseq_hairpin_table_is_read_with_a_warning(caplog):
    with caplog.at_level(logging.INFO, logger="mirflow.io.upstream"):
        frame = read("smrnaseq/hairpin_counts.csv", "smrnaseq")
    assert frame.loc["hsa-mir-21"].tolist() == [30, 26, 18, 21]
    assert any(r.levelno == logging.WARNING and "precursor" in r.message for r in caplog.records)


def test_smrnaseq_header_without_the_row_names_cell(tmp_path):
    path = variant(tmp_path, "smrnaseq/mature_counts.csv", '"",', "")
    pd.testing.assert_frame_equal(
        upstream.read_upstream(path, "smrnaseq"), read("smrnaseq/mature_counts.csv", "smrnaseq")
    )


def test_smrnaseq_logtpm_values_are_refused_as_counts(tmp_path):
    path = variant(tmp_path, "smrnaseq/mature_counts.csv", '"Clone1_N1",1520,', '"Clone1_N1",3.18,')
    with pytest.raises(InputError, match=r"not a whole number \(3\.18\).*mature_logtpm\.csv") as err:
        upstream.read_upstream(path, "smrnaseq")
    assert err.value.where == "line 2, column 2 'hsa-let-7a-5p'"
    negative = variant(
        tmp_path,
        "smrnaseq/mature_counts.csv",
        '"Clone1_N1",1520,3,',
        '"Clone1_N1",3.18,-2.7,',
        "mature_logtpm.csv",
    )
    with pytest.raises(InputError, match=r"a negative count \(-2\.7\).*mature_logtpm\.csv holds log10 TPM"):
        upstream.read_upstream(negative, "smrnaseq")


# ---- mirtop ---------------------------------------------------------------------------


def test_mirtop_isomirs_are_summed_and_a_repeated_sequence_counted_once():
    """mirtop 0.4.25 wrote the canonical let-7a-5p read once per precursor (two identical
    lines): counted once, then the three let-7a-5p isomiRs are summed."""
    expected = table(
        {
            "hsa-let-7a-5p": [900 + 300 + 20, 850 + 280 + 25, 1200 + 410 + 31],
            "hsa-miR-16-5p": [700 + 40, 650 + 36, 910 + 52],
            "hsa-miR-21-5p": [1500 + 12, 1410 + 15, 990 + 7],
            "hsa-miR-451a": [55, 48, 61],
            "hsa-miR-486-5p": [5200, 4980, 6102],
        },
        NF,
    )
    pd.testing.assert_frame_equal(read("mirtop/mirtop.tsv", "mirtop"), expected)


def test_mirtop_joined_table_of_nf_core(caplog):
    with caplog.at_level(logging.INFO, logger="mirflow.io.upstream"):
        frame = read("mirtop/joined_samples_mirtop.tsv", "mirtop")
    expected = {
        "hsa-miR-21-5p": [1512, 1425, 997],
        "hsa-let-7a-5p": [1220, 1155, 1641],
        "hsa-miR-486-5p": [5200, 4980, 6102],
        # iso-22-9VBMVVBDP is annotated to both miR-19a-3p and miR-19b-3p: counted for each
        "hsa-miR-19a-3p": [25 + 6, 30 + 4, 21 + 9],
        "hsa-miR-19b-3p": [8 + 6, 5 + 4, 11 + 9],
        "hsa-miR-451a": [55, 48, 61],
        "hsa-miR-16-5p": [740, 686, 962],
    }
    pd.testing.assert_frame_equal(frame, table(expected, NF))
    assert "annotated to several miRNAs" in caplog.text
    # nf-core's own mirna.tsv (collapse_mirtop.r) keeps a UID's first row only: the same
    # except for miR-19b-3p, which lacks the shared sequence there.
    nf_core = read("mirtop/mirna.tsv", "mirtop")
    assert nf_core.loc["hsa-miR-19b-3p"].tolist() == [8, 5, 11]
    pd.testing.assert_frame_equal(nf_core.drop("hsa-miR-19b-3p"), frame.drop("hsa-miR-19b-3p"))


def test_mirtop_export_of_isomirs_sums_per_mir():
    expected = table(
        {
            "hsa-let-7a-5p": [1220, 1155, 1641],
            "hsa-miR-16-5p": [740, 686, 962],
            "hsa-miR-19a-3p": [31, 34, 30],
            "hsa-miR-19b-3p": [14, 9, 20],
        },
        NF,
    )
    pd.testing.assert_frame_equal(read("mirtop/mirtop_rawData.tsv", "mirtop"), expected)


def test_mirtop_quoted_multi_sample_field_is_split(caplog):
    """mirtop >= 0.4.27 on its own 2samples.gff: one quoted "samples1<TAB>sample2" column."""
    with caplog.at_level(logging.INFO, logger="mirflow.io.upstream"):
        frame = read("mirtop/mirtop_2samples.tsv", "mirtop")
    pd.testing.assert_frame_equal(frame, table({"hsa-let-7a-5p": [66 + 4, 33 + 2]}, ["samples1", "sample2"]))
    assert "quoted" in caplog.text


def test_mirtop_quoted_field_with_the_wrong_number_of_counts(tmp_path):
    path = variant(tmp_path, "mirtop/mirtop_2samples.tsv", '"4\t2"', '"4\t2\t9"')
    with pytest.raises(
        InputError, match="3 counts in its quoted sample field where the header names 2"
    ) as err:
        upstream.read_upstream(path, "mirtop")
    assert err.value.where == "line 3"


# ---- miRge ----------------------------------------------------------------------------


def test_mirge3_float_counts_and_merged_names_kept(caplog):
    with caplog.at_level(logging.INFO, logger="mirflow.io.upstream"):
        frame = read("mirge3/miR.Counts.csv", "mirge3")
    expected = table(
        {
            "hsa-let-7a-2-3p": [0, 0, 1],
            "hsa-let-7a-3p": [2, 0, 3],
            "hsa-let-7a-5p/7c-5p": [18734, 9121, 22010],
            "hsa-let-7b-5p": [4410, 2260, 5122],
            "hsa-miR-103a-3p/107": [1203, 877, 1390],
            "hsa-miR-16-5p": [5012, 3088, 6021],
            "hsa-miR-21-5p": [2231, 1967, 2540],
            "hsa-miR-451a": [310, 122, 401],
            "hsa-miR-486-5p": [60122, 41877, 70333],
        },
        ["SRR8557389", "SRR8557396", "SRR8557398"],
    )
    pd.testing.assert_frame_equal(frame, expected)
    # never split into members: no hsa-let-7c-5p or hsa-miR-107 row appears
    assert not {"hsa-let-7a-5p", "hsa-let-7c-5p", "hsa-miR-107"} & set(frame.index)
    assert "2 merged miRge names kept as given" in caplog.text


def test_mirge2_summary_row_is_dropped(caplog):
    with caplog.at_level(logging.INFO, logger="mirflow.io.upstream"):
        frame = read("mirge2/miR.Counts.csv", "mirge3")
    assert "miRNAtotal" not in frame.index and frame.shape == (9, 2)
    assert list(frame.columns) == ["SRR8557389.fastq", "SRR8557396.fastq"]
    assert frame.loc["hsa-miR-103a-3p/107"].tolist() == [1203, 877]
    assert "'miRNAtotal' (line 2)" in caplog.text


def test_mirge_member_listed_beside_its_merged_name_is_warned(tmp_path, caplog):
    path = variant(tmp_path, "mirge3/miR.Counts.csv", "hsa-let-7b-5p,", "hsa-let-7c-5p,")
    with caplog.at_level(logging.WARNING, logger="mirflow.io.upstream"):
        frame = upstream.read_upstream(path, "mirge3")
    assert frame.loc["hsa-let-7c-5p"].tolist() == [4410, 2260, 5122]  # kept, not added anywhere
    assert "'hsa-let-7c-5p' is listed both on its own and inside the merged name" in caplog.text


# ---- sRNAbench / sRNAde ---------------------------------------------------------------


def test_srnabench_grouped_keeps_the_maximum_per_mature():
    frame = read("srnabench/S1/mature_sense.grouped", "srnabench")
    expected = {
        "hsa-miR-486-5p": [60122],  # two precursors, the same reads in both rows
        "hsa-let-7a-5p": [18734],  # max(18734, 18734, 18690)
        "hsa-miR-16-5p": [5012],  # max(5012, 4987)
        "hsa-miR-21-5p": [2231],
        "hsa-miR-451a": [310],
        "hsa-let-7a-3p": [2],
    }
    pd.testing.assert_frame_equal(frame, table(expected, ["S1"]))


def test_srnabench_single_assignment_rows_are_summed():
    """Each read is assigned to one row (rows 7 fields long under a 9-column header):
    hsa-miR-16-5p = 5012 + the 25 reads only hsa-mir-16-2 explains."""
    frame = read("srnabench/S1/mature_sense_SA.grouped", "srnabench")
    assert frame["S1"].to_dict() == {
        "hsa-miR-486-5p": 60122,
        "hsa-let-7a-5p": 18734,
        "hsa-miR-16-5p": 5037,
        "hsa-miR-21-5p": 2231,
        "hsa-miR-451a": 310,
        "hsa-let-7a-3p": 2,
    }


def test_srnabench_sample_is_the_output_folder_unless_mapped(tmp_path):
    assert list(read("srnabench/S2/mature_sense.grouped", "srnabench").columns) == ["S2"]
    renamed = tmp_path / "P07.grouped"
    renamed.write_text((FIXTURES / "srnabench/S2/mature_sense.grouped").read_text())
    assert list(upstream.read_upstream(renamed, "srnabench").columns) == ["P07"]
    frame = read("srnabench/S2/mature_sense.grouped", "srnabench", sample="patient 2")
    assert list(frame.columns) == ["patient 2"] and frame.loc["hsa-let-7a-5p", "patient 2"] == 9121
    folder = FIXTURES / "srnabench" / "S1"
    assert upstream.mapped_sample(folder / "mature_sense.grouped", {"S1": "P01"}) == "P01"
    assert upstream.mapped_sample(folder / "mature_sense.grouped", {"S9": "P09"}) is None
    # only an sRNAbench profile is named by its folder
    assert upstream.mapped_sample(FIXTURES / MIRDEEP2, {"mirdeep2": "P01"}) is None


def test_srnade_matrix():
    expected = {
        "hsa-let-7a-5p": [18734, 9121, 22010],
        "hsa-miR-16-5p": [5037, 3093, 6040],
        "hsa-miR-21-5p": [2231, 1967, 2540],
        "hsa-miR-451a": [310, 122, 401],
        "hsa-miR-486-5p": [60122, 41877, 70333],
    }
    pd.testing.assert_frame_equal(
        read("srnabench/mature_sense_minExpr5_RCadj.mat", "srnabench"), table(expected, ["S1", "S2", "S3"])
    )


def test_srnade_genome_mode_loci_reduced_to_their_mirna(tmp_path):
    path = tmp_path / "mature_sense_minExpr1_RC.mat"
    path.write_text("name\tS1\tS2\nhsa-miR-16-5p|locus-a\t5012\t3088\nhsa-miR-16-5p|locus-b\t4987\t3090\n")
    pd.testing.assert_frame_equal(
        upstream.read_upstream(path, "srnabench"), table({"hsa-miR-16-5p": [5012, 3090]}, ["S1", "S2"])
    )


# ---- miRDeep2 -------------------------------------------------------------------------


def test_mirdeep2_keeps_the_maximum_per_mature_and_ignores_norm_columns():
    expected = {
        "hsa-let-7a-5p": [18734, 9121, 22010],  # let-7a-1 and -3; let-7a-2 has fewer
        "hsa-let-7a-3p": [2, 0, 3],
        "hsa-miR-16-5p": [5012, 3088, 6021],  # max over hsa-mir-16-1 / -2
        "hsa-miR-21-5p": [2231, 1967, 2540],
        "hsa-miR-451a": [310, 122, 401],
        "hsa-miR-486-5p": [60122, 41877, 70333],
        "hsa-miR-486-3p": [5, 2, 8],
    }
    pd.testing.assert_frame_equal(read(MIRDEEP2, "mirdeep2"), table(expected, ["s01", "s02", "s03"]))


def test_mirdeep2_weighted_counts_are_refused_with_the_fix(tmp_path):
    path = variant(tmp_path, MIRDEEP2, "\t5012.00\t", "\t2506.50\t")
    with pytest.raises(InputError, match=r"not a whole number \(2506\.50\).*without -W") as err:
        upstream.read_upstream(path, "mirdeep2")
    assert err.value.where == "line 7, column 5 's01'"


def test_mirdeep2_utf16_with_byte_order_mark(tmp_path):
    path = tmp_path / "miRNAs_expressed_all_samples_utf16.csv"
    path.write_bytes((FIXTURES / MIRDEEP2).read_text().encode("utf-16"))
    assert upstream.sniff(path) == "mirdeep2"
    pd.testing.assert_frame_equal(upstream.read_upstream(path, "mirdeep2"), read(MIRDEEP2, "mirdeep2"))


# ---- malformed variants ---------------------------------------------------------------


NON_NUMERIC = [
    (
        "smrnaseq/mature_counts.csv",
        "smrnaseq",
        '"Clone1_N3",1398,0,',
        '"Clone1_N3",1398,n/a,',
        "line 3, column 3 'hsa-let-7a-3p'",
        "the value 'n/a'",
    ),
    (
        "mirtop/joined_samples_mirtop.tsv",
        "mirtop",
        "\t300\t280\t410",
        "\t300\tlots\t410",
        "line 3, column 14 'Clone1_N3'",
        "the value 'lots'",
    ),
    (
        "mirtop/mirtop_rawData.tsv",
        "mirtop",
        "\t700\t650\t910",
        "\t700\t650\t",
        "line 6, column 9 'Control_N1'",
        "an empty cell",
    ),
    (
        "mirge3/miR.Counts.csv",
        "mirge3",
        "hsa-miR-16-5p,5012.0,",
        "hsa-miR-16-5p,5 012,",
        "line 7, column 2 'SRR8557389'",
        "the value '5 012'",
    ),
    (
        "srnabench/S1/mature_sense.grouped",
        "srnabench",
        "\t18\t5012\t",
        "\t18\t5,012\t",
        "line 7, column 3 'read count'",
        "the value '5,012'",
    ),
    (
        "srnabench/S1/mature_sense_SA.grouped",
        "srnabench",
        "\t2\t25\t4987",
        "\t2\t-25\t4987",
        "line 7, column 3 'read count (SA)'",
        r"a negative count \(-25\)",
    ),
    (
        "srnabench/mature_sense_minExpr5_RCadj.mat",
        "srnabench",
        "\t3093\t",
        "\tNA\t",
        "line 3, column 3 'S2'",
        "the value 'NA'",
    ),
    (MIRDEEP2, "mirdeep2", "\t5012.00\t", "\t5012.00x\t", "line 7, column 5 's01'", "the value '5012.00x'"),
]


@pytest.mark.parametrize(("relative", "fmt", "old", "new", "where", "problem"), NON_NUMERIC)
def test_a_count_that_is_not_a_number_is_refused_with_its_place(
    tmp_path, relative, fmt, old, new, where, problem
):
    path = variant(tmp_path, relative, old, new)
    with pytest.raises(InputError, match=problem) as err:
        upstream.read_upstream(path, fmt)
    assert err.value.where == where
    assert err.value.path == str(path) and str(path) in str(err.value)


NO_SAMPLES = [
    (
        "mirtop.tsv",
        "mirtop",
        "UID\tRead\tmiRNA\tVariant\tiso_5p\tiso_3p\tiso_add3p\tiso_snp\n"
        "iso-22-XKVLRYVPQ\tTGAGGTAGTAGGTTGTATAGTT\thsa-let-7a-5p\tNA\t0\t0\t0\t0\n",
    ),
    ("miR.Counts.csv", "mirge3", "miRNA\nhsa-let-7a-5p\nhsa-miR-16-5p\n"),
    ("mature_sense_minExpr5_RC.mat", "srnabench", "name\nhsa-let-7a-5p\n"),
    (
        "miRNAs_expressed_all_samples_x.csv",
        "mirdeep2",
        "#miRNA\tread_count\tprecursor\ttotal\nhsa-let-7a-5p\t5.00\thsa-let-7a-1\t5.00\n",
    ),
]


@pytest.mark.parametrize(("name", "fmt", "text"), NO_SAMPLES)
def test_a_header_without_sample_columns_is_refused(tmp_path, name, fmt, text):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError, match="a header without sample columns") as err:
        upstream.read_upstream(path, fmt)
    assert err.value.where == "header, line 1" and str(path) in str(err.value)


def test_smrnaseq_without_sample_rows_and_srnabench_without_its_count_column(tmp_path):
    path = tmp_path / "mature_counts.csv"
    path.write_text('"","hsa-let-7a-5p","hsa-miR-16-5p"\n')
    with pytest.raises(InputError, match="has a header but no data rows"):
        upstream.read_upstream(path, "smrnaseq")
    cut = tmp_path / "mature_sense.grouped"
    cut.write_text("name\tunique reads\nhsa-let-7a-5p\t25\n")
    with pytest.raises(InputError, match="is not a sRNAbench/sRNAde table") as err:
        upstream.read_upstream(cut, "srnabench")
    assert err.value.where == "header, line 1"


@pytest.mark.parametrize(
    ("relative", "fmt", "old", "new", "where", "problem"),
    [
        (
            MIRDEEP2,
            "mirdeep2",
            "\ts01(norm)",
            "\tnorm_s01",
            "header, line 1, column 9",
            r"'\(norm\)' columns",
        ),
        (
            "mirge3/miR.Counts.csv",
            "mirge3",
            "SRR8557396,",
            "SRR8557389,",
            "header, line 1, column 3",
            "the sample 'SRR8557389' appears more than once",
        ),
        (
            "mirge3/miR.Counts.csv",
            "mirge3",
            "hsa-miR-21-5p,",
            "hsa-miR-16-5p,",
            "line 8, column 1 'miRNA'",
            r"'hsa-miR-16-5p' appears more than once \(first at line 7\)",
        ),
        (
            "smrnaseq/mature_counts.csv",
            "smrnaseq",
            '"Control_N2"',
            '"Clone1_N1"',
            "line 5, column 1 'sample'",
            "the sample 'Clone1_N1' appears more than once",
        ),
        (
            "mirtop/joined_samples_mirtop.tsv",
            "mirtop",
            "\thsa-miR-451a\t",
            "\t\t",
            "line 7, column 3 'miRNA'",
            "a row without a miRNA name",
        ),
        (
            "srnabench/S1/mature_sense_SA.grouped",
            "srnabench",
            "hsa-miR-16-5p\t2\t25\t",
            "hsa-miR-16-5p\t2\n25\t",
            "line 7",
            "has 2 fields where 3 to 9 are expected",
        ),
        ("mirtop/mirtop.tsv", "mirtop", "\t5200\t4980\t6102", "\t5200\t4980", "line 11", "has 14 fields"),
    ],
)
def test_other_malformed_tables_are_refused_with_their_place(
    tmp_path, relative, fmt, old, new, where, problem
):
    path = variant(tmp_path, relative, old, new)
    with pytest.raises(InputError, match=problem) as err:
        upstream.read_upstream(path, fmt)
    assert err.value.where == where and str(path) in str(err.value)


def test_a_table_named_as_another_format_says_what_it_looks_like():
    with pytest.raises(InputError, match=re.escape("looks like a miRge table: counts.format: mirge3")):
        read("mirge2/miR.Counts.csv", "mirdeep2")
    with pytest.raises(InputError, match="is not a mirtop table"):
        read("decoys/matrix.tsv", "mirtop")
    with pytest.raises(InputError, match="separates its fields by tabs, this file does not"):
        read("mirge3/miR.Counts.csv", "srnabench")


def test_undecodable_and_empty_files(tmp_path):
    latin1 = tmp_path / "miR.Counts.csv"
    latin1.write_bytes(b"miRNA,S1\nmiRNAtotal,3\nhsa-miR-\xe9,1\n")
    with pytest.raises(InputError, match="byte 0xE9 is not UTF-8 text") as err:
        upstream.read_upstream(latin1, "mirge3")
    assert err.value.where == "line 3, byte offset 30"
    empty = tmp_path / "empty.grouped"
    empty.write_text("")
    with pytest.raises(InputError, match=r"is empty \(0 bytes\)"):
        upstream.read_upstream(empty, "srnabench")
    with pytest.raises(InputError, match="file not found"):
        upstream.read_upstream(tmp_path / "absent.csv", "mirge3")


def test_a_sample_mapped_to_a_table_of_several_samples_is_refused():
    with pytest.raises(InputError, match="maps this file to the sample 'P01', but it holds 3 samples"):
        read(MIRDEEP2, "mirdeep2", sample="P01")
    with pytest.raises(ValueError, match="unknown upstream format"):
        read(MIRDEEP2, "mirdeep3")


def test_expression_kind_keeps_fractions_as_floats(tmp_path):
    path = variant(tmp_path, MIRDEEP2, "\t5012.00\t", "\t2506.50\t")
    frame = upstream.read_upstream(path, "mirdeep2", kind="expression")
    assert frame.dtypes.eq("float64").all()
    assert frame.loc["hsa-miR-16-5p", "s01"] == 4987.0  # max(2506.5, 4987)


def test_a_count_beyond_2_to_the_53_is_refused_exactly(tmp_path):
    path = variant(tmp_path, "mirge3/miR.Counts.csv", "hsa-miR-451a,310.0,", "hsa-miR-451a,9007199254740993,")
    with pytest.raises(InputError, match=r"too large to hold exactly \(9007199254740993") as err:
        upstream.read_upstream(path, "mirge3")
    assert err.value.where == "line 9, column 2 'SRR8557389'"
