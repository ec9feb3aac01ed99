"""mirflow.analyses.lock: the locked model's checksum is over its content, not its layout; a
model edited after it was locked, of another schema version or not JSON is refused naming the
checksums (the demo's lock: tests/workflow/test_lock.py)."""

from __future__ import annotations

import json
import math

import pytest

from mirflow.analyses import lock
from mirflow.errors import InputError

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
