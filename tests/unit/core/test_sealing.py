"""mirflow.sealing: the sealed analysis plan's hash is over its content, not its layout; a plan
edited after it was sealed, of another version, not JSON, sealed for another lock, or re-sealed
from another plan: section after a validation was evaluated against it is refused with one
message naming the plan and the fix."""

from __future__ import annotations

import json

import pytest

from mirflow import sealing
from mirflow.errors import InputError

PLAN = {
    "plan_version": sealing.PLAN_VERSION,
    "lock": {"path": "results/model/locked_model.json", "content_sha256": "a" * 64},
    "criteria": [{"target": "panel", "metric": "auc", "op": ">", "value": 0.7}],
    "config": {"alpha": 0.05, "criteria": [{"target": "panel", "metric": "auc", "op": ">", "value": 0.7}]},
}


def test_the_sealed_file_is_canonical_and_its_hash_is_of_the_content():
    sealed = sealing.seal(PLAN)
    assert sealed[sealing.HASH_FIELD] == sealing.content_sha256(PLAN)
    assert sealing.seal(sealed) == sealed
    text = sealing.dumps(sealed)
    assert text == sealing.dumps(json.loads(text)) and text.endswith("}\n")
    keys = list(json.loads(text))
    assert keys == sorted(keys)  # sorted keys on disk
    assert sealing.check_plan(json.dumps(sealed, indent=4), "p.json") == sealed  # layout does not count
    with pytest.raises(ValueError):
        sealing.dumps({"auc": float("nan")})


def test_a_criterion_changed_after_sealing_is_refused_naming_the_plan_and_the_fix():
    sealed = sealing.seal(PLAN)
    edited = sealing.dumps(sealed).replace('"value": 0.7', '"value": 0.6', 1)
    with pytest.raises(InputError, match="was changed after it was sealed") as error:
        sealing.check_plan(edited, "study/analysis_plan.json")
    message = str(error.value)
    assert message.startswith("study/analysis_plan.json (validation.plan):")
    assert sealed[sealing.HASH_FIELD] in message and "snakemake plan" in message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1]", "no plan_version"),
        (sealing.dumps(sealing.seal(PLAN | {"plan_version": 2})), "version 2"),
    ],
)
def test_what_is_not_a_sealed_plan_of_this_version_is_refused(text, message):
    with pytest.raises(InputError, match=message):
        sealing.check_plan(text, "p.json")


def test_a_plan_sealed_for_another_lock_is_refused(tmp_path):
    sealed = sealing.seal(PLAN)
    sealing.check_plan_lock(sealed, "p.json", "a" * 64, "lock.json")
    with pytest.raises(
        InputError, match=r"sealed for the locked model with content_sha256 a{64}, but"
    ) as error:
        sealing.check_plan_lock(sealed, "p.json", "b" * 64, "other/lock.json")
    assert "other/lock.json (content_sha256 " + "b" * 64 in str(error.value)
    with pytest.raises(InputError, match="no such file"):
        sealing.read_plan(tmp_path / "absent.json")
    (tmp_path / "plan.json").write_text(sealing.dumps(sealed))
    assert sealing.read_plan(tmp_path / "plan.json") == sealed


def test_a_plan_section_changed_after_the_validation_is_refused():
    sealed = sealing.seal(PLAN)
    # the same settings (lists or tuples alike): nothing to refuse
    sealing.changed_after_validation(
        sealed, dict(PLAN["config"]), "p.json", "results/validation/criteria.tsv"
    )
    changed = {"alpha": 0.05, "criteria": [{"target": "panel", "metric": "auc", "op": ">", "value": 0.6}]}
    with pytest.raises(InputError, match=r"changed: criteria\), and the validation in results/validation/"):
        sealing.changed_after_validation(sealed, changed, "p.json", "results/validation/criteria.tsv")
