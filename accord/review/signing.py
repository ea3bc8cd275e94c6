"""Signing webhook deliveries, and checking a signature as a receiver would.

A delivery carries ``X-Accord-Timestamp`` (Unix seconds) and
``X-Accord-Signature: v1=<hex>``, the HMAC-SHA256, keyed with the webhook's
secret, of ``f"{timestamp}.{body}"`` (the body's exact bytes). A receiver
recomputes it, compares in constant time and refuses timestamps outside a
window either way, so a captured delivery cannot be replayed later.
Several comma-separated ``v1=`` values are accepted, for secret rotation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

SIGNATURE_VERSION = "v1"
DEFAULT_WINDOW_S = 300

HEADER_TIMESTAMP = "X-Accord-Timestamp"
HEADER_SIGNATURE = "X-Accord-Signature"
HEADER_EVENT = "X-Accord-Event"
HEADER_DELIVERY = "X-Accord-Delivery"


def _bytes(body: str | bytes) -> bytes:
    return body.encode() if isinstance(body, str) else body


def sign(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """The ``X-Accord-Signature`` value for ``body`` sent at ``timestamp``."""
    message = f"{timestamp}.".encode() + _bytes(body)
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signed_headers(secret: str, body: str | bytes, *, event: str, delivery_id: int,
                   at: dt.datetime) -> dict[str, str]:
    """Every header of a delivery sent at ``at``, signature included."""
    timestamp = str(int(at.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": "Accord-Webhooks/1",
        HEADER_EVENT: event,
        HEADER_DELIVERY: str(delivery_id),
        HEADER_TIMESTAMP: timestamp,
        HEADER_SIGNATURE: sign(secret, timestamp, body),
    }


def _seconds(now: dt.datetime | float | None) -> float:
    if now is None:
        return time.time()
    return now.timestamp() if isinstance(now, dt.datetime) else float(now)


def verify_signature(
    secret: str,
    timestamp: str,
    signature: str,
    body: str | bytes,
    *,
    now: dt.datetime | float | None = None,
    window_s: float = DEFAULT_WINDOW_S,
) -> bool:
    """True when ``signature`` signs ``body`` at ``timestamp``, within ``window_s`` of now.

    The window holds both ways: a timestamp too far in the past (a replay) or
    in the future (a skewed or forged clock) fails. ``now`` defaults to the
    current time; pass a datetime or Unix seconds to check at another time.
    """
    stamp = timestamp.strip()
    if not (stamp.isascii() and stamp.isdigit()):
        return False
    if abs(_seconds(now) - int(stamp)) > window_s:
        return False
    expected = sign(secret, stamp, body).encode()
    return any(
        hmac.compare_digest(expected, candidate.strip().encode("utf-8", "replace"))
        for candidate in signature.split(",")
    )
