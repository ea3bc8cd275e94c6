"""A database connection lost in the middle of a transaction is a clear 503, not a 500.

PostgreSQL ends sessions when it restarts (or an administrator terminates them); the
request that was using one must answer "unavailable, retry" and the write must be
rolled back, whatever the route.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from accord.errors import PartnerUnavailable, http_status
from accord.store import models as m
from accord.store.database import Database


def test_a_session_terminated_mid_transaction_is_partner_unavailable(
    db: Database, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to lose")
    killer = Database(database_url)
    with (pytest.raises(PartnerUnavailable, match=r"connection to the database .* was lost")
          as lost, db.transaction() as session):
        session.add(m.Partner(name="Half Written", kind="ngo", country="KE"))
        session.flush()
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with killer.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        session.execute(text("SELECT 1"))  # the server has closed this session
    assert http_status(lost.value) == 503
    assert "retry once the database is back" in (lost.value.hint or "")
    with db.reader() as session:  # rolled back, and the pool serves a fresh connection
        assert session.query(m.Partner).filter_by(name="Half Written").count() == 0
    killer.dispose()
