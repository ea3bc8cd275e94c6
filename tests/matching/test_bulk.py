"""Bulk load: every registered type gets its index, filled from the store in one pass."""

from __future__ import annotations

from accord.config import Settings
from accord.matching.engine import MatchEngine
from accord.sharing.roles import Actor
from accord.signals import signal_type_names
from accord.store.database import Database
from tests.matching.helpers import BASE, add, flipped


def test_every_registered_type_has_an_index_even_when_empty(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    add(db, settings, "a-amber", "md5", "a" * 32)
    sizes = MatchEngine.load(db, settings).size()
    assert sorted(sizes) == signal_type_names()
    assert {k: v for k, v in sizes.items() if v} == {"md5": 1}


def test_the_scan_arrays_hold_the_matchable_pdq_signals_only(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    lax = Settings(home=settings.home, database_url=settings.database_url, pdq_min_quality=0)
    good = add(db, settings, "a-amber", "pdq", BASE, quality=90)
    add(db, lax, "a-amber", "pdq", flipped(BASE, 9), quality=10)
    add(db, settings, "a-amber", "md5", "a" * 32)
    ids, hashes = MatchEngine.load(db, settings).pdq_arrays()
    assert ids.tolist() == [good]
    assert hashes.tobytes() == bytes.fromhex(BASE)
