"""Recorded matches, verdicts, webhooks and their deliveries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class Match(Base):
    __tablename__ = "matches"
    id: Mapped[int] = mapped_column(primary_key=True)
    requester_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    content_ref: Mapped[str] = mapped_column(String(200), default="")
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), index=True)
    distance: Mapped[int] = mapped_column(Integer)
    review_state: Mapped[str] = mapped_column(String(20), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0002: the matches of one query share a query_id; ``negative`` keeps
    # whether the signal's bank was a "known legitimate" list when it matched.
    query_id: Mapped[str] = mapped_column(String(32), default="", server_default="",
                                          index=True)
    negative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Added in 0015: when the claim lapses (``review_claim_seconds`` after it was
    # taken or renewed), and which variant of an uploaded picture hit.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    variant: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (
        # The review queue: one partner's matches in one state, by id.
        Index("ix_matches_queue", "requester_partner_id", "review_state", "id"),
    )


class Verdict(Base):
    __tablename__ = "verdicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0002: a reject that also filed a false-positive opinion on the signal.
    false_positive: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=false())
    # Added in 0015: an undone verdict stays on record, marked with when it was undone.
    undone_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Webhook(Base):
    __tablename__ = "webhooks"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Delivery(Base):
    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event: Mapped[str] = mapped_column(String(50))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Added in 0015: the verdict a ``verdict.*`` delivery announces; it is held until the
    # verdict's undo window closes, and cancelled when the verdict is undone.
    verdict_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Added in 0002: the delivery worker's poll for due deliveries.
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)
