"""Creating and upgrading the schema with Alembic, and checking it is current."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import text

from accord.config import Settings
from accord.errors import Conflict, NotFound
from accord.store.database import MIGRATIONS, Database, redacted

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r'^(down_revision|revision)\s*(?::[^=]*)?=\s*["\']?([^"\'\s]+)["\']?',
                       re.MULTILINE)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    """The newest migration this version of Accord knows.

    Read from the migration files' ``revision``/``down_revision`` lines rather than through
    Alembic, whose import alone costs a CLI command ~80 ms; a test holds it equal to
    Alembic's own head.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for kind, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if kind == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:  # pragma: no cover - the package always ships one linear history
        raise RuntimeError(f"the accord package's migrations have heads {sorted(heads)}")
    return heads.pop()


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for a database Accord never touched."""
    if "alembic_version" not in db.table_names():
        return None
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(db: Database, settings: Settings | None = None) -> tuple[str | None, str]:
    """Create the schema or bring it up to date; returns (revision before, after).
    ``settings`` tell migrations where the node's keys are (default: from the environment)."""
    db.check_reachable()
    before = current_revision(db)
    if before is None and db.table_names() - {"alembic_version"}:
        raise Conflict("the database at {redacted} already has tables that are not Accord's",
                       hint="point --db at an empty database or an existing Accord database",
                       redacted=redacted(db.url))
    from alembic import command

    config = _alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        config.attributes["settings"] = settings
        command.upgrade(config, "head")
    return before, head_revision()


def require_current(db: Database) -> None:
    """Raise a clear error unless the database exists at this Accord's schema revision."""
    db.check_reachable()
    revision = current_revision(db)
    if revision is None:
        raise NotFound("no Accord database at {redacted}",
                       hint="create it with: accord init --db URL (or without --db for the "
                            "default)", redacted=redacted(db.url))
    head = head_revision()
    if revision != head:
        raise Conflict("the database at {redacted} is at schema revision {revision}, this Accord "
                       "needs {head}", hint="upgrade it with: accord init (it keeps your data)",
                       redacted=redacted(db.url), revision=revision, head=head)
