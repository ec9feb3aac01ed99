"""Independence of a validation cohort: salted identities, and what a cohort shares."""

from __future__ import annotations

import pandas as pd

from mirflow.analyses import independence

MIRNAS = ["hsa-miR-1", "hsa-miR-2", "hsa-miR-3"]
DISCOVERY = pd.DataFrame({"A": [5, 0, 7], "B": [1, 2, 3], "EMPTY": [0, 0, 0]}, index=MIRNAS)


def test_identities_hold_no_id_or_count_in_clear_and_leave_out_empty_libraries():
    found = independence.identities(DISCOVERY, MIRNAS, "salt")
    assert found["salt"] == "salt" and len(found["sample_ids"]) == 3
    assert len(found["count_vectors"]) == 2  # the empty library is left out (all empty ones are alike)
    text = str(found)
    assert "'A'" not in text and "EMPTY" not in text


def test_overlap_names_shared_files_ids_and_libraries_renamed_or_reordered():
    locked = independence.identities(DISCOVERY, MIRNAS, "salt")
    # B's library under a new name, rows in another order and a miRNA more; a new sample C
    cohort = pd.DataFrame(
        {"NEW": [3, 2, 1, 9], "A": [9, 9, 9, 9], "C": [1, 1, 1, 1]},
        index=["hsa-miR-3", "hsa-miR-2", "hsa-miR-1", "hsa-miR-4"],
    )
    shared = independence.overlap(
        "salt",
        locked["sample_ids"],
        locked["count_vectors"],
        {"disc.tsv": "abc"},
        {"val.tsv": "abc", "val_sheet.tsv": "def"},
        ["NEW", "A", "C"],
        cohort,
        MIRNAS,
    )
    assert shared[["kind", "item"]].values.tolist() == [
        ["file", "val.tsv"],
        ["sample id", "A"],
        ["counts", "NEW"],
    ]
    assert independence.describe(shared) == (
        "1 file (val.tsv); 1 sample id (A); 1 library with a discovery library's counts (NEW)"
    )


def test_an_independent_cohort_shares_nothing_and_another_salt_matches_nothing():
    locked = independence.identities(DISCOVERY, MIRNAS, "salt")
    kwargs = {"discovery_files": {}, "validation_files": {}, "samples": ["A", "B"], "counts": DISCOVERY,
              "mirnas": MIRNAS}  # fmt: skip
    assert not independence.overlap("salt", locked["sample_ids"], locked["count_vectors"], **kwargs).empty
    assert independence.overlap("other", locked["sample_ids"], locked["count_vectors"], **kwargs).empty
