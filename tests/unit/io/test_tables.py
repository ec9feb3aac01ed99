"""mirflow.io.tables: the TSV writer writes the bytes pandas' to_csv writes (faster), and
what it writes reads back as written."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mirflow.io.tables import read_tsv, write_tsv


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


def test_an_endpoint_named_like_a_number_reads_back_as_its_name(tmp_path):
    """The figures' step matches endpoints on the tables it reads: "2" must stay "2"."""
    write_tsv(pd.DataFrame({"endpoint": ["2", "True"], "mirna": ["miR-a", "miR-a"]}), tmp_path / "km.tsv")
    assert read_tsv(tmp_path / "km.tsv")["endpoint"].tolist() == ["2", "True"]
