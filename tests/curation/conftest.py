"""A small node for curation tests: two agencies in a channel, a platform outside it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accord.curation import banks
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database


@dataclass(frozen=True)
class Node:
    """Partners, members and banks of the test node."""

    agency_a: int
    agency_b: int
    platform: int
    curator_a: Actor
    reviewer_b: Actor
    reader_platform: Actor
    bank: str


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    mem = service.member_add(db, Actor.operator(), partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def node(db: Database) -> Node:
    op = Actor.operator()
    a = service.partner_add(db, op, "Agency A", "agency", "FR")
    b = service.partner_add(db, op, "Agency B", "agency", "KE")
    p = service.partner_add(db, op, "Platform P", "platform", "IE")
    service.channel_add(db, op, "ab-amber", "Agency A")
    service.channel_join(db, op, "ab-amber", "Agency B")
    banks.bank_add(db, op, "a-images", "Agency A", default_tlp="AMBER", channel="ab-amber")
    return Node(
        a.id,
        b.id,
        p.id,
        _member(db, "Agency A", "alice", "curator"),
        _member(db, "Agency B", "bob", "reviewer"),
        _member(db, "Platform P", "pia", "reader"),
        "a-images",
    )
