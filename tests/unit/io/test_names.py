"""mirflow.io.names: name harmonisation to miRBase v22 (real tables from ../shared where present)."""

from __future__ import annotations

import pandas as pd
from conftest import real_file

from mirflow.io.counts import read_counts
from mirflow.io.names import harmonise, harmonise_name


def test_single_names(mirbase):
    assert harmonise_name("hsa-miR-16-5p", mirbase) == ("hsa-miR-16-5p", "kept", "")
    assert harmonise_name("hsa-mir-100-5p", mirbase)[:2] == ("hsa-miR-100-5p", "case_fixed")
    # miR-320a lost its arm-less name in v22 (MIMAT0000510 is now hsa-miR-320a-3p).
    assert harmonise_name("hsa-miR-320a", mirbase)[:2] == ("hsa-miR-320a-3p", "renamed")
    assert harmonise_name("hsa-miR-151b/151a-5p", mirbase)[:2] == ("hsa-miR-151b/151a-5p", "merged_name")
    assert harmonise_name("hsa_piR_000651/gb/DQ570812/Homo", mirbase)[:2] == (None, "set_aside")
    assert harmonise_name("miR-21-5p", mirbase)[:2] == ("hsa-miR-21-5p", "renamed")
    assert harmonise_name("hsa-miR-99999", mirbase)[1] == "not_in_mirbase"


def test_duplicates_keep_the_maximum_not_the_sum(mirbase):
    counts = pd.DataFrame(
        {"a": [5, 7, 100], "b": [3, 2, 1]},
        index=["hsa-mir-21-5p", "hsa-miR-21-5p", "hsa_piR_1"],
    )
    harmonised, report = harmonise(counts, mirbase)
    assert harmonised.loc["hsa-miR-21-5p"].tolist() == [7, 3]
    assert list(harmonised.index) == ["hsa-miR-21-5p"]
    assert set(report["action"]) == {"collapsed", "set_aside"}


def test_covid_precursor_rows_collapse_without_summing(mirbase):
    raw = read_counts([real_file("covid-icu-mirna/miRNA_counts.csv")])
    harmonised, report = harmonise(raw, mirbase)
    rows = raw.loc[[n for n in raw.index if n.split()[0] == "hsa-let-7a-5p"]]
    assert len(rows) == 3
    pd.testing.assert_series_equal(harmonised.loc["hsa-let-7a-5p"], rows.max(), check_names=False)
    assert (report["action"] == "collapsed").sum() == 202
    assert harmonised.index.is_unique


def test_geneglobe_v21_names_and_pirnas(mirbase):
    raw = read_counts([real_file("qiaseq-geneglobe-legacy-cedars/2425.all_samples.summary.xlsx")])
    harmonised, report = harmonise(raw, mirbase)
    assert (report["action"] == "set_aside").sum() == 105  # the piRNA block
    assert "hsa-miR-320a-3p" in harmonised.index and "hsa-miR-320a" not in harmonised.index
    assert "hsa-miR-151b/151a-5p" in harmonised.index
    assert len(harmonised) == 480


def test_lynch_lower_case_names(mirbase):
    raw = read_counts([real_file("lynch-circulating-mirna/rawCounts.tsv")])
    harmonised, report = harmonise(raw, mirbase)
    assert "hsa-miR-100-5p" in harmonised.index
    assert not any(name.startswith("hsa-mir-") for name in harmonised.index)
    assert set(report["action"]) == {"case_fixed"}
