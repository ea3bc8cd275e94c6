"""A rehearsal: the real writes in one transaction that is rolled back at the end.

``accord sync --dry-run`` runs the real ingest against a ``Rehearsal``, so what
it reports is what the real run would do, and afterwards nothing has changed:
no signal, no audit event (so no index change), no cursor. Every
``transaction()`` and ``reader()`` inside it is a savepoint on one connection,
which sees the rehearsal's own earlier writes.

On SQLite the rehearsal holds the write lock until it ends (other writers
wait, as they would for the real run).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from accord.store.database import Database


class Rehearsal(Database):
    """A ``Database`` whose transactions all nest in one outer transaction, never committed.

    Open it with ``rehearse``; it is only valid inside that block.
    """

    def __init__(self, db: Database, connection: Connection) -> None:
        # The real engine (backend, dispose...), but every session on this connection.
        self.url, self.engine, self._connection = db.url, db.engine, connection

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A savepoint, released on success and rolled back on error (the outer
        transaction is rolled back at the end whatever happens)."""
        with Session(bind=self._connection, expire_on_commit=False, autoflush=False,
                     join_transaction_mode="create_savepoint") as session:
            session.begin()
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session that sees the rehearsal's writes so far."""
        with self.transaction() as session:
            yield session


@contextmanager
def rehearse(db: Database) -> Iterator[Rehearsal]:
    """A ``Rehearsal`` of ``db``: whatever is written through it is rolled back on exit."""
    with db.engine.connect() as connection:
        connection.execution_options(accord_write=True)
        outer = connection.begin()
        try:
            yield Rehearsal(db, connection)
        finally:
            outer.rollback()
