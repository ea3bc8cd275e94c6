"""A node for the web UI: agency A (admin, curator, reader) and platform B (reviewer, admin).

``Browser.sign_in`` gives the member the password ``PASSWORD`` first (argon2 hashing
is slow on purpose, so only members who sign in get one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from accord.sharing import accounts, service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.web.server import seed_partners

PASSWORD = "correct horse battery staple"
MEMBERS = (("Agency A", "ada", "admin"), ("Agency A", "cyd", "curator"),
           ("Agency A", "rex", "reader"), ("Platform B", "bea", "reviewer"),
           ("Platform B", "bob", "admin"))


def seed(db: Database) -> None:
    """Partners, a shared channel, a bank of A's, and their members."""
    seed_partners(db)
    for partner, username, role in MEMBERS:
        service.member_add(db, Actor.operator(), partner, username, role)


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class Browser:
    """A TestClient that signs in and posts forms with the page's CSRF token."""

    def __init__(self, client: TestClient, db: Database) -> None:
        self.client, self.db = client, db

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        accounts.member_set_password(self.db, Actor.operator(), username, password)
        page = self.client.get("/login")
        answer = self.client.post("/login", data={"username": username, "password": password,
                                                  "csrf_token": csrf_of(page.text)})
        assert answer.status_code == 200 and answer.url.path == "/", answer.text[:500]

    def page_in(self, path: str, locale: str) -> str:
        """The page at ``path`` as a reader who chose ``locale`` sees it (status 200)."""
        self.client.cookies.set("accord_lang", locale)
        try:
            page = self.client.get(path)
            assert page.status_code == 200, page.text[:300]
            return page.text
        finally:
            self.client.cookies.delete("accord_lang")

    def post(self, path: str, data: dict[str, str], *, from_page: str = "/",
             files: dict[str, tuple[str, bytes]] | None = None) -> object:
        token = csrf_of(self.client.get(from_page).text)
        return self.client.post(path, data={**data, "csrf_token": token}, files=files,
                                headers={"referer": f"http://testserver{from_page}"})


@pytest.fixture
def web(settings: Settings, db: Database) -> Iterator[Browser]:
    seed(db)
    fast = Settings(home=settings.home, database_url=settings.database_url,
                    refresh_interval_seconds=0.05)
    with TestClient(create_app(fast), raise_server_exceptions=False) as client:
        yield Browser(client, db)
