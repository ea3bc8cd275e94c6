"""Members' sign-in and sign-out, passwords, deactivation, and the listings admins read.

Passwords are stored only as argon2id hashes (``argon2-cffi``'s defaults), and
common, repetitive or username-bearing ones are refused (``passwords``). A
member without a password signs in with an API key instead. Failed sign-ins
are throttled per account and per client address (``throttle``); sign-ins,
failures (naming the username given, never the password) and sign-outs are
audited. Each member has a session epoch that web sessions carry: signing out,
a key revoked, a new password and deactivation raise it, which ends every
older session of that member. Core module: no web framework imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import AccordError, Conflict, Invalid, PermissionDenied
from accord.sharing import throttle
from accord.sharing.passwords import check_password
from accord.sharing.roles import Actor, Role
from accord.sharing.service import _find_member, _key_record, find_partner, key_authenticate
from accord.sharing.throttle import ThrottlePolicy
from accord.store import models as m
from accord.store import records as r
from accord.store.database import Database

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_HASHER = PasswordHasher()
_ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True, slots=True)
class _Door:
    """The audit actor of a failed sign-in: nobody is signed in yet."""

    name: str = "web:sign-in"
    member_id: int | None = None


def _member_record(row: m.Member) -> r.Member:
    return r.Member(row.id, row.partner_id, row.username, row.display_name, row.role,
                    row.active, row.created_at)


def member_set_password(db: Database, actor: Actor, username: str, password: str) -> r.Member:
    """Set a member's sign-in password: the member itself, its partner's admins or the operator."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid("the password has {password_count} characters",
                      hint="use {min_password} to {max_password} characters; a passphrase of "
                           "several words is easiest to remember", password_count=len(password),
                      min_password=MIN_PASSWORD, max_password=MAX_PASSWORD)
    check_password(password, username)
    digest = _HASHER.hash(password)
    with db.transaction() as session:
        member = _find_member(session, username)
        actor.require_partner(member.partner_id, "set this member's password")
        if actor.member_id != member.id:
            actor.require(_ADMIN, "set other members' passwords")
        member.password_hash = digest
        member.session_epoch += 1  # a new password ends the member's sessions
        audit.record(session, actor, audit.AuditAction.MEMBER_PASSWORD, "member", member.id,
                     {"username": member.username})
        return _member_record(member)


def bump_epoch(session: Session, member_id: int) -> None:
    """End every web session of a member (in the caller's transaction)."""
    row = session.get_one(m.Member, member_id)
    row.session_epoch += 1


def _given(username: str) -> str:
    """A username as typed, fit for the audit log: trimmed, at most 100 characters."""
    return "".join(ch for ch in username.strip()[:100] if ch.isprintable())


def _fail(db: Database, policy: ThrottlePolicy, keys: list[str], details: dict[str, object],
          denied: PermissionDenied) -> AccordError:
    """Count and audit one failed sign-in; the error to raise (a lock once it starts)."""
    with db.transaction() as session:
        wait = throttle.record_failure(session, policy, keys)
        audit.record(session, _Door(), audit.AuditAction.SESSION_SIGN_IN_FAILED, "sign_in",
                     details.get("username") or "-", {**details, "locked_for": wait})
    return denied if wait is None else throttle.locked(wait)


def _signed_in(db: Database, actor: Actor, method: str, client: str | None) -> None:
    with db.transaction() as session:
        throttle.record_success(session, throttle.account_key(actor.name))
        audit.record(session, actor, audit.AuditAction.SESSION_SIGN_IN, "member",
                     actor.member_id, {"method": method, "client": client})


def password_authenticate(db: Database, username: str, password: str, *,
                          client: str | None = None, policy: ThrottlePolicy | None = None
                          ) -> Actor:
    """The actor for a username and password; any mismatch is the same ``PermissionDenied``.

    With ``policy``, a sign-in: refused with ``TooManyRequests`` while the account or
    the ``client`` address is locked (even with the right password), failures counted
    and audited, a success audited.
    """
    denied = PermissionDenied("the username or password is wrong",
                              hint="ask your partner's admin to set a password: "
                              "accord member password USERNAME")
    keys = [throttle.account_key(username), throttle.client_key(client)]
    with db.reader() as session:
        if policy is not None:
            throttle.check(session, keys)
        row = session.execute(select(m.Member).where(
            m.Member.username == username.strip().lower())).scalar_one_or_none()
        stored = row.password_hash if row is not None and row.active else None
        actor = None if row is None else Actor(name=row.username, partner_id=row.partner_id,
                                               role=Role(row.role), member_id=row.id)
    good = False
    if not stored:
        _HASHER.hash(password[:MAX_PASSWORD])  # same cost whether or not the user exists
    else:
        try:
            good = _HASHER.verify(stored, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            good = False
    if not good or actor is None:
        if policy is None:
            raise denied
        raise _fail(db, policy, keys, {"username": _given(username), "method": "password",
                                       "client": client}, denied)
    if policy is not None:
        _signed_in(db, actor, "password", client)
    return actor


def key_sign_in(db: Database, secret: str, *, client: str | None,
                policy: ThrottlePolicy) -> Actor:
    """A web sign-in with an API key: throttled per client address, audited."""
    keys = [throttle.client_key(client)]
    with db.reader() as session:
        throttle.check(session, keys)
    try:
        actor = key_authenticate(db, secret)
    except PermissionDenied as error:
        raise _fail(db, policy, keys, {"method": "api_key", "client": client},
                    error) from None
    _signed_in(db, actor, "api_key", client)
    return actor


def sign_out(db: Database, actor: Actor) -> None:
    """End every web session of the signed-in member, audited."""
    if actor.member_id is None:
        return
    with db.transaction() as session:
        bump_epoch(session, actor.member_id)
        audit.record(session, actor, audit.AuditAction.SESSION_SIGN_OUT, "member",
                     actor.member_id, {})


def session_epoch(db: Database, member_id: int) -> int:
    """The member's current session epoch (what a new session cookie carries)."""
    with db.reader() as session:
        return session.get_one(m.Member, member_id).session_epoch


def member_actor(db: Database, member_id: int, epoch: int) -> Actor | None:
    """The actor for a signed-in session, or None once the member is deactivated or the
    session's ``epoch`` is older than the member's (signed out, password changed...)."""
    with db.reader() as session:
        row = session.get(m.Member, member_id)
        if row is None or not row.active or row.session_epoch != epoch:
            return None
        return Actor(name=row.username, partner_id=row.partner_id, role=Role(row.role),
                     member_id=row.id)


def member_set_active(db: Database, actor: Actor, username: str, active: bool) -> r.Member:
    """Deactivate (``active=False``) or reactivate a member: its partner's admins or the
    operator. A deactivated member can neither sign in nor use its API keys, and its
    sessions end at once."""
    with db.transaction() as session:
        member = _find_member(session, username)
        actor.require_partner(member.partner_id, "change this member")
        actor.require(_ADMIN, "deactivate or reactivate members")
        if not active and actor.member_id == member.id:
            raise Conflict("a member cannot deactivate itself",
                           hint="ask another admin of your partner, or the node operator")
        if member.active != active:
            member.active = active
            member.session_epoch += 1
            audit.record(session, actor, audit.AuditAction.MEMBER_REACTIVATE if active
                         else audit.AuditAction.MEMBER_DEACTIVATE, "member", member.id,
                         {"username": member.username, "partner": member.partner_id})
        return _member_record(member)


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
        if not (actor.is_operator or actor.role in _ADMIN):
            query = query.where(m.ApiKey.member_id == actor.member_id)
        return [(name, _key_record(key)) for name, key in session.execute(query).all()]
