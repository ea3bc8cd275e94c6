"""Migration 0003 (cooperation) creates its tables and can be undone."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from accord.store.database import MIGRATIONS, Database

TABLES = {"designation_sources", "auto_action_sources", "dialogues", "dialogue_partners",
          "agenda_items", "action_items", "coop_requests", "request_refs", "programmes",
          "programme_donors"}


def _migrate(db: Database, target: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def test_migration_0003_downgrades_and_upgrades_again(db: Database) -> None:
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    _migrate(db, "0002", down=True)
    assert not TABLES & set(inspect(db.engine).get_table_names())
    _migrate(db, "head")
    assert set(inspect(db.engine).get_table_names()) >= TABLES
