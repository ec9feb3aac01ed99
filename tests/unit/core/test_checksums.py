"""mirflow.checksums: the SHA-256 of a file, and of a config whatever its key order."""

from __future__ import annotations

import hashlib

from mirflow.checksums import config_hash, sha256


def test_sha256_of_a_file_is_of_its_bytes(tmp_path):
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 9000  # more than one read block
    path.write_bytes(data)
    assert sha256(path) == sha256(str(path)) == hashlib.sha256(data).hexdigest()


def test_config_hash_ignores_key_order_and_not_values():
    first = config_hash({"a": 1, "b": {"c": [1, 2], "d": "x"}})
    assert first == config_hash({"b": {"d": "x", "c": [1, 2]}, "a": 1})
    assert first != config_hash({"a": 1, "b": {"c": [2, 1], "d": "x"}})
    assert len(first) == 64
