"""Peers and the outbound rule: an internal peer URL is refused when added, and a sync
checks every connection, the redirects a peer answers with included."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.curation import banks
from accord.errors import Invalid
from accord.exchange import peers, sync
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.safeguards.listener import listening
from tests.safeguards.test_outbound import fake_dns

OP = Actor.operator()


@pytest.fixture
def inbox(db: Database) -> str:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a-inbox", "Agency A", default_tlp="GREEN")
    return "a-inbox"


@pytest.mark.parametrize("url", ["http://169.254.169.254/taxii2/",
                                 "https://[fd00:ec2::254]/taxii2/", "http://10.0.0.8/taxii2/",
                                 "http://localhost:9000/taxii2/", "http://[::1]/taxii2/"])
def test_a_peer_at_an_internal_address_is_refused_without_the_allow_list(
    db: Database, inbox: str, url: str
) -> None:
    with pytest.raises(Invalid, match=r"peer URL host .* address, which this node does not"):
        peers.peer_add(db, OP, url, "c1", bank=inbox, settings=Settings(outbound_allow=()))
    with pytest.raises(Invalid):
        peers.peer_add(db, OP, url, "c1", bank=inbox)
    assert peers.peer_list(db, OP) == []


def test_a_peer_redirecting_to_an_internal_address_is_not_followed_there(
    db: Database, inbox: str, settings: Settings
) -> None:
    front_only = settings.replace(outbound_allow=("127.0.0.1/32",))
    with listening("127.0.0.2") as inside, listening("127.0.0.1") as front:
        front.reply = (f"HTTP/1.1 302 Found\r\nLocation: http://{inside.hostport}/taxii2/\r\n"
                       "Content-Length: 0\r\nConnection: close\r\n\r\n").encode()
        peers.peer_add(db, OP, f"http://{front.hostport}/taxii2/", "c1", bank=inbox,
                       name="front", settings=front_only)
        report = sync.sync_peer(db, front_only, "front")
        assert front.seen and inside.seen == []
    assert report.error == "cannot connect to the peer"
    (row,) = peers.peer_list(db, OP)
    assert row.state == "failed" and "127.0.0.2" not in (row.last_error or "")


def test_a_peer_name_resolving_inside_is_refused_when_synced(
    db: Database, inbox: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict = settings.replace(outbound_allow=())
    with listening("127.0.0.1") as inside:
        fake_dns(monkeypatch, {"peer.partner.test": [["127.0.0.1"]]})
        peers.peer_add(db, OP, f"http://peer.partner.test:{inside.port}/taxii2/", "c1",
                       bank=inbox, name="named", settings=strict)
        report = sync.sync_peer(db, strict, "named")
        assert inside.seen == []
    assert report.error == "cannot connect to the peer"
