"""A sync-role member signed in to the web UI reaches its peers page and nothing else."""

from __future__ import annotations

import pytest

from accord.sharing import accounts, service
from accord.sharing.roles import Actor
from tests.web.conftest import PASSWORD, Browser, csrf_of


@pytest.fixture
def sync_member(web: Browser) -> Browser:
    service.member_add(web.db, Actor.operator(), "Platform B", "b-sync", "sync")
    accounts.member_set_password(web.db, Actor.operator(), "b-sync", PASSWORD)
    page = web.client.get("/login")
    answer = web.client.post("/login", data={"username": "b-sync", "password": PASSWORD,
                                              "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200, answer.text[:300]
    return web


def test_the_dashboard_sends_a_sync_member_to_its_peers(sync_member: Browser) -> None:
    landing = sync_member.client.get("/")
    assert landing.url.path == "/peers" and landing.status_code == 200
    assert 'href="/signals"' not in landing.text  # the menu offers nothing else
    assert 'href="/review"' not in landing.text


@pytest.mark.parametrize("path", ["/signals", "/banks", "/match", "/review", "/incidents",
                                  "/reports", "/cooperation", "/audit"])
def test_every_other_page_refuses_a_sync_member(sync_member: Browser, path: str) -> None:
    page = sync_member.client.get(path)
    assert page.status_code == 403, (path, page.status_code)
    assert "role sync" in page.text
