"""Moving a test database up or down the Alembic migrations."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from accord.store.database import MIGRATIONS, Database


def migrate(db: Database, target: str, *, down: bool = False) -> None:
    """Upgrade (or with ``down``, downgrade) ``db`` to the revision ``target``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)
