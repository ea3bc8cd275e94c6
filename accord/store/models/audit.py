"""The audit log's stored chain: its events and the single head row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime


class AuditEvent(Base):
    """One link of the hash chain. Rows are only ever appended (see accord.audit)."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Added in 0009: the member behind ``actor`` (None for the operator and the node's own
    # jobs), so a partner's audit view selects its staff by identity, never by a name
    # someone else could hold. Not part of the hash; the chain covers ``actor``.
    actor_member_id: Mapped[int | None] = mapped_column(Integer, index=True)


class AuditHead(Base):
    """A single row holding the chain's tip; locking it serialises appends."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed statement of the chain's head at one moment (see ``accord.audit.checkpoint``).

    The signature is made with a key the database does not hold, so a row here cannot be
    forged by someone holding only the database; copies go to witnesses outside it.
    """

    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(64))
