"""The ``tlsh`` index kind: a linear scan with ``tlsh.diff`` (text banks are small)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Self

import tlsh

from accord.index.protocol import Candidate, SignalIndex, load_items, save_items

FORMAT = "accord.tlsh-index"
FORMAT_VERSION = 1


class TlshIndex(SignalIndex):
    """TLSH digests by signal id; ``search`` returns those within a distance."""

    kind: ClassVar[str] = "tlsh"

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

    def save(self, folder: Path) -> None:
        """Write the (id, digest) pairs as versioned JSON into ``folder``."""
        save_items(folder, FORMAT, FORMAT_VERSION, self.items())

    @classmethod
    def load(cls, folder: Path) -> Self:
        """The index :meth:`save` left in ``folder``."""
        index = cls()
        items = load_items(folder, FORMAT, FORMAT_VERSION)
        index.add([i for i, _ in items], [v for _, v in items])
        return index
