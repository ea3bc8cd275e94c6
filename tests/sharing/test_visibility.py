"""The visibility rule, as a matrix: every TLP x every relation, for every item kind.

The expected table below is DESIGN.md section 5 written out. Each cell is
checked three ways: the Python rule (``may_see``), the SQL rule
(``visible_clause``) run against real rows of signals, incidents and flows on
each database backend, and the re-share variant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Purpose, Viewer, may_see, visible_clause
from accord.store import models as m
from accord.store.database import Database

OWNER, IN_CHANNEL, OTHER_PARTNER, OUTSIDER = "owner", "in-channel", "other-partner", "outsider"
RELATIONS = (OWNER, IN_CHANNEL, OTHER_PARTNER, OUTSIDER)

# DESIGN.md section 5: who sees an item shared into a channel.
SEES = {
    Tlp.CLEAR: {OWNER, IN_CHANNEL, OTHER_PARTNER, OUTSIDER},
    Tlp.GREEN: {OWNER, IN_CHANNEL, OTHER_PARTNER},
    Tlp.AMBER: {OWNER, IN_CHANNEL},
    Tlp.AMBER_STRICT: {OWNER, IN_CHANNEL},
    Tlp.RED: {OWNER},
}
# Who may pass it on: the owner always; others never for AMBER+STRICT and RED.
RESHARES = {
    Tlp.CLEAR: SEES[Tlp.CLEAR],
    Tlp.GREEN: SEES[Tlp.GREEN],
    Tlp.AMBER: SEES[Tlp.AMBER],
    Tlp.AMBER_STRICT: {OWNER},
    Tlp.RED: {OWNER},
}


def _partners(session: Session) -> dict[str, Viewer]:
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
    return {
        OWNER: Viewer(ids["owner"], frozenset({channel.id})),
        IN_CHANNEL: Viewer(ids["member"], frozenset({channel.id})),
        OTHER_PARTNER: Viewer(ids["other"], frozenset()),
        OUTSIDER: Viewer.outsider(),
        "_channel": Viewer(channel.id),  # carries the channel id for item creation
    }


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


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_every_tlp_and_relation_follows_the_design_table(db: Database, kind: str) -> None:
    model = MODELS[kind]
    with db.transaction() as session:
        viewers = _partners(session)
        channel_id = viewers.pop("_channel").partner_id
        assert channel_id is not None
        owner_id = viewers[OWNER].partner_id
        assert owner_id is not None
        items = {tlp: _make(kind, session, owner_id, tlp, channel_id) for tlp in Tlp}
        for relation, viewer in viewers.items():
            for purpose, table in ((Purpose.VIEW, SEES), (Purpose.RESHARE, RESHARES)):
                clause = visible_clause(
                    viewer, model.owner_partner_id, model.tlp, model.channel_id, purpose
                )
                found = set(session.execute(select(model.id).where(clause)).scalars())
                for tlp, item in items.items():
                    expected = relation in table[tlp]
                    cell = f"{kind} {tlp.value} seen by {relation} for {purpose.value}"
                    assert may_see(viewer, item, purpose) is expected, cell
                    assert (item.id in found) is expected, cell + " (SQL)"


@pytest.mark.parametrize("tlp", [Tlp.AMBER, Tlp.AMBER_STRICT])
def test_amber_without_a_channel_is_seen_by_its_owner_only(db: Database, tlp: Tlp) -> None:
    with db.transaction() as session:
        viewers = _partners(session)
        viewers.pop("_channel")
        owner_id = viewers[OWNER].partner_id
        assert owner_id is not None
        item = _make("signal", session, owner_id, tlp, None)
        seen = {rel for rel, v in viewers.items() if may_see(v, item)}
        assert seen == {OWNER}
        for rel, viewer in viewers.items():
            clause = visible_clause(
                viewer, m.Signal.owner_partner_id, m.Signal.tlp, m.Signal.channel_id
            )
            ids = set(session.execute(select(m.Signal.id).where(clause)).scalars())
            assert (item.id in ids) is (rel == OWNER)


def test_a_partner_in_another_channel_does_not_see_amber_items() -> None:
    class Item:
        owner_partner_id, tlp, channel_id = 1, "AMBER", 7

    assert may_see(Viewer(2, frozenset({7})), Item())
    assert not may_see(Viewer(3, frozenset({8, 9})), Item())


def test_tlp_parses_version_one_white_as_clear_and_refuses_unknown_markings() -> None:
    from accord.errors import Invalid

    assert Tlp.parse("white") is Tlp.CLEAR
    assert Tlp.parse("tlp:amber+strict") is Tlp.AMBER_STRICT
    with pytest.raises(Invalid, match=r"'PURPLE' is not a TLP 2\.0 marking"):
        Tlp.parse("PURPLE")
