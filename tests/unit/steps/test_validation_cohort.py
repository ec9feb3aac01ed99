"""mirflow.steps.validation_cohort.check_inputs: counts of another kind than the lock's are
refused before anything is read, with a fix that works (the lock's kind is not a setting one
can just flip: log2 values given as kind expression to a lock of counts need the raw counts)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mirflow.errors import InputError
from mirflow.settings import ValidationCountsSettings
from mirflow.steps.validation_cohort import check_inputs


@pytest.mark.parametrize(
    ("given", "locked", "fix"),
    [
        (
            "expression",
            "counts",
            "Fix: give the raw umis counts (whole numbers, as the discovery's were; not normalised or log "
            "values) with validation.counts.kind: counts",
        ),
        ("counts", "expression", "Fix: give the values as the discovery's (kind expression: normalised"),
    ],
)
def test_counts_of_another_kind_than_the_lock_ask_for_the_discoverys_values(given, locked, fix):
    counts = ValidationCountsSettings.from_params(
        {"path": "c.tsv", "format": "auto", "value": "umis", "kind": given}
    )
    model = SimpleNamespace(kind=locked, value="umis", path="lock.json")
    with pytest.raises(InputError) as error:
        check_inputs(counts, {}, model, "absent.tsv")  # refused before the sheet is read
    message = str(error.value)
    assert (
        f"validation.counts.kind is '{given}' but the locked model lock.json was fitted on kind '{locked}'"
        in message
    )
    assert fix in message
