"""``sha256``: the SHA-256 digest of a whole file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from accord.config import Settings
from accord.signals.hashing import hash_file
from tests.signals.signal_contract import SignalTypeContract

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class TestSha256Signal(SignalTypeContract):
    name = "sha256"
    canonical_cases = (
        (EMPTY_SHA256.upper(), EMPTY_SHA256),
        (f"\t{EMPTY_SHA256} ", EMPTY_SHA256),
    )
    invalid_cases = (
        (EMPTY_SHA256[:-1], "expected 64 hex digits, got 63"),
        (EMPTY_SHA256 + "0", "expected 64 hex digits, got 65"),
        (EMPTY_SHA256[:10] + "x" + EMPTY_SHA256[11:], "found 'x' at position 10"),
    )


def test_sha256_of_a_reference_file_equals_the_manifest(
    vectors_dir: Path, settings: Settings
) -> None:
    manifest = {
        line.split("\t")[0]: line.split("\t")[2]
        for line in (vectors_dir / "MANIFEST.tsv").read_text().splitlines()[1:]
    }
    image = "pdq/data/bridge-mods/aaa-orig.jpg"
    (result,) = hash_file(vectors_dir / image, settings=settings, types=["sha256"])
    assert result.value == manifest[image]
