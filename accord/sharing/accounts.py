"""Members' sign-in: argon2 password hashes, and the member and key listings admins read.

Passwords are stored only as argon2id hashes (``argon2-cffi``'s defaults). A
member without a password signs in with an API key instead. Core module: no
web framework imports.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from accord import audit
from accord.errors import Invalid, PermissionDenied
from accord.sharing.roles import Actor, Role
from accord.sharing.service import _find_member, _key_record, find_partner
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_HASHER = PasswordHasher()


def _member_record(row: m.Member) -> r.Member:
    return r.Member(row.id, row.partner_id, row.username, row.display_name, row.role,
                    row.active, row.created_at)


def member_set_password(db: Database, actor: Actor, username: str, password: str) -> r.Member:
    """Set a member's sign-in password: the member itself, its partner's admins or the operator."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid(f"the password has {len(password)} characters",
                      hint=f"use {MIN_PASSWORD} to {MAX_PASSWORD} characters; a passphrase "
                      "of several words is easiest to remember")
    digest = _HASHER.hash(password)
    with db.transaction() as session:
        member = _find_member(session, username)
        actor.require_partner(member.partner_id, "set this member's password")
        if actor.member_id != member.id:
            actor.require(frozenset({Role.ADMIN}), "set other members' passwords")
        member.password_hash = digest
        audit.record(session, actor, audit.AuditAction.MEMBER_PASSWORD, "member", member.id,
                     {"username": member.username})
        return _member_record(member)


def password_authenticate(db: Database, username: str, password: str) -> Actor:
    """The actor for a username and password; any mismatch is the same ``PermissionDenied``."""
    denied = PermissionDenied("the username or password is wrong",
                              hint="ask your partner's admin to set a password: "
                              "accord member password USERNAME")
    with db.reader() as session:
        row = session.execute(select(m.Member).where(
            m.Member.username == username.strip().lower())).scalar_one_or_none()
        if row is None or not row.password_hash or not row.active:
            _HASHER.hash(password[:MAX_PASSWORD])  # same cost whether or not the user exists
            raise denied
        try:
            _HASHER.verify(row.password_hash, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            raise denied from None
        return Actor(name=row.username, partner_id=row.partner_id, role=Role(row.role),
                     member_id=row.id)


def member_actor(db: Database, member_id: int) -> Actor | None:
    """The actor for a member id (a signed-in session), or None once it is deactivated."""
    with db.reader() as session:
        row = session.get(m.Member, member_id)
        if row is None or not row.active:
            return None
        return Actor(name=row.username, partner_id=row.partner_id, role=Role(row.role),
                     member_id=row.id)


def member_list(db: Database, actor: Actor, partner: str | int) -> list[r.Member]:
    """A partner's members by username (that partner's members, or the operator)."""
    with db.reader() as session:
        owner = find_partner(session, partner)
        actor.require_partner(owner.id, "list this partner's members")
        rows = session.execute(select(m.Member).where(m.Member.partner_id == owner.id)
                               .order_by(m.Member.username)).scalars()
        return [_member_record(row) for row in rows]


def key_list(db: Database, actor: Actor, partner: str | int) -> list[tuple[str, r.ApiKey]]:
    """A partner's API keys (never the secrets) with their member's username.

    Admins see every key of their partner; other members see their own only.
    """
    with db.reader() as session:
        owner = find_partner(session, partner)
        actor.require_partner(owner.id, "list this partner's keys")
        query = (select(m.Member.username, m.ApiKey).join(m.Member,
                 m.Member.id == m.ApiKey.member_id).where(m.Member.partner_id == owner.id)
                 .order_by(m.ApiKey.id))
        if not (actor.is_operator or actor.role == Role.ADMIN):
            query = query.where(m.ApiKey.member_id == actor.member_id)
        return [(name, _key_record(key)) for name, key in session.execute(query).all()]
