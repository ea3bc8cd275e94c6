"""What every command shares: settings, the database, and who is acting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from accord.config import Settings
from accord.errors import NotFound
from accord.sharing.roles import Actor, Role

if TYPE_CHECKING:
    from accord.store.database import Database


@dataclass
class CliState:
    """Per-invocation state built by the root callback."""

    settings: Settings
    as_member: str | None = None
    out: Console = field(default_factory=lambda: Console(highlight=False))
    err: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))
    _db: Database | None = None

    def database(self, *, check: bool = True) -> Database:
        """The node's database, checked to exist at the current schema (unless ``check``)."""
        from accord.store.database import Database
        from accord.store.schema import require_current

        if self._db is None:
            self._db = Database(self.settings.resolved_database_url())
        if check:
            require_current(self._db)
        return self._db

    def actor(self) -> Actor:
        """The operator, or with ``--as USERNAME`` that member, with its role and partner."""
        if self.as_member is None:
            return Actor.operator()
        from sqlalchemy import select

        from accord.store import models as m

        db = self.database()
        with db.reader() as session:
            member = session.execute(
                select(m.Member).where(m.Member.username == self.as_member.strip().lower())
            ).scalar_one_or_none()
            if member is None or not member.active:
                raise NotFound("no active member {as_member!r} to act as", as_member=self.as_member)
            return Actor(name=member.username, partner_id=member.partner_id,
                         role=Role(member.role), member_id=member.id)

    def close(self) -> None:
        """Release database connections."""
        if self._db is not None:
            self._db.dispose()


def state(ctx: typer.Context) -> CliState:
    """The ``CliState`` of this invocation."""
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):  # pragma: no cover - the root callback always sets it
        raise RuntimeError("accord CLI state missing")
    return obj
