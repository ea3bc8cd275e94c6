"""Migration 0005 (incidents, crises, report opt-in) can be undone and redone."""

from __future__ import annotations

from sqlalchemy import inspect

from accord.store.database import Database
from accord.store.schema import current_revision, head_revision
from tests.migrations import migrate


def _columns(db: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_migration_0005_downgrades_and_upgrades_again(db: Database) -> None:
    migrate(db, "0004", down=True)
    assert "report_opt_in" not in _columns(db, "partners")
    assert "prior_channel_id" not in _columns(db, "crises")
    migrate(db, "head")
    assert current_revision(db) == head_revision()
    assert "report_opt_in" in _columns(db, "partners")
    assert {"prior_channel_id", "expired_at", "closed_by"} <= _columns(db, "crises")
