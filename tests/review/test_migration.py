"""Migration 0002 (review workflow) matches the models and can be undone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from accord.store.database import Database
from accord.store.models import Base
from accord.store.schema import current_revision, head_revision
from tests.migrations import migrate


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


def test_migration_0002_downgrades_and_upgrades_again(db: Database) -> None:
    migrate(db, "0001", down=True)
    assert "query_id" not in {c["name"] for c in inspect(db.engine).get_columns("matches")}
    migrate(db, "head")
    assert current_revision(db) == head_revision()
    assert {"query_id", "negative"} <= {c["name"] for c in
                                        inspect(db.engine).get_columns("matches")}
