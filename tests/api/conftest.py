"""An API over a fresh node: agency A curates, platform B matches, C has no access."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.curation import banks
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database


@dataclass(frozen=True)
class Keys:
    """Bearer headers for each member of the test node."""

    curator_a: dict[str, str]
    reviewer_b: dict[str, str]
    reader_b: dict[str, str]
    admin_b: dict[str, str]
    admin_c: dict[str, str]
    revocable: str


def _key(db: Database, partner: str, username: str, role: str) -> str:
    op = Actor.operator()
    service.member_add(db, op, partner, username, role)
    return service.key_create(db, op, username).secret


@pytest.fixture
def keys(db: Database) -> Keys:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform B", "platform", "IE")
    service.partner_add(db, op, "Outsider C", "ngo", "KE")
    service.channel_add(db, op, "ab", "Agency A")
    service.channel_join(db, op, "ab", "Platform B")
    banks.bank_add(db, op, "a-images", "Agency A", default_tlp="AMBER", channel="ab")

    def bearer(secret: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret}"}

    revocable = _key(db, "Platform B", "bea", "reviewer")
    return Keys(bearer(_key(db, "Agency A", "ada", "curator")), bearer(revocable),
                bearer(_key(db, "Platform B", "ben", "reader")),
                bearer(_key(db, "Platform B", "bo", "admin")),
                bearer(_key(db, "Outsider C", "cam", "admin")), revocable)


@pytest.fixture
def api(settings: Settings, keys: Keys) -> Iterator[TestClient]:
    fast = Settings(home=settings.home, database_url=settings.database_url,
                    refresh_interval_seconds=0.05)
    with TestClient(create_app(fast), raise_server_exceptions=False) as client:
        yield client


SQLITE_ONLY = ("tests/api/test_schemathesis.py::",)
"""Test files whose runs on PostgreSQL add minutes and no new path: the whole-OpenAPI
property run (420 examples per database) exercises the routes, not the database, and
every route also runs on PostgreSQL in the API tests and the TAXII property run."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    dropped = [item for item in items if item.nodeid.startswith(SQLITE_ONLY)
               and "[postgresql-" in item.nodeid]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        gone = set(dropped)
        items[:] = [item for item in items if item not in gone]
