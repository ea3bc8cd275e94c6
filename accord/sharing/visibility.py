"""The one rule for who may see what (DESIGN.md section 5), and its actor-level entries.

A partner sees a signal, incident or flow when it owns it, or when the
item's TLP and channel allow it:

========================  ==================================================
TLP                       visible to
========================  ==================================================
CLEAR                     everyone on the node and its peers
GREEN                     every partner of the node
AMBER                     the partners of the item's channel
AMBER+STRICT              the partners of the item's channel, never re-shared
RED                       the owner only
========================  ==================================================

An AMBER or AMBER+STRICT item without a channel is visible to its owner
only. The node operator (someone at the node's own console, acting for no
partner) sees everything on the node.

Why the viewer asks matters (``Purpose``):

- ``VIEW``: to see it here, as the table says.
- ``RESHARE``: to pass it on to someone else. The owner may pass on anything
  of its own; anyone else only CLEAR, GREEN and AMBER it may see.
- ``LEAVE_NODE``: to carry it off this node (a file export, a peer, a TAXII
  page). RED and AMBER+STRICT never leave, whoever asks, the owner and the
  operator included; the rest leaves as ``RESHARE`` allows.

``may_see`` answers for one item in Python; ``visible_clause`` is the same
rule as a SQL predicate for queries. Callers that act for an ``Actor`` go
through ``viewer_of`` / ``actor_may_see`` / ``actor_visible_clause``, which
hold the operator's rule; nothing else turns an actor into a viewer. The test
matrix checks both forms against every purpose x TLP x relation, so they
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from accord.sharing.roles import Actor
from accord.sharing.tlp import Tlp
from accord.store import models as m


class Purpose(Enum):
    """Why the viewer asks: to see the item, to pass it on, or to send it off the node."""

    VIEW = "view"
    RESHARE = "reshare"
    LEAVE_NODE = "leave-node"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: a partner of this node and the channels it belongs to.

    ``partner_id`` None is someone outside the node's partners (an anonymous
    peer, the public): it sees CLEAR items only. Two viewers act for no
    partner: the node operator (``Viewer.operator()``), who sees everything
    on the node, and a peer node a partner linked to one of its channels
    (``Viewer.peer(channel_id)``), the recipient of a push.
    """

    partner_id: int | None
    channel_ids: frozenset[int] = field(default_factory=frozenset)
    is_operator: bool = False
    is_peer: bool = False

    @classmethod
    def outsider(cls) -> Viewer:
        """A viewer that is no partner of this node."""
        return cls(partner_id=None)

    @classmethod
    def operator(cls) -> Viewer:
        """The node operator acting for no partner: sees everything on the node."""
        return cls(partner_id=None, is_operator=True)

    @classmethod
    def peer(cls, channel_id: int | None) -> Viewer:
        """A peer node linked by a partner: of the community (GREEN) and in ``channel_id``."""
        channels = frozenset() if channel_id is None else frozenset({channel_id})
        return cls(partner_id=None, channel_ids=channels, is_peer=True)


class Shareable(Protocol):
    """Anything with an owner, a TLP marking and an optional channel."""

    @property
    def owner_partner_id(self) -> int | None: ...

    @property
    def tlp(self) -> str: ...

    @property
    def channel_id(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Marking:
    """A bare owner, TLP and channel, for records that carry them under other names."""

    owner_partner_id: int | None
    tlp: str
    channel_id: int | None = None


_EVERY = frozenset(Tlp)
# What a non-owner may pass on (provided it may see it); also all that ever leaves the node.
_PASSABLE = frozenset({Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER})
# The markings each purpose allows: for the item's owner, and for anyone else.
_OWNER_MAY = {Purpose.VIEW: _EVERY, Purpose.RESHARE: _EVERY, Purpose.LEAVE_NODE: _PASSABLE}
_OTHERS_MAY = {Purpose.VIEW: _EVERY, Purpose.RESHARE: _PASSABLE,
               Purpose.LEAVE_NODE: _PASSABLE}
_CHANNEL_TLPS = (Tlp.AMBER, Tlp.AMBER_STRICT)


def _in_community(viewer: Viewer) -> bool:
    return viewer.partner_id is not None or viewer.is_peer


def may_see(viewer: Viewer, item: Shareable, purpose: Purpose = Purpose.VIEW) -> bool:
    """True when ``viewer`` may see ``item`` for ``purpose`` (see the module docstring)."""
    tlp = Tlp(item.tlp)
    if viewer.partner_id is not None and viewer.partner_id == item.owner_partner_id:
        return tlp in _OWNER_MAY[purpose]
    if tlp not in _OTHERS_MAY[purpose]:
        return False
    if viewer.is_operator or tlp is Tlp.CLEAR:
        return True
    if tlp is Tlp.GREEN:
        return _in_community(viewer)
    if tlp in _CHANNEL_TLPS:
        return item.channel_id is not None and item.channel_id in viewer.channel_ids
    return False


def visible_clause(
    viewer: Viewer,
    owner: InstrumentedAttribute[int],
    tlp: InstrumentedAttribute[str],
    channel: InstrumentedAttribute[int | None],
    purpose: Purpose = Purpose.VIEW,
) -> ColumnElement[bool]:
    """``may_see`` as a SQL predicate over an item table's owner, TLP and channel columns."""
    shown = _OTHERS_MAY[purpose]
    if viewer.is_operator:
        return true() if shown == _EVERY else tlp.in_(sorted(t.value for t in shown))
    allowed: list[ColumnElement[bool]] = []
    if viewer.partner_id is not None:
        own = owner == viewer.partner_id
        owner_may = _OWNER_MAY[purpose]
        allowed.append(own if owner_may == _EVERY
                       else own & tlp.in_(sorted(t.value for t in owner_may)))
    if Tlp.CLEAR in shown:
        allowed.append(tlp == Tlp.CLEAR.value)
    if Tlp.GREEN in shown and _in_community(viewer):
        allowed.append(tlp == Tlp.GREEN.value)
    channel_tlps = [t.value for t in _CHANNEL_TLPS if t in shown]
    if channel_tlps and viewer.channel_ids:
        allowed.append(tlp.in_(channel_tlps) & channel.in_(sorted(viewer.channel_ids)))
    if not allowed:
        return false()
    return or_(*allowed) if len(allowed) > 1 else allowed[0] & true()


# -- for an actor: the operator's rule lives here and nowhere else -------------------------


def viewer_for(session: Session, partner_id: int | None) -> Viewer:
    """The ``Viewer`` for a partner: its id and the channels it belongs to (None: outsider)."""
    if partner_id is None:
        return Viewer.outsider()
    ids = session.execute(
        select(m.ChannelMember.channel_id).where(m.ChannelMember.partner_id == partner_id)
    ).scalars()
    return Viewer(partner_id, frozenset(ids))


def viewer_of(session: Session, actor: Actor) -> Viewer:
    """The ``Viewer`` an actor looks with: its partner's, or the operator's for the operator."""
    if actor.is_operator:
        return Viewer.operator()
    return viewer_for(session, actor.partner_id)


def actor_may_see(session: Session, actor: Actor, item: Shareable,
                  purpose: Purpose = Purpose.VIEW) -> bool:
    """``may_see`` for whoever ``actor`` acts as (a partner's member, or the operator)."""
    return may_see(viewer_of(session, actor), item, purpose)


def actor_visible_clause(
    session: Session,
    actor: Actor,
    owner: InstrumentedAttribute[int],
    tlp: InstrumentedAttribute[str],
    channel: InstrumentedAttribute[int | None],
    purpose: Purpose = Purpose.VIEW,
) -> ColumnElement[bool]:
    """``visible_clause`` for whoever ``actor`` acts as (a partner's member, or the operator)."""
    return visible_clause(viewer_of(session, actor), owner, tlp, channel, purpose)
