"""The demo's locked model (SPEC stage 8; issue 11, item 1): what a discovery run writes to
results/model/locked_model.json, that it follows its schema and checksum, carries the
discovery model exactly, is deterministic, and that an edited or foreign file is refused
(the checksum itself: tests/unit/analyses/test_lock.py)."""

from __future__ import annotations

import json
import re

import jsonschema
import numpy as np
import pytest
import yaml
from conftest import ROOT

from mirflow.analyses import lock
from mirflow.analyses.lock import LockedModel
from mirflow.analyses.validation_cohort import reference_of
from mirflow.checksums import config_hash, sha256
from mirflow.errors import InputError
from mirflow.io.tables import read_tsv
from mirflow.settings import ContrastSettings, QCSettings, SurvivalSettings
from mirflow.stats import normalise
from mirflow.steps.lock import read_model, write_lock

SCHEMA = ROOT / "workflow/schemas/locked_model.schema.yaml"
# The config sections that do not change the locked model (left out of its config hash).
NOT_DISCOVERY = ("validation", "plan", "figures")


@pytest.fixture(scope="module")
def model(demo):
    return json.loads((demo / "model/locked_model.json").read_text())


def test_lock_follows_its_schema_and_its_checksum_and_has_no_timestamp(demo, model):
    jsonschema.validate(model, yaml.safe_load(SCHEMA.read_text()))
    assert model["schema_version"] == lock.SCHEMA_VERSION == 1
    assert model["content_sha256"] == lock.content_sha256(model)
    path = demo / "model/locked_model.json"
    typed = read_model(path, str(SCHEMA))
    assert typed == LockedModel.from_document(model, path)
    assert typed.content_sha256 == model["content_sha256"] and typed.path == str(path)
    assert typed.markers[0].cutoff == model["markers"][0]["cutoff"]
    assert [e.name for e in typed.prognostic.endpoints] == [
        e["name"] for e in model["prognostic"]["endpoints"]
    ]
    assert typed.panel.terms[0].name == model["panel"]["terms"][0]["name"]
    assert typed.contrast == ContrastSettings("group", "NEC", "healthy")
    assert typed.qc({"VHD01": "by hand"}).exclude == {"VHD01": "by hand"}
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", (demo / "model/locked_model.json").read_text())


def test_lock_carries_the_discovery_model_exactly(demo, model):
    normalised = read_tsv(demo / "counts/normalised.tsv", index_col="mirna")
    assert model["mirnas"] == normalised.index.tolist()
    assert model["contrast"] == {"column": "group", "case": "NEC", "control": "healthy"}
    assert model["discovery"] == {"n_case": 18, "n_control": 20}
    assert model["counts"] == {"kind": "counts", "value": "umis", "transform": "log2"}
    assert model["normalisation"]["method"] == "deseq2"
    assert model["normalisation"]["estimator"] == "median_of_ratios"
    # the reference miRNAs: the kept miRNAs without a zero in any analysed discovery sample
    raw = read_tsv(demo / "counts/raw.tsv", index_col="mirna").loc[normalised.index]
    assert list(model["normalisation"]["log_geometric_means"]) == raw.index[(raw > 0).all(axis=1)].tolist()
    scaling = read_tsv(demo / "cohort/covariate_scaling.tsv").iloc[0]
    assert model["covariates"] == [
        {"name": "age", "type": "continuous", "mean": scaling["mean"], "sd": scaling["sd"]}
    ]

    roc = read_tsv(demo / "diagnostic/roc.tsv")
    assert [m["mirna"] for m in model["markers"]] == roc["mirna"].tolist()
    for marker, row in zip(model["markers"], roc.itertuples(), strict=True):
        assert (marker["direction"], marker["cutoff"], marker["auc"]) == (row.direction, row.cutoff, row.auc)
        assert marker["positive"] == "value >= cutoff"

    terms = read_tsv(demo / "diagnostic/panel_model.tsv").set_index("term")["coefficient"]
    assert model["panel_reason"] is None
    assert model["panel"]["intercept"] == terms["(Intercept)"]
    assert {t["name"]: t["coefficient"] for t in model["panel"]["terms"]} == terms.drop(
        "(Intercept)"
    ).to_dict()
    assert model["panel"]["markers"] == roc["mirna"].tolist() and model["panel"]["covariates"] == []

    cutoffs = read_tsv(demo / "prognostic/cutoffs.tsv")
    locked = {
        (e["name"], c["mirna"]): c["cutoff"] for e in model["prognostic"]["endpoints"] for c in e["cutoffs"]
    }
    assert locked == {(r.endpoint, r.mirna): r.cutoff for r in cutoffs.itertuples()}
    assert {e["name"]: e["landmark"] for e in model["prognostic"]["endpoints"]} == {"PFS": 6.0, "OS": 6.0}
    # each score's univariable Cox model, as results/prognostic/cox_baseline.tsv holds it
    baseline = read_tsv(demo / "prognostic/cox_baseline.tsv")
    for endpoint in model["prognostic"]["endpoints"]:
        rows = baseline[baseline["endpoint"] == endpoint["name"]]
        assert [m["score"] for m in endpoint["cox_models"]] == [*roc["mirna"], "panel"]
        for cox in endpoint["cox_models"]:
            kept = rows[rows["mirna"] == cox["score"]]
            assert cox["times"] == kept["time"].tolist() and cox["times"][0] == 0.0
            assert cox["cumulative_hazard"] == kept["cumulative_hazard"].tolist()
            assert cox["coefficient"] == kept["coefficient"].iloc[0]
            assert cox["centre"] == kept["centre"].iloc[0]
            assert max(cox["times"]) <= endpoint["landmark"]

    provenance = json.loads((demo / "provenance.json").read_text())
    # the lock hashes the discovery config: validation, plan and figure settings do not change the model
    discovery_config = {key: value for key, value in provenance["config"].items() if key not in NOT_DISCOVERY}
    assert model["provenance"]["config_sha256"] == config_hash(discovery_config)
    assert model["provenance"]["workflow_version"] == provenance["workflow"]["version"]
    files = [str(ROOT / "config/samples.tsv"), str(ROOT / "resources/demo/demo_geneglobe.xlsx")]
    assert model["provenance"]["inputs"] == {path: sha256(path) for path in files}


def test_locked_reference_reproduces_the_discovery_size_factors_exactly(demo, model):
    """A new sample's size factor is its median ratio to the locked geometric means: on the
    discovery samples themselves that is their discovery size factor, to the last bit, for
    every estimator (poscounts and upper quartile carry the discovery scale)."""
    raw = read_tsv(demo / "counts/raw.tsv", index_col="mirna")
    kept = raw.loc[model["mirnas"]]
    factors = read_tsv(demo / "counts/size_factors.tsv").set_index("sample")["size_factor"]
    locked = LockedModel.from_document(model, demo / "model/locked_model.json")
    again = normalise.size_factors_from_reference(kept, reference_of(locked), raw.sum(axis=0))
    assert (again.to_numpy() == factors[again.index].to_numpy()).all()
    library = raw.sum(axis=0)
    discovery = {
        "poscounts": normalise.poscounts_size_factors(kept),
        "upper_quartile": normalise.upper_quartile_size_factors(kept, library)[0],
        "cpm": normalise.cpm_size_factors(kept, library)[0],
    }
    for estimator, expected in discovery.items():
        reference = normalise.reference(kept, estimator)
        found = normalise.size_factors_from_reference(kept, reference, library)
        assert (found.to_numpy() == expected.to_numpy()).all(), estimator
    # a zero count does not enter the median (DESeq2's cnts > 0), it does not drag it down
    zeroed = kept.copy()
    zeroed.iloc[:5, 0] = 0
    shifted = normalise.size_factors_from_reference(zeroed, reference_of(locked), library)
    assert np.isfinite(shifted.iloc[0]) and abs(np.log(shifted.iloc[0] / again.iloc[0])) < 0.05


def test_relocking_the_same_tables_gives_the_same_bytes(demo, model, tmp_path):
    provenance = json.loads((demo / "provenance.json").read_text())
    config = {key: value for key, value in provenance["config"].items() if key not in NOT_DISCOVERY}
    paths = {
        name: str(demo / rel)
        for name, rel in {
            "raw_path": "counts/raw.tsv",
            "normalised_path": "counts/normalised.tsv",
            "size_factors_path": "counts/size_factors.tsv",
            "covariates_path": "cohort/covariates.tsv",
            "scaling_path": "cohort/covariate_scaling.tsv",
            "roc_path": "diagnostic/roc.tsv",
            "panel_path": "diagnostic/panel.tsv",
            "panel_model_path": "diagnostic/panel_model.tsv",
            "cutoffs_path": "prognostic/cutoffs.tsv",
            "cox_baseline_path": "prognostic/cox_baseline.tsv",
        }.items()
    }
    written = []
    for name in ("first.json", "second.json"):
        write_lock(
            ContrastSettings.from_params(config["contrast"]),
            "counts",
            "umis",
            "log2",
            QCSettings.from_params(config["qc"]),
            "deseq2",
            SurvivalSettings.from_params(config["survival"]),
            config,
            model["provenance"]["workflow_version"],  # the run's workflow
            [config["samples"], config["counts"]["path"]],
            **paths,
            schema_path=str(SCHEMA),
            out=str(tmp_path / name),
        )
        written.append((tmp_path / name).read_bytes())
    assert written[0] == written[1] == (demo / "model/locked_model.json").read_bytes()


def test_an_edited_model_or_another_schema_version_is_refused_with_the_checksums(demo, model, tmp_path):
    text = (demo / "model/locked_model.json").read_text()
    layout_only = tmp_path / "reindented.json"
    layout_only.write_text(json.dumps(model, indent=4))
    # the checksum is over the content, not its layout
    assert read_model(layout_only) == LockedModel.from_document(model, layout_only)

    edited = tmp_path / "edited.json"
    cutoff = model["markers"][0]["cutoff"]
    edited.write_text(text.replace(f'"cutoff": {cutoff!r}', f'"cutoff": {cutoff * 0.9!r}', 1))
    with pytest.raises(InputError, match="was changed after it was locked") as error:
        read_model(edited)
    assert model["content_sha256"] in str(error.value)
    assert lock.content_sha256(json.loads(edited.read_text())) in str(error.value)

    newer = tmp_path / "newer.json"
    newer.write_text(lock.dumps(lock.seal(model | {"schema_version": 2})))
    with pytest.raises(InputError, match="schema version 2") as error:
        read_model(newer)
    assert lock.seal(model | {"schema_version": 2})["content_sha256"] in str(error.value)

    broken = tmp_path / "broken.json"
    broken.write_text(text[:-20])
    with pytest.raises(InputError, match="not valid JSON"):
        read_model(broken)
    unsealed = tmp_path / "unsealed.json"
    unsealed.write_text(lock.dumps(lock.seal(model | {"markers": "none"})))
    with pytest.raises(InputError, match="does not follow the locked-model schema"):
        read_model(unsealed, str(SCHEMA))
