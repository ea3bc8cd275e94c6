"""Banks, their signals with labels, retraction tombstones and partners' opinions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class Bank(Base):
    __tablename__ = "banks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    default_tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    auto_action: Mapped[bool] = mapped_column(Boolean, default=False)
    negative: Mapped[bool] = mapped_column(Boolean, default=False)
    pdq_threshold: Mapped[int | None] = mapped_column(Integer)
    # Added in 0010: the bank's own tmk distance limit (0-2000; 100 = both scores >= 0.9).
    tmk_threshold: Mapped[int | None] = mapped_column(Integer)
    # Added in 0014: which variants of an uploaded picture may hit this bank's PDQ
    # signals ("original,rotate90,..."; None: the default, accord.signals.pdq_variants).
    match_variants: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0016: false: none of its signals match uploads (HMA's enabled ratio 0).
    matching_enabled: Mapped[bool] = mapped_column(Boolean, default=True,
                                                   server_default=true())


class Signal(Base):
    __tablename__ = "signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    signal_type: Mapped[str] = mapped_column(String(30))
    # ``value`` is the lookup key: the canonical value itself, or for a value longer
    # than KEY_MAX characters (a video's frame list, a very long URL) "sha256:<hex>"
    # of it, with the full canonical value in ``payload``. Keeps every unique index
    # small on every backend (PostgreSQL btree entries are capped near 2.7 kB).
    value: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[int | None] = mapped_column(Integer)
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    contributor: Mapped[str] = mapped_column(String(100))
    rationale: Mapped[str] = mapped_column(Text, default="")
    source_ref: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0003: the change sequence TAXII pages by. Database triggers give every
    # inserted or updated row the next number, in commit order (see migration 0006).
    sync_seq: Mapped[int | None] = mapped_column(Integer, index=True)
    # Added in 0014: what was done to the content before hashing it (unletterboxing).
    preprocessing: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (
        # Serves both the per-bank uniqueness and exact lookups by (type, value).
        UniqueConstraint("signal_type", "value", "bank_id"),
        Index("ix_signals_updated_at", "updated_at"),
        # Added in 0006: one bank's signals a page at a time, in id order (the web UI).
        Index("ix_signals_bank", "bank_id", "id"),
    )


class SignalLabel(Base):
    __tablename__ = "signal_labels"
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class Retraction(Base):
    """The tombstone of a retracted signal: it syncs to peers, nothing is deleted."""

    __tablename__ = "retractions"
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    retracted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Opinion(Base):
    __tablename__ = "opinions"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    author: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # Added in 0015: the one of the signal's labels a disagreement disputes (None: all).
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("signal_id", "partner_id"),)


class SignalLabelVersion(Base):
    """One version of a signal's labels (added in 0015_label_versions): who set them, why.

    Version 1 is written by the first edit, holding the labels the signal had before it;
    ``proposal_id`` names the accepted proposal a version applies, ``source_version`` the
    peer's STIX ``modified`` a received version came from."""

    __tablename__ = "signal_label_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"))
    version: Mapped[int] = mapped_column(Integer)
    labels: Mapped[str] = mapped_column(Text, default="")  # canonical labels, "\n"-joined
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    proposal_id: Mapped[int | None] = mapped_column(Integer)
    source_version: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("signal_id", "version"),)


class DisputeMessage(Base):
    """A message in the thread of one dispute (a disagreeing opinion), added in 0015."""

    __tablename__ = "dispute_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class LabelProposal(Base):
    """A partner's proposed change to another partner's signal's labels (added in 0015)."""

    __tablename__ = "label_proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    author: Mapped[str] = mapped_column(String(100))
    add_labels: Mapped[str] = mapped_column(Text, default="")  # "\n"-joined
    remove_labels: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SignalImport(Base):
    """One bulk import of a file into a bank (added in 0016_import_history): who, which file,
    when, what it did. ``job`` is the web UI's job id, whose rejected rows it keeps."""

    __tablename__ = "signal_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))
    job: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="running")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
