"""Sign-in throttling: failed sign-ins per account and per client address lock them out.

The ``max_failures``-th failure in a row of an account (``client_max_failures``
for a client address, which may sit behind a shared NAT, so it gets more) locks
that key for ``lockout_seconds``; each further failure doubles the lock, up to
``max_lockout_seconds``. While a key is locked every attempt is
refused, even one with the right password, so a guesser learns nothing from
it. A success clears the account's count (not the client's: one good account
must not reset a password spray from the same address); failures older than
``window_seconds`` are forgotten.

The counts live in the database (``sign_in_throttle``), so every worker and
every replica of a node on one PostgreSQL shares them.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as DbIntegrityError
from sqlalchemy.orm import Session

from accord.errors import TooManyRequests
from accord.store import models as m


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How many failures are free, and how long the lock lasts after them."""

    max_failures: int = 5
    client_max_failures: int = 20
    lockout_seconds: float = 60.0
    max_lockout_seconds: float = 3600.0
    window_seconds: float = 900.0


def account_key(username: str) -> str:
    """The throttle key of a username as typed (trimmed, lower case, at most 100 chars)."""
    return "account:" + username.strip().lower()[:100]


def client_key(address: str | None) -> str:
    """The throttle key of a client address (``unknown`` when the server has none)."""
    return "client:" + (address or "unknown")[:100]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _limit(policy: ThrottlePolicy, key: str) -> int:
    return policy.client_max_failures if key.startswith("client:") else policy.max_failures


def retry_after(session: Session, keys: list[str]) -> float | None:
    """Seconds until the last of ``keys`` is unlocked, or None when none is locked."""
    now = _now()
    rows = session.execute(select(m.SignInThrottle).where(
        m.SignInThrottle.key.in_(keys))).scalars().all()
    waits = [(row.locked_until - now).total_seconds() for row in rows
             if row.locked_until is not None and row.locked_until > now]
    return max(waits) if waits else None


def check(session: Session, keys: list[str]) -> None:
    """Raise ``TooManyRequests`` while any of ``keys`` is locked."""
    wait = retry_after(session, keys)
    if wait is not None:
        raise locked(wait)


def locked(wait: float) -> TooManyRequests:
    """The error for a locked sign-in; ``retry_after`` is whole seconds, at least 1."""
    error = TooManyRequests("too many failed sign-ins: sign-in is locked for a while",
                            retry_after=max(1, math.ceil(wait)))
    error.hint = (f"wait {max(1, math.ceil(wait))} s and try again; an admin can set a "
                  "new password if it is forgotten")
    return error


def _row(session: Session, key: str, now: dt.datetime) -> m.SignInThrottle:
    """The key's row, locked for update; made when absent (another worker may race us)."""
    query = select(m.SignInThrottle).where(m.SignInThrottle.key == key).with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(m.SignInThrottle(key=key, failures=0, last_failure_at=now))
    except DbIntegrityError:
        pass  # made meanwhile by another worker: read theirs
    return session.execute(query).scalar_one()


def record_failure(session: Session, policy: ThrottlePolicy, keys: list[str]) -> float | None:
    """Count one failure for each key; seconds of the lock this starts, or None."""
    now, waits = _now(), []
    for key in keys:
        row = _row(session, key, now)
        if (now - row.last_failure_at).total_seconds() > policy.window_seconds:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        over = row.failures - _limit(policy, key)
        if over >= 0:
            wait = min(policy.max_lockout_seconds, policy.lockout_seconds * 2 ** min(over, 30))
            row.locked_until = now + dt.timedelta(seconds=wait)
            waits.append(wait)
    session.flush()
    return max(waits) if waits else None


def record_success(session: Session, key: str) -> None:
    """Clear an account's failures after a good sign-in."""
    row = session.get(m.SignInThrottle, key)
    if row is not None:
        session.delete(row)
        session.flush()
