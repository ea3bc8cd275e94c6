"""The bulk writer: appending many rows to one table by the fastest path each driver has.

PostgreSQL gets one ``COPY ... FROM STDIN``; SQLite one ``executemany`` of a
plain ``INSERT``. Both bypass the ORM (its per-row work cost more than the
writes), so callers hand over driver-ready values: ids, defaults and change
numbers already filled in, timestamps passed through ``utc_for_driver``.
Bulk signal import and incident import both write through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from accord.store import models as m


def utc_for_driver(session: Session, when: dt.datetime) -> object:
    """``when`` as the driver takes it for a ``UtcDateTime`` column (SQLite: its text form)."""
    dialect = session.get_bind().dialect
    to_db = m.UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    return to_db(when) if to_db is not None else when


def append_rows(session: Session, table: str, columns: Sequence[str],
                rows: list[tuple[object, ...]]) -> None:
    """Append ``rows`` (values in ``columns`` order) to ``table`` in ``session``'s transaction."""
    if not rows:
        return
    conn = session.connection()
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
            f"COPY {table} ({names}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
