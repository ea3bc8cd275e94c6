"""TLSH matching: a linear scan with ``tlsh.diff`` (text banks are small)."""

from __future__ import annotations

import tlsh


class TlshIndex:
    """TLSH digests by signal id; ``search`` returns those within a distance."""

    def __init__(self) -> None:
        self._digests: dict[int, str] = {}

    def add(self, signal_id: int, value: str) -> None:
        """Index a canonical TLSH digest."""
        self._digests[signal_id] = value

    def remove(self, signal_id: int) -> None:
        """Forget ``signal_id``; unknown ids are ignored."""
        self._digests.pop(signal_id, None)

    def search(self, value: str, threshold: int) -> list[tuple[int, int]]:
        """``(id, distance)`` of digests within ``threshold`` of ``value``, closest first."""
        found = []
        for signal_id, digest in self._digests.items():
            distance = int(tlsh.diff(value, digest))
            if distance <= threshold:
                found.append((distance, signal_id))
        return [(i, d) for d, i in sorted(found)]

    def items(self) -> list[tuple[int, str]]:
        """(id, value) pairs, for snapshots."""
        return sorted(self._digests.items())

    def __len__(self) -> int:
        return len(self._digests)
