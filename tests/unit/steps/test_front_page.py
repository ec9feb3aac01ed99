"""The report's front page says what the run analysed, SIMULATED exactly when an input is a
bundled demo file, and what a validation shares with its discovery."""

from __future__ import annotations

from mirflow.steps.front_page import front_page, write_front_page

DISCOVERY = {
    "samples": "config/samples.tsv",
    "counts": {"path": "data/counts.tsv", "kind": "counts", "value": "umis", "format": "auto"},
    "contrast": {"column": "group", "case": "tumour", "control": "healthy"},
    "covariates": [],
    "qc": {"min_library_size": 50000, "max_hemolysis_log2": 7},
    "filter": {"min_count": 10, "min_fraction": 0.5},
    "normalisation": "deseq2",
    "de": {"alpha": 0.05, "min_log2_fold_change": 1, "screen": "unadjusted"},
    "roc": {"ci": "delong", "cutoff": "youden"},
    "survival": {"endpoints": {}, "cutoff": "landmark_roc", "population": "cases", "ci_transform": "log-log"},
    "seed": 1,
}


def test_a_run_on_the_users_data_says_nothing_of_the_demo():
    page = front_page(DISCOVERY, None, [])
    assert "SIMULATED" not in page and "demo" not in page
    assert "``data/counts.tsv``" in page and "tumour (case) vs healthy (control)" in page
    # no endpoints: no survival settings; not a GeneGlobe table: no UMI/READ claim
    assert "survival cut-off" not in page and "survival splits" not in page and "UMI" not in page
    with_endpoint = DISCOVERY | {"survival": DISCOVERY["survival"] | {"endpoints": {"OS": {}}}}
    page = front_page(with_endpoint, None, [])
    assert "survival cut-off landmark_roc on the cases" in page and "the survival splits with" in page


def test_simulated_inputs_are_said_first():
    page = front_page(DISCOVERY, None, ["resources/demo/demo_geneglobe.xlsx"])
    assert page.splitlines()[3].startswith(
        "**SIMULATED DATA.** ``resources/demo/demo_geneglobe.xlsx`` is a file"
    )


def test_a_validation_overlap_and_covariate_checks_are_said(tmp_path):
    overlap = tmp_path / "overlap.tsv"
    overlap.write_text("kind\titem\tdetail\nsample id\tS1\ta sample id of the discovery cohort\n")
    covariates = tmp_path / "covariates.tsv"
    covariates.write_text("covariate\tnote\nage\tthe median 600 is far (ratio 12)\nsex\t\n")
    validation = {"model": "lock.json", "samples": "v.tsv", "counts": {"path": ["v.tsv"], "kind": "counts"}}
    out = tmp_path / "front_page.rst"
    write_front_page(None, validation, [], str(out), str(overlap), str(covariates))
    page = out.read_text()
    assert "**The validation cohort is not independent of the discovery**" in page and "sample id S1" in page
    assert "**CHECK the validation covariates**: age: the median 600 is far (ratio 12)" in page
    assert "sex" not in page
