"""Which TAXII collections a partner may read or write: one per TLP scope and channel.

=================  =========================================  ===========================
collection         holds                                      readable by
=================  =========================================  ===========================
``clear``          CLEAR signals                              every partner of the node
``green``          GREEN signals                              every partner of the node
``channel-NAME``   AMBER signals of channel NAME              the channel's partners
=================  =========================================  ===========================

RED and AMBER+STRICT signals are in no collection: they never leave the node
(``Purpose.LEAVE_NODE`` of the visibility rule, applied again on every page).
A partner's own signals are not listed to it (it has them; a node that pushed
them must not pull them back as another's).
A partner may write to a channel collection when it can curate and owns a
bank sharing into that channel: POSTed indicators land in that bank.
Collection ids are stable (the same across restarts and replicas; peers store
them) and, as TAXII 2.1 requires, RFC 4122 version 4 UUIDs: the SHA-1 bytes of
uuid5(node id, scope) with the version nibble set to 4. Deterministic, not random
(docs/federation.md, "TAXII conformance"). For now the uuid5 ids served before are
still answered, so a peer configured with one keeps working:
``current_collection_id`` maps one to the id of today.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import NotFound, trimmed
from accord.exchange.stix_common import ACCORD_NAMESPACE
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.tlp import Tlp
from accord.store import models as m


@dataclass(frozen=True, slots=True)
class Collection:
    """A TAXII collection: a TLP scope, and for AMBER a channel."""

    id: str
    title: str
    description: str
    tlp: Tlp
    channel_id: int | None
    can_read: bool
    write_bank_id: int | None

    @property
    def can_write(self) -> bool:
        """True when POSTs to this collection have a bank to land in."""
        return self.write_bank_id is not None

    def as_taxii(self) -> dict[str, object]:
        """The TAXII 2.1 collection resource."""
        return {"id": self.id, "title": self.title, "description": self.description,
                "can_read": self.can_read, "can_write": self.can_write,
                "media_types": ["application/stix+json;version=2.1"]}


def collection_id(node_id: str, scope: str) -> str:
    """The stable id of collection ``scope`` (``clear``, ``green``, ``channel-NAME``):
    a version 4 UUID whose other bits are those of uuid5(node id, scope)."""
    legacy = uuid.uuid5(ACCORD_NAMESPACE, f"{node_id}:collection:{scope}")
    return str(uuid.UUID(bytes=legacy.bytes, version=4))


def current_collection_id(wanted: str) -> str:
    """The id of today for ``wanted``: a uuid5 collection id of before (which differs
    from today's only in its version nibble) maps to its version 4 twin; anything else
    is returned as it is."""
    try:
        parsed = uuid.UUID(wanted)
    except ValueError:
        return wanted
    if parsed.version != 5 or parsed.variant != uuid.RFC_4122:
        return wanted
    return str(uuid.UUID(bytes=parsed.bytes, version=4))


def collections_for(session: Session, actor: Actor, node_id: str) -> list[Collection]:
    """The collections ``actor``'s partner may read, with where it may write."""
    partner = actor.partner_id
    if partner is None:  # the operator: every channel of the node
        channels = session.execute(select(m.Channel).order_by(m.Channel.name)).scalars().all()
    else:
        channels = session.execute(
            select(m.Channel).join(m.ChannelMember, m.ChannelMember.channel_id == m.Channel.id)
            .where(m.ChannelMember.partner_id == partner).order_by(m.Channel.name)
        ).scalars().all()
    writable = _write_banks(session, actor)
    found = [
        Collection(collection_id(node_id, "clear"), "TLP:CLEAR signals",
                   "Signals anyone may receive.", Tlp.CLEAR, None, True, None),
        Collection(collection_id(node_id, "green"), "TLP:GREEN signals",
                   "Signals for every partner of this node.", Tlp.GREEN, None, True, None),
    ]
    for channel in channels:
        found.append(Collection(
            collection_id(node_id, f"channel-{channel.name}"), f"Channel {channel.name}",
            f"TLP:AMBER signals shared in channel {channel.name}.", Tlp.AMBER, channel.id,
            True, writable.get(channel.id)))
    return found


def _write_banks(session: Session, actor: Actor) -> dict[int, int]:
    """channel id -> the actor's partner's first bank sharing into it (curators only)."""
    if actor.partner_id is None or actor.role not in CAN_CURATE:
        return {}
    rows = session.execute(
        select(m.Bank.channel_id, m.Bank.id)
        .where(m.Bank.owner_partner_id == actor.partner_id, m.Bank.channel_id.is_not(None),
               m.Bank.negative.is_(False))
        .order_by(m.Bank.id.desc())
    ).all()
    return {channel: bank for channel, bank in rows if channel is not None}


def find_collection(session: Session, actor: Actor, node_id: str, wanted: str) -> Collection:
    """The collection ``wanted`` (its id, or its uuid5 id of before) if ``actor`` may read
    it; ``NotFound`` otherwise."""
    current = current_collection_id(wanted)
    for found in collections_for(session, actor, node_id):
        if found.id == current:
            return found
    raise NotFound("no collection {wanted} that you may read",
                   hint="list them with GET /taxii2/api/collections/", wanted=trimmed(wanted))
