"""The peers page of one partner: another partner's admin neither sees its peers nor runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord import audit
from accord.exchange import peers
from accord.sharing.roles import Actor
from tests.exchange.pytx_servers import (
    PRIVACY_GROUP,
    TOKEN,
    ThreatExchangeServer,
    serving,
    te_update,
)
from tests.web.conftest import Browser

GOOD_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def test_another_partners_admin_neither_sees_nor_syncs_a_peer(web: Browser) -> None:
    web.sign_in("ada")
    web.post("/peers", {"url": "http://127.0.0.1:9/taxii2/", "collection": "secret-coll",
                        "bank": "a-images", "name": "a-private", "username": "a-svc"},
             from_page="/peers")
    assert "a-private" in web.client.get("/peers").text
    web.client.cookies.clear()
    web.sign_in("bob")
    page = web.client.get("/peers").text
    assert "a-private" not in page and "secret-coll" not in page
    answer = web.post("/peers/a-private/sync", {}, from_page="/peers")
    assert 'id="sync-result"' not in answer.text  # type: ignore[attr-defined]
    assert "no peer" in answer.text  # type: ignore[attr-defined]
    [peer] = peers.peer_list(web.db, Actor.operator())
    assert peer.state == "new" and peer.last_run_at is None
    assert not [e for e in audit.recent(web.db, limit=20) if e.action.startswith("peer.sync")]


def test_an_exchange_peer_is_added_synced_and_its_skip_ledger_shown(
        web: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_EXCHANGE_CREDENTIALS_GIFCT", TOKEN)
    backend = ThreatExchangeServer(updates=[te_update(GOOD_PDQ, 100),
                                            te_update("0" * 64, 101)])
    with serving(backend):
        web.sign_in("ada")
        web.post("/peers/exchange", {
            "name": "gifct", "exchange": "fb_threatexchange", "bank": "a-images",
            "collab": json.dumps({"privacy_group": PRIVACY_GROUP}),
            "credentials_env": "ACCORD_EXCHANGE_CREDENTIALS_GIFCT",
            "endpoint": backend.url + "/v"},
            from_page="/peers")
        page = web.client.get("/peers").text
        assert "gifct" in page and "fb_threatexchange" in page
        synced = web.post("/peers/gifct/sync", {}, from_page="/peers")
        assert 'id="sync-result"' in synced.text  # type: ignore[attr-defined]
    assert '<a href="/peers/gifct/skipped">1</a>' in web.client.get("/peers").text
    ledger = web.client.get("/peers/gifct/skipped").text
    assert "HASH_PDQ:" + "0" * 64 in ledger and "every digit is" in ledger
    assert TOKEN.partition("|")[2] not in page + ledger


def test_a_bad_exchange_peer_form_says_why(web: Browser) -> None:
    web.sign_in("ada")
    answer = web.post("/peers/exchange", {
        "name": "x", "exchange": "fb_threatexchange", "bank": "a-images",
        "collab": '{"privacy_grup": 1}', "credentials_env": "TX"}, from_page="/peers")
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "no collab setting" in answer.text  # type: ignore[attr-defined]
    # What was typed is still in the form.
    assert 'value="{&#34;privacy_grup&#34;: 1}"' in answer.text  # type: ignore[attr-defined]
    assert 'name="credentials_env" autocomplete="off" value="TX"' in answer.text  # type: ignore[attr-defined]
    assert peers.peer_list(web.db, Actor.operator()) == []


def test_a_member_may_not_name_the_servers_other_secrets_as_credentials(web: Browser) -> None:
    web.sign_in("ada")
    for ref in ({"credentials_env": "ACCORD_DATABASE_URL"},
                {"credentials_file": "/etc/passwd"}):
        answer = web.post("/peers/exchange", {
            "name": "x", "exchange": "fb_threatexchange", "bank": "a-images",
            "collab": '{"privacy_group": 1}', "endpoint": "https://evil.example/", **ref},
            from_page="/peers")
        assert "a member may name only" in answer.text  # type: ignore[attr-defined]
    assert peers.peer_list(web.db, Actor.operator()) == []


def test_write_back_is_switched_on_the_peers_page_and_refused_where_it_cannot_be(
        web: Browser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ACCORD_EXCHANGE_CREDENTIALS_GIFCT", TOKEN)
    listed = tmp_path / "hashes.txt"
    listed.write_text("")
    peers.exchange_peer_add(web.db, Actor.operator(), "files", peers.ExchangePeerSettings(
        exchange="local_file", collab=json.dumps({"filename": str(listed)})), bank="a-images")
    web.sign_in("ada")
    web.post("/peers/exchange", {
        "name": "gifct", "exchange": "fb_threatexchange", "bank": "a-images",
        "collab": json.dumps({"privacy_group": PRIVACY_GROUP}),
        "credentials_env": "ACCORD_EXCHANGE_CREDENTIALS_GIFCT"}, from_page="/peers")
    assert 'aria-label="Switch on write-back to gifct"' in web.client.get("/peers").text
    switched = web.post("/peers/gifct/write-back", {"write_back": "on"}, from_page="/peers")
    assert "Write-back to gifct switched on." in switched.text  # type: ignore[attr-defined]
    page = web.client.get("/peers").text
    assert 'aria-label="Switch off write-back to gifct"' in page
    refused = web.post("/peers/files/write-back", {"write_back": "on"}, from_page="/peers")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "a local file is not a source that takes opinions" in refused.text  # type: ignore[attr-defined]
    shown = web.client.get("/peers/gifct/opinions").text
    assert "No opinions written back yet." in shown
    assert web.client.get("/peers/nope/opinions").status_code == 404
    assert {p.name: p.write_back for p in peers.peer_list(web.db, Actor.operator())} == {
        "files": False, "gifct": True}
