"""``/api/v1/peers``: a partner's peers, their skip ledgers and a sync now, for its sync and
admin members; another partner's peer answers as one that does not exist."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord.config import Settings
from accord.curation import banks
from accord.exchange import peers
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys, _key
from tests.exchange.pytx_servers import (
    PRIVACY_GROUP,
    TOKEN,
    ThreatExchangeServer,
    serving,
    te_update,
)

OP = Actor.operator()
GOOD = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


@pytest.fixture
def te(db: Database, settings: Settings, keys: Keys, monkeypatch: pytest.MonkeyPatch
       ) -> Iterator[ThreatExchangeServer]:
    monkeypatch.setenv("ACCORD_TEST_TX_TOKEN", TOKEN)
    banks.bank_add(db, OP, "b-gifct", "Platform B", default_tlp="GREEN")
    backend = ThreatExchangeServer(updates=[te_update(GOOD, 100), te_update("0" * 64, 101)])
    with serving(backend):
        given = peers.ExchangePeerSettings(
            exchange="fb_threatexchange", collab=json.dumps({"privacy_group": PRIVACY_GROUP}),
            credentials_env="ACCORD_TEST_TX_TOKEN", endpoint=backend.url + "/v")
        peers.exchange_peer_add(db, OP, "gifct", given, bank="b-gifct",
                                settings=settings)
        yield backend


def test_a_sync_member_syncs_an_exchange_peer_and_reads_its_skip_ledger(
        api: TestClient, db: Database, te: ThreatExchangeServer) -> None:
    sync_key = {"Authorization": f"Bearer {_key(db, 'Platform B', 'b-sync', 'sync')}"}
    ran = api.post("/api/v1/peers/gifct/sync", headers=sync_key)
    assert ran.status_code == 200, ran.text
    assert ran.json()["added"] == 1 and ran.json()["refused"] == 1 and not ran.json()["error"]
    (peer,) = api.get("/api/v1/peers", headers=sync_key).json()
    assert (peer["kind"], peer["exchange"], peer["skipped"]) == ("exchange",
                                                                 "fb_threatexchange", 1)
    assert TOKEN.partition("|")[2] not in json.dumps(peer)
    (skip,) = api.get("/api/v1/peers/gifct/skipped", headers=sync_key).json()
    assert skip["record_key"] == "HASH_PDQ:" + "0" * 64 and "degenerate" in skip["reason"]


def test_another_partners_peer_is_not_found(api: TestClient, keys: Keys,
                                             te: ThreatExchangeServer) -> None:
    assert api.get("/api/v1/peers", headers=keys.admin_c).json() == []
    for answer in (api.get("/api/v1/peers/gifct/skipped", headers=keys.admin_c),
                   api.post("/api/v1/peers/gifct/sync", headers=keys.admin_c),
                   api.get("/api/v1/peers/nope/skipped", headers=keys.admin_b)):
        assert answer.status_code == 404, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
