"""Migration 0004 (web UI) adds the bank-page index and can be undone."""

from __future__ import annotations

from sqlalchemy import inspect

from accord.store.database import Database
from tests.migrations import migrate


def _indexes(db: Database) -> set[str]:
    return {i["name"] for i in inspect(db.engine).get_indexes("signals") if i["name"]}


def test_migration_0004_downgrades_and_upgrades_again(db: Database) -> None:
    assert "ix_signals_bank" in _indexes(db)
    migrate(db, "0003", down=True)
    assert "ix_signals_bank" not in _indexes(db)
    migrate(db, "head")
    assert "ix_signals_bank" in _indexes(db)
