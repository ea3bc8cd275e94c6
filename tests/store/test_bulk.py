"""The bulk writer: rows appended by COPY or executemany read back as the ORM wrote them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from accord.store import models as m
from accord.store.bulk import append_rows, utc_for_driver
from accord.store.database import Database

COLUMNS = ("id", "name", "kind", "country", "created_at", "report_opt_in")


def test_appended_rows_read_back_with_their_values_and_utc_timestamps(db: Database) -> None:
    when = dt.datetime(2026, 3, 1, 12, 30, 15, 250_000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with db.transaction() as session:
        stamp = utc_for_driver(session, when)
        append_rows(session, "partners", COLUMNS, [
            (101, "Agency A", "agency", "FR", stamp, True),
            (102, "Platform B", "platform", "IE", stamp, False),
        ])
    with db.reader() as session:
        rows = session.execute(select(m.Partner).order_by(m.Partner.id)).scalars().all()
        assert [(p.id, p.name, p.kind, p.country, p.report_opt_in) for p in rows] == [
            (101, "Agency A", "agency", "FR", True), (102, "Platform B", "platform", "IE", False)]
        assert {p.created_at for p in rows} == {when}
        assert rows[0].created_at.tzinfo == dt.UTC


def test_appending_nothing_writes_nothing(db: Database) -> None:
    with db.transaction() as session:
        append_rows(session, "partners", COLUMNS, [])
    with db.reader() as session:
        assert session.execute(select(m.Partner)).first() is None
