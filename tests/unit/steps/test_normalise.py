"""mirflow.steps.normalise (with steps.qc and qc_figures before it): a filter that keeps no
miRNA is one input error naming the settings and what would pass; an empty library is
excluded by QC before any size factor is computed (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.errors import InputError
from mirflow.io.tables import read_tsv, write_tsv
from mirflow.settings import ContrastSettings, FilterSettings, QCSettings
from mirflow.stats import normalise
from mirflow.steps import normalise as normalise_step
from mirflow.steps.qc import run_qc
from mirflow.steps.qc_figures import run_qc_figures

CONTRAST = ContrastSettings("group", "NEC", "healthy")


def _counts_files(tmp_path, counts: pd.DataFrame, excluded: dict[str, str] | None = None) -> dict[str, str]:
    groups = ["NEC" if s.startswith("P") else "healthy" for s in counts.columns]
    paths = {k: str(tmp_path / f"{k}.tsv") for k in ("samples", "counts", "qc")}
    write_tsv(pd.DataFrame({"sample": counts.columns, "group": groups}), paths["samples"])
    write_tsv(counts, paths["counts"], index_label="mirna")
    excluded = excluded or {}
    write_tsv(
        pd.DataFrame(
            {
                "sample": counts.columns,
                "excluded": [s in excluded for s in counts.columns],
                "reason": [excluded.get(s, "") for s in counts.columns],
            }
        ),
        paths["qc"],
    )
    return paths


def _counts(n_mirna: int = 30, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    samples = [f"P{i}" for i in range(6)] + [f"H{i}" for i in range(6)]
    return pd.DataFrame(
        rng.poisson(rng.uniform(5, 3000, size=(n_mirna, 1)), size=(n_mirna, len(samples))),
        index=[f"miR-{i}" for i in range(n_mirna)],
        columns=samples,
    )


def _normalise(tmp_path, paths: dict[str, str], settings: FilterSettings) -> None:
    outs = [
        str(tmp_path / f"{k}.tsv") for k in ("raw", "normalised", "size_factors", "filtered", "transformed")
    ]
    normalise_step.run_normalise(
        settings, "deseq2", "counts", "auto", CONTRAST, paths["samples"], paths["counts"], paths["qc"], *outs
    )


def test_filter_that_keeps_no_mirna_is_one_input_error(tmp_path):
    counts = _counts()
    paths = _counts_files(tmp_path, counts)
    with pytest.raises(InputError) as error:
        _normalise(tmp_path, paths, FilterSettings(min_count=1_000_000, min_fraction=0.5))
    message = str(error.value)
    largest = counts.to_numpy().max()
    reachable = np.sort(counts.to_numpy(), axis=1)[:, -3].max()
    assert message == (
        "config (filter): no miRNA has >= 1000000 counts in >= 3 samples (filter.min_count, "
        f"filter.min_fraction: 0.5 of the smaller group); the largest count is {largest}, and the best of "
        "the 30 miRNAs has >= 1000000 counts in 0 sample(s). Fix: lower filter.min_count (a miRNA passes up "
        f"to min_count {reachable}) or filter.min_fraction"
    )
    assert not (tmp_path / "normalised.tsv").exists()


def test_empty_library_is_excluded_before_size_factors(tmp_path, monkeypatch):
    """(The QC rule that excludes it: tests/unit/stats/test_qc.py.)"""
    counts = _counts().assign(H5=0)
    paths = _counts_files(tmp_path, counts)
    settings = QCSettings(0, 7, "miR-0", "miR-1", {})
    figures = [(str(tmp_path / f"{n}.png"), str(tmp_path / f"{n}.pdf")) for n in ("qc", "pca")]
    run_qc(settings, CONTRAST, True, paths["samples"], paths["counts"], paths["qc"])
    run_qc_figures(
        settings,
        CONTRAST,
        True,
        paths["samples"],
        paths["counts"],
        paths["qc"],
        str(tmp_path / "pca.tsv"),
        *figures,
    )
    assert read_tsv(paths["qc"]).set_index("sample").loc["H5", "reason"] == "library size 0"
    seen = []
    original = normalise.size_factors

    def spy(table, method, library_sizes):
        seen.append(list(table.columns))
        return original(table, method, library_sizes)

    monkeypatch.setattr(normalise, "size_factors", spy)
    _normalise(tmp_path, paths, FilterSettings(min_count=10, min_fraction=0.5))
    assert seen and "H5" not in seen[0]
    factors = read_tsv(tmp_path / "size_factors.tsv")
    assert "H5" not in factors["sample"].tolist()
    assert np.isfinite(factors["size_factor"]).all()
