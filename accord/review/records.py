"""Frozen records the review services return; ORM rows never leave the package."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """A recorded match: who asked (by opaque reference), which signal, and its state.

    ``signal_type``, ``value``, ``bank`` and ``labels`` are the signal's current
    ones; ``negative`` is whether its bank was a "known legitimate" list when
    the match was recorded. ``state`` is one of ``MatchState``. ``claimed_by`` is
    the holder of a live claim only (a lapsed claim reads as none), held until
    ``claimed_until``; ``variant`` names the variant of an uploaded picture that
    hit (None for a hash query).
    """

    id: int
    requester_partner_id: int
    content_ref: str
    signal_id: int
    signal_type: str
    value: str
    distance: int
    bank: str
    labels: tuple[str, ...]
    negative: bool
    state: str
    claimed_by: str | None
    created_at: dt.datetime
    query_id: str = ""
    claimed_until: dt.datetime | None = None
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    """A reviewer's decision on a match, and the state it moved the match to."""

    id: int
    match_id: int
    reviewer: str
    decision: str
    rationale: str
    false_positive: bool
    state: str
    created_at: dt.datetime
    undo_until: dt.datetime | None = None
    """Until when its reviewer may undo it (None: undo is off)."""


@dataclass(frozen=True, slots=True)
class DisputeOpinion:
    """One other partner's dispute of a signal, with its note."""

    partner_id: int
    partner: str
    kind: str
    note: str
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DisputedSignal:
    """A signal of the contributor's partner that other partners dispute."""

    signal_id: int
    signal_type: str
    value: str
    bank: str
    status: str
    labels: tuple[str, ...]
    opinions: tuple[DisputeOpinion, ...]


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    """A partner's webhook, without its secret (shown once, at creation)."""

    id: int
    partner_id: int
    url: str
    events: tuple[str, ...]
    active: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One event queued for one webhook, and how its delivery went so far."""

    id: int
    webhook_id: int
    event: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one ``deliver_due`` pass did."""

    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
