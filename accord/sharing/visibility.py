"""The one rule for who may see what (DESIGN.md section 5).

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
only. ``may_see`` answers for one item in Python; ``visible_clause`` is the
same rule as a SQL predicate for queries. The test matrix checks both against
every TLP x relation pair, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from accord.sharing.tlp import Tlp


class Purpose(Enum):
    """Why the viewer asks: to see the item, or to pass it on to someone else."""

    VIEW = "view"
    RESHARE = "reshare"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: a partner of this node and the channels it belongs to.

    ``partner_id`` None is someone outside the node's partners (an anonymous
    peer, the public): it sees CLEAR items only.
    """

    partner_id: int | None
    channel_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def outsider(cls) -> Viewer:
        """A viewer that is no partner of this node."""
        return cls(partner_id=None)


class Shareable(Protocol):
    """Anything with an owner, a TLP marking and an optional channel."""

    @property
    def owner_partner_id(self) -> int: ...

    @property
    def tlp(self) -> str: ...

    @property
    def channel_id(self) -> int | None: ...


# TLPs a non-owner may pass on to others, provided it may see the item.
_RESHAREABLE = frozenset({Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER})


def may_see(viewer: Viewer, item: Shareable, purpose: Purpose = Purpose.VIEW) -> bool:
    """True when ``viewer`` may see ``item`` (or, for RESHARE, pass it on)."""
    if viewer.partner_id is not None and viewer.partner_id == item.owner_partner_id:
        return True
    tlp = Tlp(item.tlp)
    if purpose is Purpose.RESHARE and tlp not in _RESHAREABLE:
        return False
    if tlp is Tlp.CLEAR:
        return True
    if tlp is Tlp.GREEN:
        return viewer.partner_id is not None
    if tlp in (Tlp.AMBER, Tlp.AMBER_STRICT):
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
    allowed: list[ColumnElement[bool]] = []
    if viewer.partner_id is not None:
        allowed.append(owner == viewer.partner_id)
    shown = [t for t in Tlp if purpose is Purpose.VIEW or t in _RESHAREABLE]
    if Tlp.CLEAR in shown:
        allowed.append(tlp == Tlp.CLEAR.value)
    if Tlp.GREEN in shown and viewer.partner_id is not None:
        allowed.append(tlp == Tlp.GREEN.value)
    channel_tlps = [t.value for t in (Tlp.AMBER, Tlp.AMBER_STRICT) if t in shown]
    if channel_tlps and viewer.channel_ids:
        allowed.append(tlp.in_(channel_tlps) & channel.in_(sorted(viewer.channel_ids)))
    if not allowed:
        return false()
    return or_(*allowed) if len(allowed) > 1 else allowed[0] & true()
