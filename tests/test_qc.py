"""QC metrics, exclusion reasons and PCA."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
