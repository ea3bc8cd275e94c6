"""The visibility rule, as a matrix: every purpose x every TLP x every relation, for every kind.

The expected tables below are DESIGN.md section 5 written out, one per
``Purpose``. Each cell is checked four ways: the Python rule (``may_see``),
the SQL rule (``visible_clause``) run against real rows of signals, incidents
and flows on each database backend, and both actor-level entries
(``actor_may_see``, ``actor_visible_clause``) for the relations an ``Actor``
can stand for (partners' members and the node operator).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.sharing.roles import Actor, Role
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import (
    Marking,
    Purpose,
    Viewer,
    actor_may_see,
    actor_visible_clause,
    may_see,
    viewer_of,
    visible_clause,
)
from accord.store import models as m
from accord.store.database import Database

OWNER, IN_CHANNEL, OTHER_PARTNER = "owner", "in-channel", "other-partner"
OPERATOR, PEER, OUTSIDER = "operator", "peer-in-channel", "outsider"
RELATIONS = (OWNER, IN_CHANNEL, OTHER_PARTNER, OPERATOR, PEER, OUTSIDER)
# The relations an Actor can stand for (a peer or an outsider never acts on this node).
ACTING = (OWNER, IN_CHANNEL, OTHER_PARTNER, OPERATOR)
EVERYONE = set(RELATIONS)
COMMUNITY = EVERYONE - {OUTSIDER}

# DESIGN.md section 5: who sees an item shared into a channel. The operator sees it all.
SEES = {
    Tlp.CLEAR: EVERYONE,
    Tlp.GREEN: COMMUNITY,
    Tlp.AMBER: {OWNER, IN_CHANNEL, OPERATOR, PEER},
    Tlp.AMBER_STRICT: {OWNER, IN_CHANNEL, OPERATOR, PEER},
    Tlp.RED: {OWNER, OPERATOR},
}
# Who may pass it on: the owner always; anyone else never AMBER+STRICT or RED.
RESHARES = {
    Tlp.CLEAR: SEES[Tlp.CLEAR],
    Tlp.GREEN: SEES[Tlp.GREEN],
    Tlp.AMBER: SEES[Tlp.AMBER],
    Tlp.AMBER_STRICT: {OWNER},
    Tlp.RED: {OWNER},
}
# What may leave the node (export, push, TAXII): RED and AMBER+STRICT never, not even
# the owner's own; the rest as for re-sharing.
LEAVES = {
    Tlp.CLEAR: RESHARES[Tlp.CLEAR],
    Tlp.GREEN: RESHARES[Tlp.GREEN],
    Tlp.AMBER: RESHARES[Tlp.AMBER],
    Tlp.AMBER_STRICT: set(),
    Tlp.RED: set(),
}
TABLES = {Purpose.VIEW: SEES, Purpose.RESHARE: RESHARES, Purpose.LEAVE_NODE: LEAVES}


def test_the_matrix_has_a_table_for_every_purpose_tlp_and_relation() -> None:
    """A new Purpose (or TLP) cannot ship without its row of expectations."""
    assert set(TABLES) == set(Purpose)
    for purpose, table in TABLES.items():
        assert set(table) == set(Tlp), purpose
        for tlp, relations in table.items():
            assert relations <= EVERYONE, (purpose, tlp)


class _Parties:
    """The viewers of every relation to items owned by ``owner`` in ``channel``."""

    def __init__(self, session: Session) -> None:
        ids = {}
        for name in ("owner", "member", "other"):
            p = m.Partner(name=name, kind="agency", country="FR")
            session.add(p)
            session.flush()
            ids[name] = p.id
        channel = m.Channel(name="c", owner_partner_id=ids["owner"])
        session.add(channel)
        session.flush()
        for name in ("owner", "member"):
            session.add(m.ChannelMember(channel_id=channel.id, partner_id=ids[name]))
        session.flush()
        self.owner, self.channel = ids["owner"], channel.id
        self.actors = {
            OWNER: Actor("o", ids["owner"], Role.READER),
            IN_CHANNEL: Actor("i", ids["member"], Role.READER),
            OTHER_PARTNER: Actor("x", ids["other"], Role.READER),
            OPERATOR: Actor.operator(),
        }
        self.viewers = {rel: viewer_of(session, a) for rel, a in self.actors.items()}
        self.viewers[PEER] = Viewer.peer(channel.id)
        self.viewers[OUTSIDER] = Viewer.outsider()


def _make(kind: str, session: Session, owner: int, tlp: Tlp, channel: int | None) -> Any:
    if kind == "signal":
        bank = m.Bank(
            name=f"b-{tlp.name}-{channel}",
            owner_partner_id=owner,
            default_tlp=tlp.value,
            channel_id=channel,
        )
        session.add(bank)
        session.flush()
        item: Any = m.Signal(
            bank_id=bank.id,
            owner_partner_id=owner,
            signal_type="md5",
            value=f"{tlp.name}{channel}".ljust(32, "0")[:32],
            tlp=tlp.value,
            channel_id=channel,
            contributor="t",
        )
    elif kind == "incident":
        item = m.Incident(
            owner_partner_id=owner,
            tlp=tlp.value,
            channel_id=channel,
            iyear=2020,
            country_txt="France",
        )
    else:
        item = m.Flow(
            owner_partner_id=owner,
            tlp=tlp.value,
            channel_id=channel,
            origin_country="FR",
            destination="SY",
            direction="outbound",
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2020, 12, 31),
            count=10,
            confidence="medium",
        )
    session.add(item)
    session.flush()
    return item


MODELS = {"signal": m.Signal, "incident": m.Incident, "flow": m.Flow}


def _found(session: Session, model: Any, clause: Any) -> set[int]:
    return set(session.execute(select(model.id).where(clause)).scalars())


@pytest.mark.parametrize("purpose", list(Purpose), ids=lambda p: p.value)
@pytest.mark.parametrize("kind", sorted(MODELS))
def test_every_tlp_and_relation_follows_the_design_table(
    db: Database, kind: str, purpose: Purpose
) -> None:
    model, table = MODELS[kind], TABLES[purpose]
    cols = (model.owner_partner_id, model.tlp, model.channel_id)
    with db.transaction() as session:
        parties = _Parties(session)
        items = {tlp: _make(kind, session, parties.owner, tlp, parties.channel) for tlp in Tlp}
        for relation, viewer in parties.viewers.items():
            found = _found(session, model, visible_clause(viewer, *cols, purpose))
            actor = parties.actors.get(relation)
            by_actor = (None if actor is None else
                        _found(session, model, actor_visible_clause(session, actor, *cols,
                                                                    purpose)))
            for tlp, item in items.items():
                expected = relation in table[tlp]
                cell = f"{kind} {tlp.value} seen by {relation} for {purpose.value}"
                assert may_see(viewer, item, purpose) is expected, cell
                assert (item.id in found) is expected, cell + " (SQL)"
                if actor is not None and by_actor is not None:
                    assert actor_may_see(session, actor, item, purpose) is expected, \
                        cell + " (actor)"
                    assert (item.id in by_actor) is expected, cell + " (actor, SQL)"


@pytest.mark.parametrize("purpose", list(Purpose), ids=lambda p: p.value)
@pytest.mark.parametrize("tlp", [Tlp.AMBER, Tlp.AMBER_STRICT])
def test_amber_without_a_channel_is_its_owners_alone(
    db: Database, tlp: Tlp, purpose: Purpose
) -> None:
    """Only the owner (and the operator) see it, and only they may send it on as the
    marking allows: ``TABLES`` restricted to the owner and the operator."""
    cols = (m.Signal.owner_partner_id, m.Signal.tlp, m.Signal.channel_id)
    with db.transaction() as session:
        parties = _Parties(session)
        item = _make("signal", session, parties.owner, tlp, None)
        expected = TABLES[purpose][tlp] & {OWNER, OPERATOR}
        seen = {rel for rel, v in parties.viewers.items() if may_see(v, item, purpose)}
        assert seen == expected
        in_sql = {rel for rel, v in parties.viewers.items()
                  if item.id in _found(session, m.Signal, visible_clause(v, *cols, purpose))}
        assert in_sql == expected


def test_a_partner_in_another_channel_does_not_see_amber_items() -> None:
    item = Marking(1, "AMBER", 7)
    assert may_see(Viewer(2, frozenset({7})), item)
    assert not may_see(Viewer(3, frozenset({8, 9})), item)


def test_a_peer_receives_amber_of_its_own_channel_only() -> None:
    for purpose in Purpose:
        assert may_see(Viewer.peer(7), Marking(1, "AMBER", 7), purpose)
        assert not may_see(Viewer.peer(7), Marking(1, "AMBER", 8), purpose)
        assert not may_see(Viewer.peer(None), Marking(1, "AMBER", 7), purpose)
        assert may_see(Viewer.peer(None), Marking(1, "GREEN"), purpose)


def test_an_item_without_an_owner_is_nobodys_own() -> None:
    """A record whose owner is gone (None) is seen by the marking alone."""
    assert not may_see(Viewer.outsider(), Marking(None, "RED"))
    assert may_see(Viewer.operator(), Marking(None, "RED"))
    assert not may_see(Viewer(1), Marking(None, "RED"))


def test_the_operator_is_the_operators_viewer_and_a_member_its_partners(db: Database) -> None:
    with db.transaction() as session:
        parties = _Parties(session)
        assert viewer_of(session, Actor.operator("cli:alice")) == Viewer.operator()
        assert parties.viewers[IN_CHANNEL] == Viewer(
            parties.actors[IN_CHANNEL].partner_id, frozenset({parties.channel}))


def test_tlp_parses_version_one_white_as_clear_and_refuses_unknown_markings() -> None:
    from accord.errors import Invalid

    assert Tlp.parse("white") is Tlp.CLEAR
    assert Tlp.parse("tlp:amber+strict") is Tlp.AMBER_STRICT
    with pytest.raises(Invalid, match=r"'PURPLE' is not a TLP 2\.0 marking"):
        Tlp.parse("PURPLE")
