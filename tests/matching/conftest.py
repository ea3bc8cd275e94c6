"""A node of three partners: A curates two banks (one shared with B in channel ab)."""

from __future__ import annotations

import pytest

from accord.curation import banks
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database


@pytest.fixture
def node(db: Database) -> dict[str, Actor]:
    op = Actor.operator()
    for name, kind in (("Agency A", "agency"), ("Agency B", "agency"), ("Platform P", "platform")):
        service.partner_add(db, op, name, kind, "FR")
    service.channel_add(db, op, "ab", "Agency A")
    service.channel_join(db, op, "ab", "Agency B")
    banks.bank_add(db, op, "a-amber", "Agency A", default_tlp="AMBER", channel="ab")
    banks.bank_add(db, op, "a-legit", "Agency A", default_tlp="GREEN", negative=True)
    actors = {}
    for partner, user, role in (("Agency A", "alice", Role.CURATOR),
                                ("Agency B", "bob", Role.REVIEWER),
                                ("Platform P", "pia", Role.REVIEWER)):
        mem = service.member_add(db, op, partner, user, role.value)
        actors[user] = Actor(mem.username, mem.partner_id, role, mem.id)
    return actors
