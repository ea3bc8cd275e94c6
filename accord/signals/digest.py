"""Exact file digests: ``md5`` and ``sha256`` of a file's bytes.

They apply to every file, whatever its kind, and match only when equal
(distance 0 or 1). ``md5`` is the wire name ThreatExchange and HMA use.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar

from accord.media.sniff import MediaKind
from accord.media.source import Media
from accord.signals._hex import HexSignal
from accord.signals.base import ContentHasher, HashOptions, HashResult, IndexKind

_ALL_KINDS = frozenset(MediaKind)


class _DigestSignal(HexSignal, ContentHasher):
    """A cryptographic digest of the whole file; subclasses name the algorithm."""

    algorithm: ClassVar[str]
    index_kind: ClassVar[IndexKind] = "exact"
    default_threshold: ClassVar[int] = 0
    content_kinds: ClassVar[frozenset[MediaKind]] = _ALL_KINDS

    @classmethod
    def distance(cls, a: str, b: str) -> int:
        """0 when the digests are equal, else 1: digests carry no notion of nearness."""
        return 0 if a == b else 1

    @classmethod
    def examples(cls) -> list[str]:
        """Digests of three short byte strings."""
        return [hashlib.new(cls.algorithm, s).hexdigest() for s in (b"", b"accord", b"example")]

    @classmethod
    def hash_content(cls, media: Media, options: HashOptions) -> list[HashResult]:
        """The digest of the file's bytes, in lower-case hex."""
        return [HashResult(cls.name, hashlib.new(cls.algorithm, media.data).hexdigest())]


class Md5Signal(_DigestSignal):
    """MD5 of a file: 32 lower-case hex digits."""

    name: ClassVar[str] = "md5"
    algorithm: ClassVar[str] = "md5"
    hex_digits: ClassVar[int] = 32


class Sha256Signal(_DigestSignal):
    """SHA-256 of a file: 64 lower-case hex digits."""

    name: ClassVar[str] = "sha256"
    algorithm: ClassVar[str] = "sha256"
    hex_digits: ClassVar[int] = 64
