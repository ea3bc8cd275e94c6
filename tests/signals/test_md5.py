"""``md5``: the MD5 digest of a whole file."""

from __future__ import annotations

import hashlib

from accord.config import Settings
from accord.signals.hashing import hash_file
from tests.signals.signal_contract import SignalTypeContract

EMPTY_MD5 = hashlib.md5(b"").hexdigest()


class TestMd5Signal(SignalTypeContract):
    name = "md5"
    canonical_cases = (
        (EMPTY_MD5.upper(), EMPTY_MD5),  # upper case is lowered
        (f"  {EMPTY_MD5}\n", EMPTY_MD5),  # outer whitespace is trimmed
    )
    invalid_cases = (
        ("d41d8cd98f00b204e9800998ecf8427", "expected 32 hex digits, got 31"),
        ("d41d8cd98f00b204e9800998ecf8427e0", "expected 32 hex digits, got 33"),
        ("g41d8cd98f00b204e9800998ecf8427e", "found 'g' at position 0"),
        ("", "got 0"),
        (None, "expected a string"),
    )


def test_md5_of_any_file_is_the_digest_of_its_bytes(tmp_path, settings: Settings) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 3)
    (result,) = hash_file(path, settings=settings, types=["md5"])
    assert result.value == hashlib.md5(path.read_bytes()).hexdigest()
    assert result.quality is None


def test_equal_digests_match_and_different_ones_do_not() -> None:
    from accord.signals import get_signal_type

    md5 = get_signal_type("md5")
    a, b, *_ = md5.examples()
    assert md5.matches(a, a)
    assert not md5.matches(a, b)
