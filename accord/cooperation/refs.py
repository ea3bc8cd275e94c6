"""References from cooperation records to Accord objects, and the checks every record shares.

A reference is written ``TYPE:KEY``: ``entity:qde-004``, ``incident:12``,
``flow:3``, ``bank:alpha-propaganda`` (name or id), ``signal:41``,
``programme:2``. It must name an object that exists and that the writer may
see (the one visibility rule); it is stored in canonical form (entity ref,
otherwise the row id). Free text is checked by ``accord.safeguards.free_text``.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.curation.banks import find_bank_for
from accord.errors import Invalid, NotFound, parse_choice, trimmed
from accord.sharing.roles import Actor
from accord.sharing.service import channel_not_found, find_channel, is_row_id
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Marking, Shareable, actor_may_see
from accord.store import models as m


class ObjectType(StrEnum):
    """Kinds of Accord object a cooperation record may point at."""

    INCIDENT = "incident"
    ENTITY = "entity"
    FLOW = "flow"
    BANK = "bank"
    SIGNAL = "signal"
    PROGRAMME = "programme"


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """A checked reference: its type and canonical key."""

    object_type: str
    key: str

    def __str__(self) -> str:
        return f"{self.object_type}:{self.key}"


def _row_id(kind: ObjectType, key: str) -> int:
    # is_row_id, not isdigit(): "²" is a digit int() refuses; 2**31 overflows the column.
    # Ten characters at most, as int() of 4,300 digits raises.
    if len(key) > 10 or not is_row_id(key) or int(key) == 0:
        raise Invalid("{kind} reference {key} is not a number",
                      hint="write it as {kind}:ID, e.g. {kind}:12", kind=kind.value,
                      key=trimmed(key))
    return int(key)


def resolve_ref(session: Session, actor: Actor, text: str) -> ObjectRef:
    """The checked reference ``TYPE:KEY``, or ``Invalid``/``NotFound`` saying what is wrong."""
    kind_text, sep, key = text.strip().partition(":")
    if not sep or not key.strip():
        raise Invalid("object reference {text} should be TYPE:KEY",
                      hint="e.g. entity:qde-004, incident:12, signal:41, bank:alpha-propaganda",
                      text=trimmed(text))
    kind = parse_choice(ObjectType, kind_text, "object type")
    key = key.strip()
    if kind is ObjectType.ENTITY:
        found = session.execute(select(m.Entity.ref).where(m.Entity.ref == key.lower())
                                ).scalar_one_or_none()
        if found is None:
            raise NotFound("no entity {key}", hint="list them with: accord entity list",
                           key=trimmed(key))
        return ObjectRef(kind.value, found)
    if kind is ObjectType.BANK:
        return ObjectRef(kind.value, str(find_bank_for(session, actor, key).id))
    row_id = _row_id(kind, key)
    if kind is ObjectType.PROGRAMME:
        programme = session.get(m.Programme, row_id)
        if programme is None or not programme_visible(session, actor, programme):
            raise NotFound("no programme {row_id}", row_id=row_id)
        return ObjectRef(kind.value, str(row_id))
    item: Shareable | None = (session.get(m.Signal, row_id) if kind is ObjectType.SIGNAL
                              else session.get(m.Incident, row_id)
                              if kind is ObjectType.INCIDENT else session.get(m.Flow, row_id))
    if item is None or not actor_may_see(session, actor, item):
        raise NotFound("no {kind} {row_id}", hint="refer only to objects your partner may see",
                       kind=kind.value, row_id=row_id)
    return ObjectRef(kind.value, str(row_id))


def marking(session: Session, owner_id: int, tlp: str, channel: str | int | None
            ) -> tuple[str, int | None]:
    """A TLP and optional channel for a record, checked: the owner must belong to the channel."""
    mark = Tlp.parse(tlp)
    if channel is None:
        return mark.value, None
    chan = find_channel(session, channel)
    if session.get(m.ChannelMember, (chan.id, owner_id)) is None:
        # A channel its owner is not in is one it may not know of: answered as missing.
        raise channel_not_found(str(channel).strip())
    return mark.value, chan.id


def visible_to(session: Session, actor: Actor, participants: set[int], owner: int, tlp: str,
               channel: int | None) -> bool:
    """True when the actor may see a cooperation record.

    Its participants (the partners it is between) always may; anyone else by
    the one visibility rule over the record's owner, TLP and channel.
    """
    if actor.partner_id in participants:
        return True
    return actor_may_see(session, actor, Marking(owner, tlp, channel))


def programme_visible(session: Session, actor: Actor, row: m.Programme) -> bool:
    """True when the actor may see a programme: its owner, beneficiary, donors, or by TLP."""
    donors = set(session.execute(select(m.ProgrammeDonor.partner_id)
                                 .where(m.ProgrammeDonor.programme_id == row.id)).scalars())
    return visible_to(session, actor, donors | {row.owner_partner_id,
                                                row.beneficiary_partner_id},
                      row.owner_partner_id, row.tlp, row.channel_id)
