"""Is a validation cohort independent of the discovery cohort whose model it validates?

A validation on the discovery's own samples measures nothing new: every AUC equals the
discovery's. The lock therefore records what identifies the analysed discovery samples
without storing them in clear (:func:`identities`): the SHA-256 of a salt and each sample
id, and of the salt and each library's counts over the locked miRNAs (so that the same
library, renamed or re-saved in another format, is still recognised). A validation cohort
is compared with them and with the discovery's input files (:func:`overlap`); what it
shares is refused unless ``validation.allow_overlap`` says the overlap is intended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

OVERLAP_COLUMNS = ["kind", "item", "detail"]
# kind -> (one, many) as a message counts them
NOUNS = {
    "file": ("file", "files"),
    "sample id": ("sample id", "sample ids"),
    "counts": ("library with a discovery library's counts", "libraries with a discovery library's counts"),
}


def _digest(salt: str, data: bytes) -> str:
    return hashlib.sha256(salt.encode() + b"\0" + data).hexdigest()


def id_hash(salt: str, sample: str) -> str:
    """The salted SHA-256 of a sample id."""
    return _digest(salt, str(sample).encode("utf-8"))


def count_hashes(counts: pd.DataFrame, mirnas: Sequence[str], salt: str) -> dict[str, str]:
    """Sample -> the salted SHA-256 of its counts over ``mirnas`` (a miRNA the table lacks
    counts 0), as little-endian doubles; libraries without any count are left out (empty
    libraries are all alike)."""
    values = counts.reindex(list(mirnas), fill_value=0).to_numpy(dtype="<f8")
    return {
        str(sample): _digest(salt, np.ascontiguousarray(values[:, i]).tobytes())
        for i, sample in enumerate(counts.columns)
        if values[:, i].any()
    }


def identities(counts: pd.DataFrame, mirnas: Sequence[str], salt: str) -> dict[str, Any]:
    """The lock's ``identities``: the salt, and the sorted hashes of the analysed samples'
    ids and of their counts (``counts``: miRNAs x the analysed samples)."""
    return {
        "salt": salt,
        "sample_ids": sorted(id_hash(salt, sample) for sample in counts.columns),
        "count_vectors": sorted(set(count_hashes(counts, mirnas, salt).values())),
    }


def overlap(
    salt: str,
    sample_ids: Iterable[str],
    count_vectors: Iterable[str],
    discovery_files: Mapping[str, str],
    validation_files: Mapping[str, str],
    samples: Sequence[str],
    counts: pd.DataFrame,
    mirnas: Sequence[str],
) -> pd.DataFrame:
    """What the validation cohort shares with the discovery: input files with the same
    content (``*_files``: path -> SHA-256), sample ids of its sheet (``samples``) and
    libraries with the same counts (``counts``: miRNAs x its samples). One row each
    (:data:`OVERLAP_COLUMNS`)."""
    rows = []
    by_digest = {digest: path for path, digest in discovery_files.items()}
    for path, digest in validation_files.items():
        if digest in by_digest:
            rows.append({"kind": "file", "item": path, "detail": f"the same content as {by_digest[digest]}"})
    known_ids = set(sample_ids)
    for sample in samples:
        if id_hash(salt, sample) in known_ids:
            rows.append(
                {"kind": "sample id", "item": str(sample), "detail": "a sample id of the discovery cohort"}
            )
    known_counts = set(count_vectors)
    for sample, digest in count_hashes(counts, mirnas, salt).items():
        if digest in known_counts:
            rows.append(
                {"kind": "counts", "item": sample, "detail": "the same counts as a discovery library"}
            )
    return pd.DataFrame(rows, columns=OVERLAP_COLUMNS)


def describe(table: pd.DataFrame, limit: int = 10) -> str:
    """The overlap in one line: each kind with how many and the first items."""
    parts = []
    for kind, rows in table.groupby("kind", sort=False):
        items = rows["item"].astype(str).tolist()
        more = f" ... ({len(items)} in all)" if len(items) > limit else ""
        noun = NOUNS[kind][len(items) != 1]
        parts.append(f"{len(items)} {noun} ({', '.join(items[:limit])}{more})")
    return "; ".join(parts)
