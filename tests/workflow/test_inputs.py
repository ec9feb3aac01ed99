"""Inputs as users give them, through the workflow: GeneGlobe's per-sample exports matched by
a glob and the sheet's 'file' column, and expression values (qPCR 2^-dCt) that skip
normalisation. Each run makes only the tables its test reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import ROOT, demo_config, run_workflow

from mirflow.io.counts import read_counts
from mirflow.io.tables import read_tsv


def _edit_sheet(workdir: Path, edit) -> dict:
    sheet = pd.read_csv(ROOT / "config/samples.tsv", sep="\t", comment="#", dtype=str, keep_default_na=False)
    sheet = edit(sheet)
    path = workdir / "samples.tsv"
    sheet.to_csv(path, sep="\t", index=False)
    return {"samples": str(path)}


def test_per_sample_exports_via_glob_and_file_column(tmp_path, demo, snakefile):
    """GeneGlobe's newer one-file-per-sample exports, mapped by the sheet's 'file' column."""
    table = read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"])
    exports = tmp_path / "exports"
    exports.mkdir()
    for sample in table.columns:
        detected = table.loc[table[sample] > 0, sample]
        frame = pd.DataFrame({"Name": detected.index, "Count": detected.to_numpy()})
        frame.assign(CPM=frame["Count"] / frame["Count"].sum() * 1e6).to_csv(
            exports / f"run_{sample}.csv", index=False
        )
    changes = _edit_sheet(tmp_path, lambda s: s.assign(file="run_" + s["sample"]))
    config = demo_config(tmp_path, counts={"path": str(exports / "*.csv")}, **changes)
    result = run_workflow(tmp_path, "results/counts/raw.tsv", snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    raw = read_tsv(tmp_path / "results/counts/raw.tsv", index_col="mirna")
    expected = read_tsv(demo / "counts/raw.tsv", index_col="mirna")
    pd.testing.assert_frame_equal(raw.loc[expected.index, expected.columns], expected)


def test_expression_values_skip_normalisation(tmp_path, demo, snakefile):
    """kind: expression (e.g. qPCR 2^-dCt): values used as given, no filter, no size factors."""
    values = read_tsv(demo / "counts/normalised.tsv", index_col="mirna")
    path = tmp_path / "expression.tsv"
    values.to_csv(path, sep="\t", index_label="mirna")
    drop_hemolysed = _edit_sheet(tmp_path, lambda s: s[s["sample"].isin(values.columns)])
    counts = {"path": str(path), "kind": "expression"}
    # no validation: the bundled validation cohort is counts, which a lock of kind expression refuses
    config = demo_config(tmp_path, counts=counts, validation=None, **drop_hemolysed)
    targets = ["results/de/candidates.tsv", "results/figures/de_volcano_wilcoxon.png"]
    result = run_workflow(tmp_path, *targets, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    out = read_tsv(tmp_path / "results/counts/normalised.tsv", index_col="mirna")
    pd.testing.assert_frame_equal(out, values, check_exact=False, rtol=1e-15)
    transformed = read_tsv(tmp_path / "results/counts/transformed.tsv", index_col="mirna")
    pd.testing.assert_frame_equal(transformed, values, check_exact=False, rtol=1e-15)
    factors = read_tsv(tmp_path / "results/counts/size_factors.tsv")
    assert (factors["size_factor"] == 1).all() and factors["method"].str.startswith("none").all()
    candidates = read_tsv(tmp_path / "results/de/candidates.tsv")
    assert len(candidates) >= 10 and (candidates["screened_by"] == "wilcoxon").all()
    assert candidates["adjusted_p_adjusted"].isna().all()
    assert not (tmp_path / "results/de/deseq2.tsv").exists()
    assert (tmp_path / "results/figures/de_volcano_wilcoxon.png").exists()
    # the whole run is planned without DESeq2 (a dry run of everything else)
    dry = run_workflow(tmp_path, "-n", snakefile=snakefile, configfile=config)
    assert dry.returncode == 0, dry.stderr[-3000:]
    assert "rule deseq2" not in dry.stdout and "rule deseq2_as_adjusted" not in dry.stdout
