"""Migration 0003 (cooperation) creates its tables and can be undone."""

from __future__ import annotations

from sqlalchemy import inspect

from accord.store.database import Database
from tests.migrations import migrate

TABLES = {"designation_sources", "auto_action_sources", "dialogues", "dialogue_partners",
          "agenda_items", "action_items", "coop_requests", "request_refs", "programmes",
          "programme_donors"}



def test_migration_0003_downgrades_and_upgrades_again(db: Database) -> None:
    assert set(inspect(db.engine).get_table_names()) >= TABLES
    migrate(db, "0002", down=True)
    assert not TABLES & set(inspect(db.engine).get_table_names())
    migrate(db, "head")
    assert set(inspect(db.engine).get_table_names()) >= TABLES
