"""/metrics is the operator's: this host's clients, a scraper's token, or opened by setting."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.config import Settings
from tests.api.conftest import Keys

Client = Callable[..., TestClient]


@pytest.fixture
def client(settings: Settings, keys: Keys) -> Iterator[Client]:
    made: list[TestClient] = []

    def make(host: str = "203.0.113.9", **options: object) -> TestClient:
        tuned = settings.replace(**options)
        c = TestClient(create_app(tuned), raise_server_exceptions=False, client=(host, 4000))
        made.append(c.__enter__())
        return c

    yield make
    for c in made:
        c.__exit__(None, None, None)


def test_a_partners_key_from_another_host_does_not_read_metrics(
    client: Client, keys: Keys
) -> None:
    remote = client()
    for headers in ({}, keys.admin_b, keys.curator_a):
        answer = remote.get("/metrics", headers=headers)
        assert answer.status_code == 403, answer.text
        assert "accord_http_requests_total" not in answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_this_hosts_clients_read_metrics(client: Client, host: str) -> None:
    local = client(host)
    assert "accord_http_requests_total" in local.get("/metrics").text
    # ...unless a proxy on this host forwarded the request from elsewhere
    assert local.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"}
                     ).status_code == 403


def test_the_scraper_token_and_the_public_setting(client: Client) -> None:
    scraper = client(metrics_token="s3cret-scrape")
    assert scraper.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"}
                       ).status_code == 200
    assert scraper.get("/metrics", headers={"Authorization": "Bearer wrong"}
                       ).status_code == 403
    assert client(metrics_public=True).get("/metrics").status_code == 200
