"""Opening, creating and upgrading the database; transactions.

SQLite (a file, the default) and PostgreSQL (by URL) are both first-class.
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so two
writers queue on the lock instead of failing half-way with "database is
locked"; reads use ordinary deferred transactions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from accord.errors import Invalid, PartnerUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Python's sqlite3 opens transactions implicitly; we issue BEGIN ourselves.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    # Random inserts into the value index of a million-signal bank thrash SQLite's
    # 2 MiB default cache: allow 256 MiB (a ceiling, not an allocation) and read
    # through a memory map instead of a system call per page.
    cur.execute("PRAGMA cache_size=-262144")
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    write = conn.get_execution_options().get("accord_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with Accord's connection settings.

    Raises ``Invalid`` for a URL that cannot be parsed or names an unknown
    driver, and for a SQLite file whose folder does not exist.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise Invalid("database URL {redacted!r} cannot be parsed: {exc}",
                      hint="use sqlite:///path/to/accord.sqlite3 or "
                           "postgresql+psycopg://user:password@host/dbname", redacted=redacted(url),
                      exc=exc) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database not in ("", ":memory:") and not Path(database).parent.is_dir():
            raise Invalid("the folder for SQLite database {database!r} does not exist",
                          hint="create it first (mkdir -p {parent}) or use another path",
                          database=database, parent=Path(database).parent)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise Invalid("database URL {redacted!r} names backend {backend_name!r}; Accord runs on "
                      "SQLite or PostgreSQL", redacted=redacted(url),
                      backend_name=parsed.get_backend_name())
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (ArgumentError, ImportError) as exc:
        raise Invalid("cannot use database URL {redacted!r}: {exc}", redacted=redacted(url),
                      exc=exc) from None


def _rollback_quietly(session: Session) -> None:
    """Roll back; on a connection that is already gone that fails too, and the first
    error is the one to report."""
    with suppress(SQLAlchemyError):
        session.rollback()


class Database:
    """One node's database: an engine plus transaction helpers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def check_reachable(self) -> None:
        """Connect once; turn a failure into a clear ``PartnerUnavailable``."""
        try:
            with self.engine.connect():
                pass
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise PartnerUnavailable("cannot reach the database at {redacted}: {reason}",
                                     hint="check that the server is running and the URL (host, "
                                          "port, user, password, database name) is right; set it "
                                          "with --db or ACCORD_DATABASE_URL",
                                     redacted=redacted(self.url), reason=reason) from None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success, rolled back on error."""
        with self._session(write=True) as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads (never committed)."""
        with self._session(write=False) as session:
            yield session

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        try:
            conn = self.engine.connect()
        except OperationalError:
            self.check_reachable()
            raise
        with conn:
            conn.execution_options(accord_write=write)
            with Session(bind=conn, expire_on_commit=False, autoflush=False) as session:
                session.begin()
                try:
                    yield session
                    if write:
                        session.commit()
                    else:
                        session.rollback()
                except DBAPIError as exc:
                    _rollback_quietly(session)
                    if exc.connection_invalidated:  # the server went away mid-transaction
                        raise self._lost(exc) from None
                    raise
                except BaseException:
                    _rollback_quietly(session)
                    raise

    def _lost(self, exc: DBAPIError) -> PartnerUnavailable:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return PartnerUnavailable("the connection to the database at {redacted} was lost: {reason}",
                                  hint="retry once the database is back; nothing was "
                                       "acknowledged, and a write that did reach it answers the "
                                       "retry as a duplicate", redacted=redacted(self.url),
                                  reason=reason)

    def table_names(self) -> set[str]:
        """Names of the tables present (used to tell an empty database from ours)."""
        try:
            return set(inspect(self.engine).get_table_names())
        except SQLAlchemyError:
            self.check_reachable()
            raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
