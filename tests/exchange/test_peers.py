"""Peers belong to the partner whose bank they pull into: only its sync and admin members
(and the operator) see them, sync them, and are named in the audit log when they do."""

from __future__ import annotations

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks
from accord.errors import NotFound, PermissionDenied
from accord.exchange import peers, sync
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

OP = Actor.operator()
NOWHERE = "http://127.0.0.1:9/taxii2/"  # nothing listens: a run fails at once


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    added = service.member_add(db, OP, partner, username, role)
    return Actor(username, partner_id=added.partner_id, role=Role(role), member_id=added.id)


@pytest.fixture
def members(db: Database, settings: Settings) -> dict[str, Actor]:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.partner_add(db, OP, "Outsider C", "ngo", "KE")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER")
    banks.bank_add(db, OP, "c-inbox", "Outsider C", default_tlp="GREEN")
    found = {"a": _member(db, "Agency A", "a-admin", "admin"),
             "c": _member(db, "Outsider C", "c-sync", "sync")}
    peers.peer_add(db, found["a"], NOWHERE, "secret-collection", bank="a-images",
                   name="a-private", settings=settings)
    peers.peer_add(db, found["c"], NOWHERE, "c-collection", bank="c-inbox", name="c-own",
                   settings=settings)
    return found


def test_a_partner_lists_only_the_peers_of_its_own_banks(db: Database,
                                                         members: dict[str, Actor]) -> None:
    assert [p.name for p in peers.peer_list(db, members["a"])] == ["a-private"]
    assert [p.name for p in peers.peer_list(db, members["c"])] == ["c-own"]
    assert [p.name for p in peers.peer_list(db, OP)] == ["a-private", "c-own"]


def test_another_partners_peer_cannot_be_synced_and_is_not_revealed(
        db: Database, settings: Settings, members: dict[str, Actor]) -> None:
    before = audit.recent(db, limit=1)[0].seq
    with pytest.raises(NotFound, match="no peer 'a-private'"):
        sync.sync_peer(db, settings, "a-private", actor=members["c"])
    (row,) = [p for p in peers.peer_list(db, OP) if p.name == "a-private"]
    assert row.state == "new" and row.last_run_at is None
    assert audit.recent(db, limit=1)[0].seq == before
    assert [r.peer for r in sync.sync_all(db, settings, actor=members["c"])] == ["c-own"]


def test_a_sync_is_audited_in_the_name_of_the_member_who_asked(
        db: Database, settings: Settings, members: dict[str, Actor]) -> None:
    report = sync.sync_peer(db, settings, "a-private", actor=members["a"])
    assert report.error is not None  # nothing listens there
    actions = [(e.actor, e.action) for e in audit.recent(db, limit=2)]
    assert ("a-admin", "peer.sync.start") in actions
    assert ("sync:a-private", "peer.sync") in actions


def test_members_without_the_sync_role_may_not_sync(db: Database, settings: Settings,
                                                    members: dict[str, Actor]) -> None:
    reader = _member(db, "Agency A", "a-reader", "reader")
    with pytest.raises(PermissionDenied):
        sync.sync_peer(db, settings, "a-private", actor=reader)


@pytest.mark.parametrize("name", ["²", "99999999999999999999", "-1"])
def test_a_peer_id_that_is_no_row_id_is_simply_not_found(
        db: Database, settings: Settings, members: dict[str, Actor], name: str) -> None:
    with pytest.raises(NotFound):
        sync.sync_peer(db, settings, name, actor=OP)
