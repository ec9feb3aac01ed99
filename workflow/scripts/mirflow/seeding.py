"""Random streams derived from the config's seed and a name, so that a result does not
depend on how many other random steps ran before it (e.g. the order of endpoints)."""

from __future__ import annotations

import zlib

import numpy as np


def rng_for(seed: int, *names: str) -> np.random.Generator:
    """A generator seeded by ``seed`` and the CRC-32 of the names (stable across runs and
    platforms, unlike Python's ``hash``)."""
    return np.random.default_rng([seed, *(zlib.crc32(name.encode()) for name in names)])
