"""The schema check every command runs: the head it expects, read without Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from accord.store.database import MIGRATIONS, Database
from accord.store.schema import current_revision, head_revision


def test_the_head_read_from_the_migration_files_is_alembics_own_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_database_accord_never_touched_has_no_revision(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        assert current_revision(db) is None
    finally:
        db.dispose()


def test_a_migrated_database_is_at_the_head(db: Database) -> None:
    assert current_revision(db) == head_revision()
