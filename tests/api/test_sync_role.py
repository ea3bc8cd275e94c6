"""The sync role reaches TAXII and what sync needs, nothing else.

A sync key is a machine account another node (or HMA, or accord.pytx) pulls with. If it
leaks, the holder must get no more than sync would hand over anyway: the TAXII
collections, the signal feed, and (for a sync member of this node) its peers — never
matching, review, requests, incidents, members or the HMA matching routes.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.store.database import Database
from tests.api.conftest import Keys, _key

PDQ = "f" * 64
OUTSIDE_SYNC = (
    ("POST", "/api/v1/match", {"signal_type": "pdq", "value": PDQ}),
    ("GET", "/api/v1/review/queue", None),
    ("GET", "/api/v1/requests", None),
    ("GET", "/api/v1/incidents", None),
    ("GET", "/api/v1/members", None),
    ("GET", "/api/v1/banks", None),
    ("GET", "/api/v1/auto-action-policy", None),
    ("GET", "/api/v1/webhooks", None),
)


@pytest.fixture
def sync_key(db: Database, keys: Keys) -> dict[str, str]:
    return {"Authorization": f"Bearer {_key(db, 'Platform B', 'b-sync', 'sync')}"}


@pytest.mark.parametrize(("method", "path", "body"), OUTSIDE_SYNC,
                         ids=[f"{m} {p}" for m, p, _ in OUTSIDE_SYNC])
def test_a_sync_key_is_refused_everywhere_but_what_sync_needs(
    api: TestClient, keys: Keys, sync_key: dict[str, str], method: str, path: str,
    body: dict[str, str] | None
) -> None:
    refused = api.request(method, path, headers=sync_key, json=body)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "role sync" in refused.json()["detail"]
    assert "only TAXII, the signal feed and peers" in refused.json()["hint"]
    # The same route still answers an admin of the same partner.
    assert api.request(method, path, headers=keys.admin_b, json=body).status_code != 403


def test_a_sync_key_reads_the_taxii_collections_and_the_signal_feed(
    api: TestClient, sync_key: dict[str, str]
) -> None:
    feed = api.get("/api/v1/signals", headers=sync_key)
    assert feed.status_code == 200, feed.text
    collections = api.get("/taxii2/api/collections/",
                          headers={**sync_key, "Accept": MEDIA_TYPE_TAXII})
    assert collections.status_code == 200, collections.text
    assert collections.json()["collections"]  # Platform B's scopes, e.g. the ab channel


def test_the_hma_matching_routes_refuse_a_sync_key(
    api: TestClient, keys: Keys, sync_key: dict[str, str]
) -> None:
    path = "/hma/m/raw_lookup"
    params = {"signal_type": "pdq", "signal": PDQ}
    assert api.get(path, headers=sync_key, params=params).status_code == 403
    assert api.get(path, headers=keys.reader_b, params=params).status_code == 200
