"""The throwaway PostgreSQL server in ``tests/pgserver.py`` starts, serves and stops."""

from __future__ import annotations

import socket

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.pgserver import find_postgres_bin, temporary_postgres

pytestmark = pytest.mark.skipif(
    find_postgres_bin() is None,
    reason="PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed "
    "(Debian: apt-get install postgresql)",
)


def _port_open(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port)) == 0


def test_temporary_postgres_serves_a_fresh_database_and_stops() -> None:
    with temporary_postgres() as url:
        parsed = make_url(url)
        assert parsed.drivername == "postgresql+psycopg"
        assert parsed.host == "127.0.0.1"
        assert parsed.port is not None
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("select 1")).scalar_one() == 1
                assert conn.execute(text("select current_database()")).scalar_one() == (
                    parsed.database
                )
                tables = conn.execute(
                    text(
                        "select count(*) from information_schema.tables "
                        "where table_schema = 'public'"
                    )
                ).scalar_one()
                assert tables == 0
        finally:
            engine.dispose()
        host, port = parsed.host, parsed.port

    assert not _port_open(host, port)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=host, port=port, user="accord", dbname="postgres", connect_timeout=2
        ).close()
