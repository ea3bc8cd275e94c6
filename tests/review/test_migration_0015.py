"""Migration 0015 (review desk) adds its columns and index, keeps the signals' sync
triggers, and can be undone and redone."""

from __future__ import annotations

from sqlalchemy import inspect

from accord.store.database import Database
from tests.migrations import migrate

ADDED = {"matches": {"claimed_until", "variant"}, "verdicts": {"undone_at"},
         "deliveries": {"verdict_id"}, "partners": {"content_url_template"},
         "members": {"reveal_previews"}}


def _columns(db: Database) -> dict[str, set[str]]:
    found = inspect(db.engine)
    return {t: {c["name"] for c in found.get_columns(t)} & cols for t, cols in ADDED.items()}


def _triggers(db: Database) -> int:
    if db.engine.dialect.name != "sqlite":
        return 0
    with db.engine.connect() as conn:
        return len(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").all())


def test_migration_0015_downgrades_and_upgrades_again(db: Database) -> None:
    assert _columns(db) == ADDED
    triggers = _triggers(db)
    migrate(db, "0014_match_variants", down=True)
    assert _columns(db) == {t: set() for t in ADDED}
    assert "ix_deliveries_verdict_id" not in {
        i["name"] for i in inspect(db.engine).get_indexes("deliveries")}
    migrate(db, "head")
    assert _columns(db) == ADDED
    assert _triggers(db) == triggers  # plain ADD COLUMN: the sync triggers survive
