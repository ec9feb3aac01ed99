"""mirflow.stats.normalise: filtering and size factors, checked against R DESeq2 on real
circulating-miRNA data (../shared, where present) and on the demo; the locked reference
reproduces the discovery size factors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, ROOT, real_file

from mirflow.io.counts import read_counts
from mirflow.io.names import harmonise
from mirflow.io.sheet import contrast_labels, read_sample_sheet
from mirflow.settings import ContrastSettings
from mirflow.stats import normalise, qc

TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def lynch(mirbase):
    """Lynch SRME (case) vs CTRL (control) counts after QC, as the workflow builds them."""
    counts, _ = harmonise(read_counts([real_file("lynch-circulating-mirna/rawCounts.tsv")]), mirbase)
    pheno = pd.read_csv(real_file("lynch-circulating-mirna/phenodata.txt"), sep="\t")
    sheet = pheno.assign(sample="chip." + pheno["Sample"]).set_index("sample")
    labels = contrast_labels(sheet, ContrastSettings("Type", "SRME", "CTRL"))
    metrics = qc.qc_metrics(counts, "hsa-miR-451a", "hsa-miR-23a-3p")
    table = qc.exclusion_reasons(metrics, labels, 50000, 7, {})
    kept = table.loc[~table["excluded"], "sample"]
    return counts[kept], labels


def _reference(name: str) -> pd.Series:
    table = pd.read_csv(FIXTURES / "r" / name, sep="\t", dtype={"sample": str})
    return table.set_index("sample")["size_factor"]


def test_median_of_ratios_matches_r_deseq2(lynch):
    counts, labels = lynch
    filtered, _ = normalise.filter_mirnas(counts, labels, 10, 0.5)
    factors, method = normalise.size_factors(filtered, "deseq2", counts.sum())
    assert method == "median_of_ratios"
    reference = _reference("lynch_ratio_size_factors.tsv")
    assert list(factors.index) == list(reference.index)
    np.testing.assert_allclose(factors.to_numpy(), reference.to_numpy(), rtol=0, atol=TOLERANCE)


def test_poscounts_fallback_matches_r_deseq2(lynch):
    counts, _ = lynch
    with_zeros = counts[(counts == 0).any(axis=1) & (counts.sum(axis=1) > 0)]
    factors, method = normalise.size_factors(with_zeros, "deseq2", counts.sum())
    assert method == "poscounts"
    reference = _reference("lynch_poscounts_size_factors.tsv")
    np.testing.assert_allclose(
        factors[reference.index].to_numpy(), reference.to_numpy(), rtol=0, atol=TOLERANCE
    )


def test_filter_uses_the_smaller_group():
    counts = pd.DataFrame(
        {"c1": [10, 10, 0], "c2": [10, 0, 50], "k1": [0, 0, 50], "k2": [0, 0, 50], "k3": [0, 0, 50]},
        index=["only_in_two_controls", "one_sample", "cases"],
    )
    labels = pd.Series(["control", "control", "case", "case", "case"], index=counts.columns)
    kept, dropped = normalise.filter_mirnas(counts, labels, 10, 0.5)
    # smaller group = 2 controls -> at least 1 sample with >= 10 counts
    assert list(kept.index) == ["only_in_two_controls", "one_sample", "cases"]
    kept, dropped = normalise.filter_mirnas(counts, labels, 10, 1.0)
    assert list(kept.index) == ["only_in_two_controls", "cases"]
    assert dropped["mirna"].tolist() == ["one_sample"]
    assert dropped["samples_required"].tolist() == [2]


def test_cpm_and_upper_quartile():
    counts = pd.DataFrame({"a": [10, 20, 30, 40], "b": [20, 40, 60, 80]}, index=list("wxyz"))
    libraries = pd.Series({"a": 1e6, "b": 2e6})
    factors, method = normalise.size_factors(counts, "cpm", libraries)
    assert method == "cpm" and factors.tolist() == [1.0, 2.0]
    factors, _ = normalise.size_factors(counts, "upper_quartile", libraries)
    assert factors["b"] / factors["a"] == pytest.approx(2.0)
    assert np.exp(np.log(factors).mean()) == pytest.approx(1.0)
    normalised = normalise.normalise(counts, factors)
    np.testing.assert_allclose(normalised["a"], normalised["b"])


def test_normalised_values_are_the_pandas_quotients(lynch):
    counts, labels = lynch
    filtered, dropped = normalise.filter_mirnas(counts, labels, 10, 0.5)
    passing = (counts >= 10).sum(axis=1)
    assert filtered.index.equals(passing.index[passing >= dropped["samples_required"].iloc[0]])
    assert dropped["samples_at_min_count"].tolist() == passing[dropped["mirna"]].tolist()
    factors, _ = normalise.size_factors(filtered, "deseq2", counts.sum())
    normalised = normalise.normalise(filtered, factors)
    assert normalised.index.equals(filtered.index) and normalised.columns.equals(filtered.columns)
    assert np.array_equal(normalised.to_numpy(), (filtered / factors).to_numpy())


def test_log2_transform():
    values = pd.DataFrame({"a": [0.0, 3.0]})
    assert normalise.transform(values, "log2")["a"].tolist() == [0.0, 2.0]


def test_demo_size_factors_match_r_deseq2(mirbase):
    counts, _ = harmonise(read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"]), mirbase)
    sheet = read_sample_sheet(ROOT / "config/samples.tsv")
    labels = contrast_labels(sheet, ContrastSettings("group", "NEC", "healthy"))
    table = qc.exclusion_reasons(
        qc.qc_metrics(counts, "hsa-miR-451a", "hsa-miR-23a-3p"), labels, 50000, 7, {}
    )
    kept = counts[table.loc[~table["excluded"], "sample"]]
    filtered, _ = normalise.filter_mirnas(kept, labels, 10, 0.5)
    factors, method = normalise.size_factors(filtered, "deseq2", kept.sum())
    reference = _reference("demo_ratio_size_factors.tsv")
    assert method == "median_of_ratios" and list(factors.index) == list(reference.index)
    np.testing.assert_allclose(factors.to_numpy(), reference.to_numpy(), rtol=0, atol=TOLERANCE)


def test_size_factors_refuse_an_empty_library():
    rng = np.random.default_rng(2)
    samples = [f"P{i}" for i in range(6)] + [f"H{i}" for i in range(6)]
    counts = pd.DataFrame(
        rng.poisson(rng.uniform(5, 3000, size=(30, 1)), size=(30, len(samples))),
        index=[f"miR-{i}" for i in range(30)],
        columns=samples,
    ).assign(H5=0)
    with pytest.raises(ValueError, match="empty libraries \\(H5\\)"):
        normalise.size_factors(counts, "deseq2", counts.sum(axis=0))
