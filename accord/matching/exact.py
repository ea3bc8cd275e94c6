"""Exact-value indexes (md5, sha256, url): a dictionary from canonical value to ids."""

from __future__ import annotations


class ExactIndex:
    """Canonical value -> signal ids, updated in place."""

    def __init__(self) -> None:
        self._ids: dict[str, set[int]] = {}
        self._value_of: dict[int, str] = {}

    def add(self, signal_id: int, value: str) -> None:
        """Index ``value`` for ``signal_id`` (replacing what the id had)."""
        self.remove(signal_id)
        self._ids.setdefault(value, set()).add(signal_id)
        self._value_of[signal_id] = value

    def remove(self, signal_id: int) -> None:
        """Forget ``signal_id``; unknown ids are ignored."""
        value = self._value_of.pop(signal_id, None)
        if value is None:
            return
        ids = self._ids[value]
        ids.discard(signal_id)
        if not ids:
            del self._ids[value]

    def search(self, value: str) -> list[int]:
        """Ids of signals with exactly this canonical value."""
        return sorted(self._ids.get(value, ()))

    def items(self) -> list[tuple[int, str]]:
        """(id, value) pairs, for snapshots."""
        return sorted(self._value_of.items())

    def __len__(self) -> int:
        return len(self._value_of)
