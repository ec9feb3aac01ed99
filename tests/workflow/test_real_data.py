"""The real tables in ../shared/data/real run through the workflow by config alone.

Each test writes a sample sheet derived from the dataset's own metadata and a config
pointing at the file in ../shared, runs snakemake in a temporary directory and checks
what came out. Skipped, with the reason, where ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import real_file, run_workflow

from mirflow.io.tables import read_tsv


def _run(tmp_path: Path, snakefile: Path, sheet: pd.DataFrame, config: dict, *targets: str) -> Path:
    sheet.to_csv(tmp_path / "samples.tsv", sep="\t", index=False)
    config = {"samples": "samples.tsv", "survival": {"endpoints": {}}, **config}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    result = run_workflow(tmp_path, *targets, snakefile=snakefile, configfile=tmp_path / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp_path / "results"


def test_geneglobe_workbook_of_one_library_per_group_stops_before_any_job(tmp_path, snakefile):
    """Two libraries, one per group: no comparison is possible, and the run says so before
    any job (the workbook's reading: tests/unit/io/test_counts.py and test_names.py)."""
    path = real_file("qiaseq-geneglobe-legacy-cedars/2425.all_samples.summary.xlsx")
    sheet = pd.DataFrame({"sample": ["S1", "S2"], "group": ["tumour", "normal"]})
    config = {
        "samples": "samples.tsv",
        "survival": {"endpoints": {}},
        "counts": {"path": str(path), "value": "reads"},
        "contrast": {"column": "group", "case": "tumour", "control": "normal"},
    }
    sheet.to_csv(tmp_path / "samples.tsv", sep="\t", index=False)
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    for targets in ([], ["results/counts/normalised.tsv"]):
        result = run_workflow(tmp_path, *targets, snakefile=snakefile, configfile=tmp_path / "config.yaml")
        assert result.returncode != 0
        assert "1 case sample(s) (group = 'tumour')" in result.stderr
        assert "needs at least 2 samples per group" in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "results").exists()


def test_lynch_rectal_cancer_vs_controls(tmp_path, snakefile):
    counts = real_file("lynch-circulating-mirna/rawCounts.tsv")
    pheno = pd.read_csv(real_file("lynch-circulating-mirna/phenodata.txt"), sep="\t")
    sheet = pheno.assign(sample="chip." + pheno["Sample"])[["sample", "Type", "NGS"]]
    results = _run(
        tmp_path,
        snakefile,
        sheet,
        {
            "counts": {"path": str(counts)},
            "covariates": ["NGS"],
            "contrast": {"column": "Type", "case": "SRME", "control": "CTRL"},
        },
    )
    qc = read_tsv(results / "qc/samples.tsv")
    analysed = qc[~qc["excluded"]]
    assert (qc["reason"].str.contains("not in contrast")).sum() == 94  # the Lynch carriers
    assert analysed["group"].value_counts().to_dict() == {"CTRL": 36, "SRME": 23}
    factors = read_tsv(results / "counts/size_factors.tsv")
    assert len(factors) == 59 and (factors["method"] == "median_of_ratios").all()
    adjusted = read_tsv(results / "de/deseq2.tsv")
    assert len(adjusted) == 381 and (adjusted["p_adjusted"] < 0.05).sum() == 8  # as R's DESeq2 finds


def test_covid_icu_mortality(tmp_path, snakefile):
    counts = real_file("covid-icu-mirna/miRNA_counts.csv")
    clinical = pd.read_csv(real_file("covid-icu-mirna/clinical_data.csv"))
    sheet = clinical[["id", "icu_mort", "age", "sex", "follow_up.icu"]].rename(columns={"id": "sample"})
    columns = pd.read_csv(counts, nrows=0).columns[1:]
    sheet = sheet[sheet["sample"].isin(columns)]
    results = _run(
        tmp_path,
        snakefile,
        sheet,
        {
            "counts": {"path": str(counts)},
            "covariates": ["age"],
            "contrast": {"column": "icu_mort", "case": 1, "control": 0},
            "cohort": {"variables": ["age", "sex"]},
            "survival": {
                "population": "all",
                "endpoints": {"ICU": {"time": "follow_up.icu", "event": "icu_mort", "landmark": 14}},
            },
        },
    )
    raw = read_tsv(results / "counts/raw.tsv", index_col="mirna")
    assert raw.index.is_unique and "hsa-let-7a-5p" in raw.index
    km = read_tsv(results / "prognostic/km.tsv")
    markers = read_tsv(results / "diagnostic/markers.tsv")
    assert len(km) == 2 * len(markers) and set(km["endpoint"]) <= {"ICU"}
    cohort = read_tsv(results / "cohort/characteristics.tsv")
    assert cohort.iloc[0][["control", "case"]].tolist() == ["34", "9"]


@pytest.mark.parametrize("project", ["PRJNA540915", "PRJNA913165"])
def test_evmirna_cancer_vs_healthy(tmp_path, snakefile, project):
    counts = real_file(f"evmirna2-ev-mirna/{project}_expression_count.csv")
    meta = pd.read_csv(real_file(f"evmirna2-ev-mirna/{project}_metadata.csv"))
    sheet = pd.DataFrame({"sample": meta["Run"], "disease": meta["disease"]})
    case = next(d for d in sheet["disease"].unique() if d != "Healthy donor")
    results = _run(
        tmp_path,
        snakefile,
        sheet,
        {
            "counts": {"path": str(counts)},
            "contrast": {"column": "disease", "case": case, "control": "Healthy donor"},
        },
    )
    normalised = read_tsv(results / "counts/normalised.tsv", index_col="mirna")
    assert normalised.shape[1] == (~read_tsv(results / "qc/samples.tsv")["excluded"]).sum()
    assert (normalised >= 0).all().all()
