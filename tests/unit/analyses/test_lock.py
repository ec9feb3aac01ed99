"""mirflow.analyses.lock: the locked model's checksum is over its content, not its layout; a
model edited after it was locked, of another schema version or not JSON is refused naming the
checksums (the demo's lock: tests/workflow/test_lock.py)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from mirflow.analyses import lock
from mirflow.errors import InputError
from mirflow.settings import EndpointSettings, SurvivalSettings

MODEL = {
    "schema_version": lock.SCHEMA_VERSION,
    "markers": [{"mirna": "hsa-miR-1", "cutoff": 12.5}],
    "panel": None,
}


def test_seal_appends_the_checksum_of_the_content():
    sealed = lock.seal(MODEL)
    assert list(sealed)[-1] == lock.HASH_FIELD and sealed[lock.HASH_FIELD] == lock.content_sha256(MODEL)
    assert lock.seal(sealed) == sealed  # sealing again changes nothing
    assert lock.content_sha256(dict(reversed(list(MODEL.items())))) == lock.content_sha256(MODEL)
    text = lock.dumps(sealed)
    assert text.endswith("}\n") and lock.check_model(text, "m.json") == sealed
    assert lock.check_model(json.dumps(sealed, indent=4), "m.json") == sealed  # layout does not count
    with pytest.raises(ValueError):
        lock.dumps({"auc": math.nan})  # no NaN in a locked model: null


def test_an_edited_model_is_refused_with_both_checksums():
    sealed = lock.seal(MODEL)
    edited = lock.dumps(sealed).replace("12.5", "11.25")
    with pytest.raises(InputError, match="was changed after it was locked") as error:
        lock.check_model(edited, "m.json")
    assert sealed[lock.HASH_FIELD] in str(error.value)
    assert lock.content_sha256(json.loads(edited)) in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "no schema_version"),
        (lock.dumps(lock.seal(MODEL | {"schema_version": 2})), "schema version 2"),
    ],
)
def test_what_is_not_a_locked_model_of_this_version_is_refused(text, message):
    with pytest.raises(InputError, match=message):
        lock.check_model(text, "m.json")


def test_the_prognostic_section_locks_each_scores_cox_model_per_endpoint():
    survival = SurvivalSettings(
        ci_transform="log-log",
        cutoff="landmark_roc",
        population="cases",
        endpoints={
            "PFS": EndpointSettings("pfs", "pfs_event", 6.0),
            "OS": EndpointSettings("os", "death", 12.0),
        },
        adjust_for=(),
        n_permutations=0,
    )
    cutoffs = pd.DataFrame(
        {"endpoint": ["PFS", "OS"], "mirna": ["m1", "m1"], "cutoff": [1.5, None], "landmark_auc": [0.7, None]}
        | {"reason": ["", "no split"]}
    )
    baseline = pd.DataFrame(
        {
            "endpoint": ["PFS", "PFS", "PFS", "PFS", "OS"],
            "mirna": ["m1", "m1", "panel", "panel", "m1"],
            "coefficient": [0.5, 0.5, -1.25, -1.25, 0.25],
            "centre": [2.0, 2.0, 0.1, 0.1, 1.0],
            "time": [0.0, 3.0, 0.0, 3.0, 0.0],
            "cumulative_hazard": [0.0, 0.2, 0.0, 0.2, 0.0],
        }
    )
    section = lock.prognostic_section(survival, cutoffs, baseline)
    pfs, os_ = section["endpoints"]
    assert [m["score"] for m in pfs["cox_models"]] == ["m1", "panel"]
    assert pfs["cox_models"][1] == {
        "score": "panel",
        "coefficient": -1.25,
        "centre": 0.1,
        "times": [0.0, 3.0],
        "cumulative_hazard": [0.0, 0.2],
    }
    assert os_["cox_models"] == [
        {"score": "m1", "coefficient": 0.25, "centre": 1.0, "times": [0.0], "cumulative_hazard": [0.0]}
    ]
    # without the table (no endpoints, or a lock of an older workflow): no cox_models key at all
    assert "cox_models" not in lock.prognostic_section(survival, cutoffs, None)["endpoints"][0]
