"""The named test configs in .test/ (plain files, as the Snakemake catalog's workflows keep
them) run end to end and do what their comments say."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_workflow

from mirflow.io.tables import read_tsv


def named_config(name: str, workdir: Path, workflow: Path) -> Path:
    """``.test/config_<name>.yaml`` of ``workflow`` (the session's copy) with its
    repository-relative paths made absolute (the repository's files)."""
    config = yaml.safe_load((workflow / ".test" / f"config_{name}.yaml").read_text())
    config["samples"] = str(ROOT / config["samples"])
    config["counts"]["path"] = str(ROOT / config["counts"]["path"])
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="module", params=["minimal", "alternatives"])
def run(request, tmp_path_factory, snakefile) -> tuple[str, Path]:
    workdir = tmp_path_factory.mktemp(request.param)
    config = named_config(request.param, workdir, snakefile.parents[1])
    result = run_workflow(workdir, snakefile=snakefile, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return request.param, workdir / "results"


def test_named_config_results(run):
    name, results = run
    roc = read_tsv(results / "diagnostic/roc.tsv")
    factors = read_tsv(results / "counts/size_factors.tsv")
    if name == "minimal":
        assert not (results / "prognostic").exists()
        unadjusted = (results / "de/deseq2_unadjusted.tsv").read_bytes()
        assert (results / "de/deseq2.tsv").read_bytes() == unadjusted  # one fit, no covariates
        assert (factors["method"] == "median_of_ratios").all() and (roc["ci_method"] == "delong").all()
    else:
        assert (factors["method"] == "upper_quartile").all()
        assert (read_tsv(results / "de/candidates.tsv")["screened_by"] == "adjusted").all()
        assert (roc["ci_method"] == "bootstrap").all() and (roc["cutoff_method"] == "closest_topleft").all()
        cutoffs = read_tsv(results / "prognostic/cutoffs.tsv")
        assert (cutoffs["method"] == "median").all() and set(cutoffs["endpoint"]) == {"OS"}
        assert read_tsv(results / "diagnostic/panel.tsv").iloc[0]["covariates"] == "age"
        figures = results / "figures"
        assert not list(figures.glob("*.pdf")) and (figures / "qc_pca.png").exists()  # figures.formats: [png]
