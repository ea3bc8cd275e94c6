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


def _unique(db: Database, table: str) -> list[list[str]]:
    return [c["column_names"] for c in inspect(db.engine).get_unique_constraints(table)]


def test_migration_0007_makes_eventids_unique_per_owner_and_back(db: Database) -> None:
    migrate(db, "0006", down=True)
    assert ["eventid"] in _unique(db, "incidents")
    migrate(db, "head")
    assert current_revision(db) == head_revision()
    assert ["owner_partner_id", "eventid"] in _unique(db, "incidents")
    assert ["eventid"] not in _unique(db, "incidents")
