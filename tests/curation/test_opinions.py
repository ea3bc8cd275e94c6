"""Opinions on signals, and quarantine when enough partners dispute one."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.curation import opinions, signals
from accord.curation.signals import SignalInput
from accord.errors import NotFound
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database
from tests.curation.conftest import Node


def _green_signal(db: Database, node: Node, settings: Settings) -> int:
    return signals.signal_add(
        db, node.curator_a, node.bank, SignalInput("md5", "d" * 32, tlp="GREEN"), settings
    ).id


def test_an_opinion_is_recorded_once_per_partner_and_can_change(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _green_signal(db, node, settings)
    opinions.opinion_set(db, node.reviewer_b, sid, "agree", "", settings)
    opinions.opinion_set(db, node.reviewer_b, sid, "false_positive", "a news clip", settings)
    found = opinions.opinion_list(db, node.curator_a, sid)
    assert [(o.partner_id, o.kind, o.note) for o in found] == [
        (node.agency_b, "false-positive", "a news clip")
    ]


def test_disputes_from_enough_partners_quarantine_the_signal(
    db: Database, node: Node, settings: Settings
) -> None:
    sid = _green_signal(db, node, settings)
    opinions.opinion_set(db, node.reviewer_b, sid, "disagree", "not this group", settings)
    assert signals.signal_get(db, node.curator_a, sid).status == "active"
    mem = service.member_add(db, Actor.operator(), "Platform P", "pete", "reviewer")
    pete = Actor(mem.username, mem.partner_id, Role.REVIEWER, mem.id)
    opinions.opinion_set(db, pete, sid, "false-positive", "", settings)
    assert signals.signal_get(db, node.curator_a, sid).status == "quarantined"
    assert signals.signal_reactivate(db, node.curator_a, sid).status == "active"


def test_the_owners_own_disputes_do_not_count(db: Database, node: Node, settings: Settings) -> None:
    one = Settings(
        home=settings.home, database_url=settings.database_url, dispute_quarantine_partners=1
    )
    sid = _green_signal(db, node, one)
    opinions.opinion_set(db, node.curator_a, sid, "disagree", "", one)
    assert signals.signal_get(db, node.curator_a, sid).status == "active"


def test_a_partner_cannot_give_an_opinion_on_what_it_may_not_see(
    db: Database, node: Node, settings: Settings
) -> None:
    red = signals.signal_add(
        db, node.curator_a, node.bank, SignalInput("md5", "e" * 32, tlp="RED"), settings
    ).id
    with pytest.raises(NotFound):
        opinions.opinion_set(db, node.reviewer_b, red, "disagree", "", settings)
