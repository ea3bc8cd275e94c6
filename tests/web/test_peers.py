"""The peers page of one partner: another partner's admin neither sees its peers nor runs them."""

from __future__ import annotations

from accord import audit
from accord.exchange import peers
from accord.sharing.roles import Actor
from tests.web.conftest import Browser


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
