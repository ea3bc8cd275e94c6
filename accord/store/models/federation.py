"""Peers this node syncs with, and TAXII status resources."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false
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
    # The peer's API key for us: a credential this node must present, so it cannot be
    # hashed; since 0016 it is sealed (accord.store.sealed: Fernet under a key file
    # outside the database) and opened only when a sync uses it.
    api_key: Mapped[str | None] = mapped_column(String(500))  # a key of 300 bytes at most
    pulled: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pushed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Added in 0015: a peer is a TAXII server ("taxii") or a python-threatexchange
    # SignalExchangeAPI ("exchange", accord.exchange.pytx_peers).
    kind: Mapped[str] = mapped_column(String(20), default="taxii", server_default="taxii")
    exchange: Mapped[str | None] = mapped_column(String(100))  # the pytx API's get_name()
    collab: Mapped[str | None] = mapped_column(Text)  # its collab config fields, JSON
    # Where the credentials are, never the credentials: "env:VAR" or "file:/path".
    credentials_ref: Mapped[str | None] = mapped_column(String(1000))
    checkpoint: Mapped[str | None] = mapped_column(Text)  # the pytx checkpoint, JSON
    tlp: Mapped[str | None] = mapped_column(String(20))  # TLP of pulled signals
    tag_map: Mapped[str | None] = mapped_column(Text)  # upstream tag -> taxonomy label, JSON
    flood_factor: Mapped[int | None] = mapped_column(Integer)
    flood_cap: Mapped[int | None] = mapped_column(Integer)
    volumes: Mapped[str | None] = mapped_column(Text)  # records of recent runs, JSON list
    # Added in 0016: verdicts and disputes go back to the exchange (opt-in, default off).
    write_back: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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


class PeerSkip(Base):
    """A record an exchange peer sent that was not stored, and why (the skip ledger)."""

    __tablename__ = "peer_skips"
    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id", ondelete="CASCADE"), index=True)
    record_key: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    skipped_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ExchangeRecord(Base):
    """Where a signal pulled from an exchange peer came from: the upstream record (its
    key), owner, tags and opinions as last fetched. A delete upstream finds its signals
    here."""

    __tablename__ = "exchange_records"
    __table_args__ = (Index("ix_exchange_records_peer_key", "peer_id", "record_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id", ondelete="CASCADE"))
    record_key: Mapped[str] = mapped_column(String(500))
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), index=True)
    exchange: Mapped[str] = mapped_column(String(100))
    owners: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    unmapped_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    opinions: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ExchangeOpinion(Base):
    """An opinion going back to an exchange peer (write-back): which upstream record (its
    id there, never content), what is said, and where its delivery stands."""

    __tablename__ = "exchange_opinions"
    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id", ondelete="CASCADE"), index=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), index=True)
    upstream_id: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))  # true_positive, false_positive, disputed
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The verdict that queued it (None: a dispute): an undone verdict cancels it.
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
