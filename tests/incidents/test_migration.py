"""Migration 0005 (incidents, crises, report opt-in) can be undone and redone."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from accord.store.database import MIGRATIONS, Database
from accord.store.schema import current_revision, head_revision


def _migrate(db: Database, target: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def _columns(db: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_migration_0005_downgrades_and_upgrades_again(db: Database) -> None:
    _migrate(db, "0004", down=True)
    assert "report_opt_in" not in _columns(db, "partners")
    assert "prior_channel_id" not in _columns(db, "crises")
    _migrate(db, "head")
    assert current_revision(db) == head_revision()
    assert "report_opt_in" in _columns(db, "partners")
    assert {"prior_channel_id", "expired_at", "closed_by"} <= _columns(db, "crises")
