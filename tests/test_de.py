"""Differential expression: pydeseq2 against R DESeq2, Wilcoxon against R, the demo's truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, ROOT, prepare_cohort, real_file
from scipy.stats import spearmanr

from mirflow.analyses.de import candidates, table4
from mirflow.errors import InputError
from mirflow.io.counts import read_counts
from mirflow.io.sheet import read_sample_sheet
from mirflow.settings import DESettings
from mirflow.stats import deseq2, deseq2_design, normalise
from mirflow.stats.wilcoxon import wilcoxon_table

ALPHA = 0.05
TABLE4 = [
    "hsa-miR-1224-5p",
    "hsa-miR-1246",
    "hsa-miR-1290",
    "hsa-miR-141-3p",
    "hsa-miR-200a-3p",
    "hsa-miR-200b-3p",
    "hsa-miR-200c-3p",
    "hsa-miR-210-3p",
    "hsa-miR-320b",
    "hsa-miR-320c",
    "hsa-miR-320d",
    "hsa-miR-375-3p",
    "hsa-miR-4488",
    "hsa-miR-483-5p",
    "hsa-miR-760",
    "hsa-miR-874-3p",
    "hsa-miR-92b-3p",
    "hsa-miR-95-3p",
    "hsa-miR-10a-5p",
    "hsa-miR-184",
]
MARKERS = ["hsa-miR-1246", "hsa-miR-1290", "hsa-miR-320c"]


@pytest.fixture(scope="module")
def demo(mirbase):
    sheet = read_sample_sheet(ROOT / "config/samples.tsv")
    counts = read_counts([ROOT / "resources/demo/demo_geneglobe.xlsx"])
    return prepare_cohort(
        counts, sheet, {"column": "group", "case": "NEC", "control": "healthy"}, ["age"], mirbase
    )


@pytest.fixture(scope="module")
def lynch(mirbase):
    counts = read_counts([real_file("lynch-circulating-mirna/rawCounts.tsv")])
    pheno = pd.read_csv(real_file("lynch-circulating-mirna/phenodata.txt"), sep="\t")
    sheet = pheno.assign(sample="chip." + pheno["Sample"]).set_index("sample")
    return prepare_cohort(
        counts, sheet, {"column": "Type", "case": "SRME", "control": "CTRL"}, ["NGS"], mirbase
    )


def _fits(cohort) -> dict[str, pd.DataFrame]:
    counts, labels, covariates = cohort
    fits = {}
    for name, frame_covariates in (("unadjusted", None), ("adjusted", covariates)):
        frame, formula, _ = deseq2_design.design_frame(labels, frame_covariates)
        fits[name] = deseq2.run_deseq2(counts, frame, formula, ALPHA)
    return fits


@pytest.fixture(scope="module")
def demo_fits(demo):
    return _fits(demo)


def _reference(name: str) -> pd.DataFrame:
    table = pd.read_csv(FIXTURES / "r" / name, sep="\t", na_values=["NA"])
    return table[~table["mirna"].str.startswith("#")].set_index("mirna")


def _agreement(ours: pd.DataFrame, reference: pd.DataFrame) -> dict[str, float]:
    """The issue's agreement figures between a pydeseq2 fit and R's."""
    ours = ours.set_index("mirna").loc[reference.index]
    expressed = reference["base_mean"] >= 10
    lfc_close = (ours["log2_fold_change"] - reference["log2_fold_change"]).abs()[expressed] <= 0.05
    ours_sig = set(ours.index[ours["p_adjusted"] < ALPHA])
    r_sig = set(reference.index[reference["p_adjusted"] < ALPHA])
    return {
        "lfc_fraction": float(lfc_close.mean()),
        "spearman": float(spearmanr(ours["stat"], reference["stat"], nan_policy="omit").statistic),
        "jaccard": len(ours_sig & r_sig) / max(1, len(ours_sig | r_sig)),
        "base_mean": float((ours["base_mean"] / reference["base_mean"] - 1).abs().max()),
    }


def _assert_agreement(figures: dict[str, float]) -> None:
    # The issue's bars: pydeseq2's optimiser is not R's, so fold changes and Wald
    # statistics agree closely but not to machine precision (see tests/fixtures/r/README.md).
    assert figures["lfc_fraction"] >= 0.95, figures
    assert figures["spearman"] >= 0.99, figures
    assert figures["jaccard"] >= 0.9, figures
    assert figures["base_mean"] < 1e-9, figures  # base means depend only on size factors


@pytest.mark.parametrize("fit", ["unadjusted", "adjusted"])
def test_demo_matches_r_deseq2(demo_fits, fit):
    _assert_agreement(_agreement(demo_fits[fit], _reference(f"deseq2_demo_{fit}.tsv")))


@pytest.mark.parametrize("fit", ["unadjusted", "adjusted"])
def test_lynch_matches_r_deseq2(lynch, fit):
    _assert_agreement(_agreement(_fits(lynch)[fit], _reference(f"deseq2_lynch_{fit}.tsv")))


def test_demo_recovers_the_seeds_findings(demo_fits):
    settings = DESettings(alpha=ALPHA, min_log2_fold_change=1, screen="unadjusted")
    unadjusted = candidates(demo_fits["unadjusted"], demo_fits["adjusted"], settings, "unadjusted")
    found = set(unadjusted["mirna"])
    assert len(found & set(TABLE4)) >= 18
    assert len(found & set(TABLE4)) / len(found) >= 0.8
    adjusted = demo_fits["adjusted"].set_index("mirna")["p_adjusted"]
    assert (adjusted[MARKERS] < ALPHA).all()
    age_driven = [m for m in TABLE4 if m not in MARKERS]
    assert (adjusted[age_driven] >= ALPHA).sum() >= 15


def test_confounded_design_names_the_columns(demo):
    _, labels, covariates = demo
    batch = covariates.assign(batch=np.where(labels == "case", "run1", "run2"))
    frame, formula, names = deseq2_design.design_frame(labels, batch)
    with pytest.raises(InputError, match=r"not full rank: .*batch.*case vs control"):
        deseq2_design.check_full_rank(frame, formula, names, "samples.tsv")
    frame, formula, names = deseq2_design.design_frame(labels, covariates)
    deseq2_design.check_full_rank(frame, formula, names, "samples.tsv")


def test_missing_covariate_drops_the_sample(demo):
    _, labels, covariates = demo
    covariates = covariates.copy()
    covariates.iloc[0, 0] = np.nan
    frame, formula, names = deseq2_design.design_frame(labels, covariates)
    assert len(frame) == len(labels) - 1 and formula == "~cov1 + contrast" and names == {"cov1": "age"}


def test_wilcoxon_and_shapiro_match_r(demo):
    counts, labels, _ = demo
    factors, _ = normalise.size_factors(counts, "deseq2", counts.sum())
    values = normalise.normalise(counts, factors)
    ours = wilcoxon_table(values, labels).set_index("mirna")
    reference = pd.read_csv(FIXTURES / "r" / "wilcoxon_demo.tsv", sep="\t", na_values=["NA"]).set_index(
        "mirna"
    )
    ours = ours.loc[reference.index]
    # Same exact/normal formulas: 1e-12. Shapiro-Wilk: scipy and R use different
    # polynomial approximations of the W distribution, ~5e-9 apart here.
    for column, tolerance in (
        ("p_value", 1e-12),
        ("p_adjusted", 1e-12),
        ("shapiro_p_control", 1e-7),
        ("shapiro_p_case", 1e-7),
    ):
        np.testing.assert_allclose(ours[column], reference[column], rtol=0, atol=tolerance, err_msg=column)


def test_table4_layout(demo):
    counts, labels, _ = demo
    values = counts.loc[["hsa-miR-320c", "hsa-miR-1246"]].astype(float)
    tests = wilcoxon_table(values, labels)
    table = table4(values, labels, tests, ["hsa-miR-320c", "hsa-miR-1246"])
    assert table["mirna"].tolist() == ["hsa-miR-1246", "hsa-miR-320c"]
    assert table.columns.tolist() == ["mirna", "control", "case", "overall", "p_value", "p_adjusted"]
    assert table["control"].str.fullmatch(r"\d+\.\d \(\d+\.\d-\d+\.\d\)").all()


def test_small_tables_fit_in_process_and_large_ones_use_the_threads():
    # worker start-up costs more than the demo's fits; the fits are the same either way
    # (tests/test_workflow.py compares --cores 1 and 2 byte for byte)
    assert deseq2.processes(850 * 38, 2) == 1
    assert deseq2.processes(1000 * 5000, 2) == 2
    assert deseq2.processes(1000 * 5000, 1) == 1


def test_worker_processes_do_not_change_the_fit(demo, monkeypatch):
    counts, labels, covariates = demo
    frame, formula, _ = deseq2_design.design_frame(labels, covariates)
    in_process = deseq2.run_deseq2(counts, frame, formula, ALPHA, n_cpus=2)
    monkeypatch.setattr(deseq2, "PARALLEL_MIN_COUNTS", 0)  # force pydeseq2's workers
    with_workers = deseq2.run_deseq2(counts, frame, formula, ALPHA, n_cpus=2)
    pd.testing.assert_frame_equal(in_process, with_workers, check_exact=True)
