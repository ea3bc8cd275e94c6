"""Creating and upgrading the schema with Alembic, and checking it is current."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from accord.errors import Conflict, NotFound
from accord.store.database import MIGRATIONS, Database, redacted


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration this version of Accord knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found in the accord package")
    return head


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for a database Accord never touched."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> tuple[str | None, str]:
    """Create the schema or bring it up to date; returns (revision before, after)."""
    db.check_reachable()
    before = current_revision(db)
    if before is None and db.table_names() - {"alembic_version"}:
        raise Conflict(
            f"the database at {redacted(db.url)} already has tables that are not Accord's",
            hint="point --db at an empty database or an existing Accord database",
        )
    config = _alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return before, head_revision()


def require_current(db: Database) -> None:
    """Raise a clear error unless the database exists at this Accord's schema revision."""
    db.check_reachable()
    revision = current_revision(db)
    if revision is None:
        raise NotFound(
            f"no Accord database at {redacted(db.url)}",
            hint="create it with: accord init --db URL (or without --db for the default)",
        )
    head = head_revision()
    if revision != head:
        raise Conflict(
            f"the database at {redacted(db.url)} is at schema revision {revision}, "
            f"this Accord needs {head}",
            hint="upgrade it with: accord init (it keeps your data)",
        )
