"""mirflow.stats.qc: QC metrics, exclusion reasons and PCA; the numpy versions give the bits of the
pandas formulas they replace (the ranking of features by variance, and so the PCA, unchanged)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.io.tables import read_tsv, write_tsv
from mirflow.stats import qc


def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {"ok": [400, 100, 50_000], "lysed": [12_800, 10, 60_000], "small": [40, 10, 100]},
        index=["hsa-miR-451a", "hsa-miR-23a-3p", "hsa-miR-16-5p"],
    )


def test_metrics_and_reasons():
    metrics = qc.qc_metrics(_counts(), "hsa-miR-451a", "hsa-miR-23a-3p")
    assert metrics["library_size"].tolist() == [50_500, 72_810, 150]
    assert metrics["detected"].tolist() == [3, 3, 3]
    np.testing.assert_allclose(metrics["hemolysis_log2"], [2.0, np.log2(1280), 2.0])
    labels = pd.Series(["case", "control", pd.NA], index=["ok", "lysed", "small"], dtype="string")
    table = qc.exclusion_reasons(metrics, labels, 50_000, 7, {"ok": "failed library prep"})
    assert table.columns.tolist() == qc.QC_COLUMNS
    assert table["excluded"].tolist() == [True, True, True]
    assert table.at[0, "reason"] == "excluded in config: failed library prep"
    assert table.at[1, "reason"].startswith("hemolysed: log2 ratio 10.32 > 7")
    assert table.at[2, "reason"] == "not in contrast; library size 150 < 50000"


def test_hemolysis_not_computable_is_missing_not_infinite():
    counts = _counts()
    counts.loc["hsa-miR-23a-3p", "ok"] = 0
    ratio = qc.hemolysis_log2(counts, "hsa-miR-451a", "hsa-miR-23a-3p")
    assert np.isnan(ratio["ok"]) and np.isfinite(ratio["lysed"])
    assert qc.hemolysis_log2(counts, "hsa-miR-451a", "absent").isna().all()


def test_pca_is_deterministic_and_separates_groups():
    rng = np.random.default_rng(1)
    values = pd.DataFrame(rng.normal(size=(50, 10)), columns=[f"s{i}" for i in range(10)])
    values.iloc[:10, 5:] += 5
    first, variance = qc.pca_scores(values)
    second, _ = qc.pca_scores(values)
    pd.testing.assert_frame_equal(first, second)
    assert variance[0] > variance[1]
    assert (np.sign(first["PC1"].iloc[:5]) != np.sign(first["PC1"].iloc[5:].mean())).all()


def _as_read(table: pd.DataFrame, tmp_path) -> pd.DataFrame:
    """The table as the QC step gets it: written, then read back (a block per column)."""
    write_tsv(table, tmp_path / "table.tsv", index_label="mirna")
    return read_tsv(tmp_path / "table.tsv", index_col="mirna")


@pytest.mark.parametrize("integers", [True, False])
def test_numpy_qc_gives_the_bits_of_the_pandas_formulas(tmp_path, integers):
    rng = np.random.default_rng(3)
    values = rng.negative_binomial(1, 0.01, size=(300, 40))
    values[:, 3] = 0  # an empty library
    table = pd.DataFrame(values if integers else values * 1.37, columns=[f"s{j}" for j in range(40)])
    counts = _as_read(table.set_axis([f"hsa-miR-{i}" for i in range(300)]), tmp_path)
    metrics = qc.qc_metrics(counts, "hsa-miR-1", "hsa-miR-2")
    assert np.array_equal(metrics["library_size"].to_numpy(), counts.sum(axis=0).to_numpy())
    assert np.array_equal(metrics["detected"].to_numpy(), (counts >= 1).sum(axis=0).to_numpy())
    sizes = counts.sum(axis=0).replace(0, np.nan)
    expected = np.log2(counts / sizes * 1e6 + 1).fillna(0.0)
    assert np.array_equal(qc.log_cpm(counts).to_numpy(), expected.to_numpy())
    for frame in (counts, _as_read(expected, tmp_path)):
        assert np.array_equal(qc.row_variances(frame.to_numpy()), frame.var(axis=1).to_numpy())


def test_an_empty_library_is_excluded_whatever_the_library_size_threshold():
    rng = np.random.default_rng(2)
    samples = [f"P{i}" for i in range(6)] + [f"H{i}" for i in range(6)]
    counts = pd.DataFrame(
        rng.poisson(rng.uniform(5, 3000, size=(30, 1)), size=(30, len(samples))),
        index=[f"miR-{i}" for i in range(30)],
        columns=samples,
    ).assign(H5=0)
    metrics = qc.qc_metrics(counts, "miR-0", "miR-1")
    labels = pd.Series(["case"] * 6 + ["control"] * 6, index=counts.columns)
    for threshold in (0, 50_000):
        table = qc.exclusion_reasons(metrics, labels, threshold, 7, {}).set_index("sample")
        assert table.loc["H5", "excluded"]
        assert table.loc["H5", "reason"] == "library size 0"
