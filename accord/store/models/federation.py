"""Peers this node syncs with, and TAXII status resources."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class Peer(Base):
    __tablename__ = "peers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    collection: Mapped[str] = mapped_column(String(200))
    cursor: Mapped[str | None] = mapped_column(String(200))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(20), default="new")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0003: where pulled signals land, what may be pushed, how to sign in.
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    username: Mapped[str | None] = mapped_column(String(200))
    # The peer's API key for us: a credential this node must present, so it is kept
    # as given (a hash could not be sent). Only the operator's CLI reads it.
    api_key: Mapped[str | None] = mapped_column(String(500))
    pulled: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pushed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class TaxiiStatus(Base):
    """The outcome of one TAXII ``POST .../objects/`` (a TAXII status resource)."""

    __tablename__ = "taxii_statuses"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    collection: Mapped[str] = mapped_column(String(100))
    total: Mapped[int] = mapped_column(Integer)
    successes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    failures: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
