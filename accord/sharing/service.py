"""Partners, members, API keys and channels: the service functions every edge calls."""

from __future__ import annotations

import hashlib
import re
import secrets
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied, parse_choice, trimmed
from accord.safeguards.free_text import checked_text
from accord.safeguards.normalise import skeleton
from accord.sharing.roles import SYSTEM_NAMES, Actor, Role
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

KEY_PREFIX = "acc_"
_NAME = re.compile(r"^[\w][\w .,'()&/-]{0,199}$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class PartnerKind(StrEnum):
    """What kind of organisation a partner is."""

    AGENCY = "agency"
    PLATFORM = "platform"
    NGO = "ngo"
    RESEARCH = "research"


def _check_name(what: str, name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise Invalid("{what} name {name} is not allowed",
                      hint="use 1-200 letters, digits, spaces and . , ' ( ) & / - ; start with a "
                           "letter or digit", what=what, name=trimmed(name))
    return name


def _parse_kind(kind: str) -> PartnerKind:
    return parse_choice(PartnerKind, kind, "partner kind")


def _parse_country(country: str) -> str:
    code = country.strip().upper()
    if not _COUNTRY.match(code):
        raise Invalid("country {country} is not an ISO 3166-1 alpha-2 code",
                      hint="use two letters, e.g. FR, KE, CN", country=trimmed(country))
    return code


def is_row_id(text: str) -> bool:
    """True when ``text`` reads as a row id (ASCII digits within a 32-bit INTEGER column).

    Anything else is looked up as a name, so "²" or a 30-digit number is a plain
    "not found" rather than a database error.
    """
    # The length test first: int() refuses text of thousands of digits outright.
    return len(text) <= 10 and text.isascii() and text.isdigit() and int(text) < 2**31


def partner_record(row: m.Partner) -> r.Partner:
    """The record for an ORM row."""
    return r.Partner(row.id, row.name, row.kind, row.country, row.created_at)


def find_partner(session: Session, ref: str | int) -> m.Partner:
    """A partner by id or name, or ``NotFound``."""
    text = str(ref).strip()
    query = select(m.Partner).where(
        m.Partner.id == int(text) if is_row_id(text) else m.Partner.name == text
    )
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound("no partner {text}", hint="list partners with: accord partner list",
                       text=trimmed(text))
    return row


def partner_add(db: Database, actor: Actor, name: str, kind: str, country: str) -> r.Partner:
    """Register a partner organisation on this node (operator only)."""
    if not actor.is_operator:
        raise PermissionDenied("{name} may not add partners: only the node operator may",
                               name=actor.name)
    name, pkind, code = _check_name("partner", name), _parse_kind(kind), _parse_country(country)
    with db.transaction() as session:
        if session.execute(select(m.Partner.id).where(m.Partner.name == name)).first():
            raise Conflict("a partner named {name!r} already exists", name=name)
        row = m.Partner(name=name, kind=pkind.value, country=code)
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.PARTNER_ADD, "partner", row.id,
                     {"name": name, "kind": pkind.value, "country": code})
        return partner_record(row)


def partner_list(db: Database) -> list[r.Partner]:
    """Every partner on this node, by name."""
    with db.reader() as session:
        rows = session.execute(select(m.Partner).order_by(m.Partner.name)).scalars()
        return [partner_record(p) for p in rows]


def member_add(
    db: Database, actor: Actor, partner: str | int, username: str, role: str,
    display_name: str = "",
) -> r.Member:
    """Add a member (a staff account) to a partner; its admins or the operator may."""
    prole = Role.parse(role)
    user = username.strip().lower()
    if not _USERNAME.match(user):
        raise Invalid("username {username} is not allowed",
                      hint="use 2-100 lower-case letters, digits, '.', '_' or '-'",
                      username=trimmed(username))
    if user in SYSTEM_NAMES:
        raise Invalid("the username {user!r} is reserved for the node itself",
                      hint="choose another, e.g. the person's initials and partner", user=user)
    with db.transaction() as session:
        owner = find_partner(session, partner)
        actor.require_partner(owner.id, "add members to this partner")
        actor.require(frozenset({Role.ADMIN}), "add members")
        if session.execute(select(m.Member.id).where(m.Member.username == user)).first():
            raise Conflict("the username {user!r} is taken", user=user)
        row = m.Member(partner_id=owner.id, username=user, role=prole.value,
                       display_name=display_name.strip()[:200])
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.MEMBER_ADD, "member", row.id,
                     {"partner": owner.id, "username": user, "role": prole.value})
        return r.Member(row.id, row.partner_id, row.username, row.display_name, row.role,
                        row.active, row.created_at)


def _find_member(session: Session, username: str) -> m.Member:
    row = session.execute(
        select(m.Member).where(m.Member.username == username.strip().lower())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("no member {username}", username=trimmed(username))
    return row


def hash_key(secret: str) -> str:
    """The stored form of an API key. Keys are 256-bit random, so one SHA-256 suffices."""
    return hashlib.sha256(secret.encode()).hexdigest()


def key_create(db: Database, actor: Actor, username: str, label: str = "") -> r.NewApiKey:
    """Create an API key for a member; the secret is returned once and never stored."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    with db.transaction() as session:
        member = _find_member(session, username)
        actor.require_partner(member.partner_id, "create keys for this member")
        if actor.member_id != member.id:
            actor.require(frozenset({Role.ADMIN}), "create keys for other members")
        row = m.ApiKey(member_id=member.id, prefix=secret[:12], key_hash=hash_key(secret),
                       label=checked_text(session, "key label", label, limit=200))
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.KEY_CREATE, "api_key", row.id,
                     {"member": member.username, "prefix": row.prefix})
        return r.NewApiKey(_key_record(row), secret)


def _key_record(row: m.ApiKey) -> r.ApiKey:
    return r.ApiKey(row.id, row.member_id, row.prefix, row.label, row.created_at,
                    row.last_used_at, row.revoked_at)


def key_revoke(db: Database, actor: Actor, key_ref: str) -> r.ApiKey:
    """Revoke a key, by id or by its shown prefix (``acc_xxxxxxxx``)."""
    with db.transaction() as session:
        ref = key_ref.strip()
        query = select(m.ApiKey).where(
            m.ApiKey.id == int(ref) if is_row_id(ref) else m.ApiKey.prefix == ref[:12]
        )
        rows = session.execute(query).scalars().all()
        if not rows:
            raise NotFound("no API key {ref}", ref=trimmed(ref))
        if len(rows) > 1:
            raise Conflict("{rows_count} keys share the prefix {ref!r}; revoke by id",
                           rows_count=len(rows), ref=ref[:12])
        row = rows[0]
        member = session.get_one(m.Member, row.member_id)
        actor.require_partner(member.partner_id, "revoke this key")
        if actor.member_id != member.id:
            actor.require(frozenset({Role.ADMIN}), "revoke other members' keys")
        if row.revoked_at is None:
            row.revoked_at = m.utcnow()
            member.session_epoch += 1  # web sessions signed in with the key end too
            audit.record(session, actor, audit.AuditAction.KEY_REVOKE, "api_key", row.id,
                         {"prefix": row.prefix})
        return _key_record(row)


def key_authenticate(db: Database, secret: str) -> Actor:
    """The actor behind an API key; records its last use. Unknown or revoked: denied."""
    with db.transaction() as session:
        row = session.execute(
            select(m.ApiKey).where(m.ApiKey.key_hash == hash_key(secret.strip()))
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            raise PermissionDenied("the API key is unknown or revoked")
        member = session.get_one(m.Member, row.member_id)
        if not member.active:
            raise PermissionDenied("member {username} is deactivated", username=member.username)
        row.last_used_at = m.utcnow()
        return Actor(name=member.username, partner_id=member.partner_id,
                     role=Role(member.role), member_id=member.id)


def _channel_record(session: Session, row: m.Channel) -> r.Channel:
    ids = session.execute(
        select(m.ChannelMember.partner_id).where(m.ChannelMember.channel_id == row.id)
        .order_by(m.ChannelMember.partner_id)
    ).scalars()
    return r.Channel(row.id, row.name, row.description, row.owner_partner_id, tuple(ids))


def find_channel(session: Session, ref: str | int) -> m.Channel:
    """A channel by id or name, or ``NotFound``."""
    text = str(ref).strip()
    row = session.execute(select(m.Channel).where(
        m.Channel.id == int(text) if is_row_id(text) else m.Channel.name == text
    )).scalar_one_or_none()
    if row is None:
        raise channel_not_found(text)
    return row


def channel_not_found(text: str) -> NotFound:
    """The answer for a channel that does not exist, or that the asker may not know of."""
    return NotFound("no channel {text}", hint="list channels with: accord channel list",
                    text=trimmed(text))


#: What another partner's staff member is called in any answer (API, UI, CLI for members).
OTHER_STAFF = "another partner"


def staff_name(actor: Actor, partner_id: int | None, name: str) -> str:
    """``name`` (a member's user name, of partner ``partner_id``) as ``actor`` may see it:
    itself for its own partner's staff and the operator, ``OTHER_STAFF`` otherwise."""
    if actor.is_operator or (partner_id is not None and actor.partner_id == partner_id):
        return name
    return OTHER_STAFF


def find_channel_for(session: Session, actor: Actor, ref: str | int) -> m.Channel:
    """A channel ``actor`` may know of (its partner is a member; the operator, any): any
    other is ``NotFound`` exactly as one that does not exist, as ``channel_list`` hides it."""
    row = find_channel(session, ref)
    if actor.is_operator:
        return row
    if session.get(m.ChannelMember, (row.id, actor.partner_id)) is not None:
        return row
    raise channel_not_found(str(ref).strip())


def channel_add(
    db: Database, actor: Actor, name: str, owner: str | int, description: str = ""
) -> r.Channel:
    """Create a sharing group; its owner partner is its first member."""
    name = _check_name("channel", name)
    with db.transaction() as session:
        partner = find_partner(session, owner)
        actor.require_partner(partner.id, "create channels for this partner")
        actor.require(frozenset({Role.ADMIN}), "create channels")
        if session.execute(select(m.Channel.id).where(m.Channel.name == name)).first():
            raise Conflict("a channel named {name!r} already exists", name=name)
        looks = skeleton(name)
        for other in session.execute(select(m.Channel.name)).scalars():
            if skeleton(other) == looks:  # a Cyrillic look-alike posing as an existing name
                raise Conflict("channel name {name!r} looks like the existing channel {other!r}",
                               hint="choose a name partners cannot mistake for another channel's",
                               name=name, other=other)
        description = checked_text(session, "channel description", description)
        checked_text(session, "channel name", name.replace("-", " ").replace("_", " "))
        row = m.Channel(name=name, owner_partner_id=partner.id, description=description)
        session.add(row)
        session.flush()
        session.add(m.ChannelMember(channel_id=row.id, partner_id=partner.id))
        session.flush()
        audit.record(session, actor, audit.AuditAction.CHANNEL_ADD, "channel", row.id,
                     {"name": name, "owner": partner.id})
        return _channel_record(session, row)


def channel_join(db: Database, actor: Actor, channel: str | int,
                 partner: str | int) -> r.Channel | r.ChannelInvitation:
    """Add a partner to a channel. The node operator adds it at once (the channel is
    returned); anyone else invites it (``invitations.channel_invite``, whose pending
    invitation is returned): a partner joins only when its own admin accepts."""
    if not actor.is_operator:
        # Imported here: accord.sharing.invitations builds on this module's look-ups.
        from accord.sharing import invitations

        return invitations.channel_invite(db, actor, channel, partner)
    with db.transaction() as session:
        row = find_channel(session, channel)
        joining = find_partner(session, partner)
        exists = session.get(m.ChannelMember, (row.id, joining.id))
        if exists is None:
            session.add(m.ChannelMember(channel_id=row.id, partner_id=joining.id))
            session.flush()
            audit.record(session, actor, audit.AuditAction.CHANNEL_JOIN, "channel", row.id,
                         {"partner": joining.id})
        return _channel_record(session, row)


def channel_list(db: Database, actor: Actor) -> list[r.Channel]:
    """The channels ``actor``'s partner belongs to, by name, with their member partners;
    every channel for the operator. Another partner's channels (their names, members and
    number) are not shown: a channel directory tells no partner of groups it is not in."""
    with db.reader() as session:
        query = select(m.Channel).order_by(m.Channel.name)
        if not actor.is_operator:
            query = query.where(m.Channel.id.in_(
                select(m.ChannelMember.channel_id)
                .where(m.ChannelMember.partner_id == actor.partner_id)))
        rows = session.execute(query).scalars().all()
        return [_channel_record(session, c) for c in rows]

