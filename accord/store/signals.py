"""Reading stored signals: a row's canonical value, and the labels of many signals.

A signal row keeps a value longer than the key limit under a ``sha256:...``
storage key in ``value`` and the value itself in ``payload`` (see
``models.Signal``); every reader that hands a value on asks ``canonical_value``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store import models as m

# Ids per ``IN (...)`` list: under SQLite's 32766 bound parameters.
_CHUNK = 30_000


class StoredValue(Protocol):
    """A signal row, or any result row with its ``value`` and ``payload`` columns."""

    @property
    def value(self) -> str: ...

    @property
    def payload(self) -> str | None: ...


def canonical_value(row: StoredValue) -> str:
    """The signal's value itself: ``payload`` when the value is stored under a key."""
    return row.payload or row.value


def labels_of(session: Session, signal_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Each given signal's labels, sorted (``()`` for none), in one query per 30,000 ids."""
    ids = sorted(set(signal_ids))
    found: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), _CHUNK):
        for sid, label in session.execute(
            select(m.SignalLabel.signal_id, m.SignalLabel.label)
            .where(m.SignalLabel.signal_id.in_(ids[start:start + _CHUNK]))
            .order_by(m.SignalLabel.label)
        ):
            found[sid].append(label)
    return {i: tuple(v) for i, v in found.items()}
