"""The bundled SIMULATED validation cohort under the demo's locked model (issue 11, item 5):
the three true markers validate, a chance 'marker' does not.

The chance marker is found the way a discovery study finds one: among the miRNAs the
simulation gives no effect at all (no group, age or tumour-burden term), the one with the
highest discovery AUC in the demo cohort. It is locked as the workflow locks a marker (the roc
step's direction and Youden cut-off, the lock's marker entry) and applied to the validation
cohort as the validation_results step applies the true ones, on the demo run's own normalised
tables; the first test shows that these library calls reproduce the workflow's tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import simulate_demo as simulate
import yaml
from conftest import ROOT

from mirflow.analyses import diagnostic, lock, validation
from mirflow.analyses.lock import LockedMarker
from mirflow.io.tables import read_design, read_tsv, write_tsv
from mirflow.settings import RocSettings
from mirflow.steps.validation import analysed

THREE = ["hsa-miR-1246", "hsa-miR-1290", "hsa-miR-320c"]


def _roc_table(results: Path, mirnas: list[str]) -> pd.DataFrame:
    """Discovery ROC rows as the roc step makes them (the run's settings and seed)."""
    config = json.loads((results / "provenance.json").read_text())["config"]
    _, labels = read_design(str(results / "cohort/covariates.tsv"))
    values = read_tsv(results / "counts/normalised.tsv", index_col="mirna")
    return diagnostic.roc_table(
        values, labels, mirnas, RocSettings.from_params(config["roc"]), config["seed"]
    )


def _locked(marker: dict) -> LockedMarker:
    """A marker entry of the lock as the validation steps read it."""
    return LockedMarker(
        marker["mirna"],
        marker["direction"],
        marker["cutoff"],
        marker["auc"],
        marker["sensitivity"],
        marker["specificity"],
    )


def _validate(results: Path, markers: list[dict]) -> pd.DataFrame:
    """Locked markers applied to the run's validation cohort as validation_results does."""
    config = yaml.safe_load((results.parent / "config.yaml").read_text())["validation"]
    _, _, labels = analysed(
        config["samples"],
        str(results / "validation/qc/samples.tsv"),
        str(results / "model/locked_model.json"),
    )
    values = read_tsv(results / "validation/counts/normalised.tsv", index_col="mirna")
    return validation.marker_table(values, labels, [_locked(m) for m in markers], config.get("prevalence"))


@pytest.fixture(scope="module")
def null_mirnas(demo) -> list[str]:
    """The analysed miRNAs without any effect in the simulation (the discovery demo's design,
    which the validation cohort shares: tests/tools/test_simulate_demo.py)."""
    mirnas = simulate.load_mirnome(ROOT / simulate.DEFAULT_MIRBASE)
    roles = simulate.simulate_cohort(mirnas).design["role"]
    analysed_mirnas = read_tsv(demo / "counts/normalised.tsv", index_col="mirna").index
    return [mirna for mirna in analysed_mirnas if roles[mirna] == "null"]


@pytest.fixture(scope="module")
def null_validated(demo, null_mirnas) -> pd.DataFrame:
    """Every null miRNA locked at its discovery direction and cut-off and validated, with
    the discovery ROC columns, highest discovery AUC first."""
    discovery = _roc_table(demo, null_mirnas).sort_values("auc", ascending=False, kind="stable")
    validated = _validate(demo, lock.marker_section(discovery))
    return validated.set_index("mirna").join(discovery.set_index("mirna").add_suffix("_discovery"))


def test_library_calls_reproduce_the_workflow(demo, tmp_path):
    """The helpers above are the workflow's own path: on the true markers they write its
    discovery ROC and validation tables byte for byte."""
    roc = read_tsv(demo / "diagnostic/roc.tsv")
    write_tsv(_roc_table(demo, roc["mirna"].tolist()), tmp_path / "roc.tsv")
    assert (tmp_path / "roc.tsv").read_bytes() == (demo / "diagnostic/roc.tsv").read_bytes()
    model = json.loads((demo / "model/locked_model.json").read_text())
    write_tsv(_validate(demo, model["markers"]), tmp_path / "markers.tsv")
    assert (tmp_path / "markers.tsv").read_bytes() == (demo / "validation/markers.tsv").read_bytes()


def test_true_markers_validate_and_the_chance_marker_does_not(demo, null_validated):
    roc = read_tsv(demo / "diagnostic/roc.tsv").set_index("mirna")
    markers = read_tsv(demo / "validation/markers.tsv").set_index("mirna")
    assert sorted(markers.index) == THREE and (markers[["n_case", "n_control"]] == [40, 40]).all().all()
    assert (roc["auc_ci_low"] > 0.5).all() and (markers["auc_ci_low"] > 0.5).all()
    assert (markers["direction"] == roc.loc[markers.index, "direction"]).all()

    chance = null_validated.iloc[0]
    # in discovery it looks like a finding: AUC 0.77, CI above 0.5 ...
    assert chance.name == "hsa-miR-191-5p"
    assert chance["auc_discovery"] == pytest.approx(0.769, abs=1e-3) and chance["auc_ci_low_discovery"] > 0.5
    # ... the same miRNA at its locked direction and cut-off in the validation cohort is chance
    assert chance["auc"] == pytest.approx(0.433, abs=1e-3)
    assert chance["auc_ci_low"] < 0.5 < chance["auc_ci_high"]
    assert chance["auc"] < markers["auc"].min() - 0.4


def test_null_mirnas_validate_at_the_nominal_rate(null_validated):
    """Locked at the direction each happened to take in discovery, the null miRNAs' validation
    CIs exclude 0.5 from above about as often as a one-sided 2.5% test should."""
    assert len(null_validated) > 900
    above = (null_validated["auc_ci_low"] > 0.5).mean()
    assert 0.01 < above < 0.05, above
    assert null_validated["auc"].mean() == pytest.approx(0.5, abs=0.01)
