"""The ``tlsh`` index kind: a linear scan with ``tlsh.diff`` (text banks are small)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import tlsh

from accord.index.protocol import Candidate, ItemsIndex


class TlshIndex(ItemsIndex):
    """TLSH digests by signal id; ``search`` returns those within a distance."""

    kind: ClassVar[str] = "tlsh"
    snapshot_format: ClassVar[str] = "accord.tlsh-index"

    def __init__(self) -> None:
        self._digests: dict[int, str] = {}

    def add(self, ids: Sequence[int], values: Sequence[str]) -> None:
        """Index canonical TLSH digests."""
        self._digests.update(zip(ids, values, strict=True))

    def remove(self, ids: Sequence[int]) -> None:
        """Forget ``ids``; unknown ids are ignored."""
        for signal_id in ids:
            self._digests.pop(signal_id, None)

    def search(self, value: str, limit: int) -> list[Candidate]:
        """``(id, distance)`` of digests within ``limit`` of ``value``, closest first."""
        found = []
        for signal_id, digest in self._digests.items():
            distance = int(tlsh.diff(value, digest))
            if distance <= limit:
                found.append((distance, signal_id))
        return [(i, d) for d, i in sorted(found)]

    def items(self) -> list[tuple[int, str]]:
        """(id, value) pairs, sorted by id."""
        return sorted(self._digests.items())

    def size(self) -> int:
        """How many signals the index holds."""
        return len(self._digests)
