"""Shared values and helpers for the match engine tests."""

from __future__ import annotations

import random

from accord.config import Settings
from accord.curation import signals
from accord.curation.signals import SignalInput
from accord.sharing.roles import Actor
from accord.store.database import Database

BASE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def flipped(value: str, bits: int, seed: int = 1) -> str:
    """``value`` with ``bits`` distinct bits flipped."""
    number = int(value, 16)
    for bit in random.Random(seed).sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def add(db: Database, settings: Settings, bank: str, kind: str, value: str, **kw: object) -> int:
    """Add one signal as the operator; its id."""
    return signals.signal_add(db, Actor.operator(), bank, SignalInput(kind, value, **kw),  # type: ignore[arg-type]
                              settings).id
