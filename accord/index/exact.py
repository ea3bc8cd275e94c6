"""The ``exact`` index kind (md5, sha256, url): a dictionary from canonical value to ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from accord.index.protocol import Candidate, ItemsIndex


class ExactIndex(ItemsIndex):
    """Canonical value -> signal ids, updated in place; every candidate is at distance 0."""

    kind: ClassVar[str] = "exact"
    snapshot_format: ClassVar[str] = "accord.exact-index"

    def __init__(self) -> None:
        self._ids: dict[str, set[int]] = {}
        self._value_of: dict[int, str] = {}

    def add(self, ids: Sequence[int], values: Sequence[str]) -> None:
        """Index ``values[i]`` for ``ids[i]`` (replacing what the id had)."""
        for signal_id, value in zip(ids, values, strict=True):
            self._forget(signal_id)
            self._ids.setdefault(value, set()).add(signal_id)
            self._value_of[signal_id] = value

    def remove(self, ids: Sequence[int]) -> None:
        """Forget ``ids``; unknown ids are ignored."""
        for signal_id in ids:
            self._forget(signal_id)

    def _forget(self, signal_id: int) -> None:
        value = self._value_of.pop(signal_id, None)
        if value is None:
            return
        ids = self._ids[value]
        ids.discard(signal_id)
        if not ids:
            del self._ids[value]

    def search(self, value: str, limit: int = 0) -> list[Candidate]:
        """Ids of signals with exactly this canonical value (``limit`` is irrelevant)."""
        return [(i, 0) for i in sorted(self._ids.get(value, ()))]

    def items(self) -> list[tuple[int, str]]:
        """(id, value) pairs, sorted by id."""
        return sorted(self._value_of.items())

    def size(self) -> int:
        """How many signals the index holds."""
        return len(self._value_of)
