"""Organisations (entities), their aliases and designations by lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class Entity(Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


ALIAS_MAX_CHARS = 600
"""The longest alias stored (the UN list's longest, QDe.137's, is 324 characters). 600
characters of any script stay within PostgreSQL's limit on a unique index entry."""


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    name: Mapped[str] = mapped_column(String(ALIAS_MAX_CHARS))
    script: Mapped[str] = mapped_column(String(4))
    __table_args__ = (UniqueConstraint("entity_id", "name"),)


class Designation(Base):
    __tablename__ = "designations"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    source: Mapped[str] = mapped_column(String(50))
    reference: Mapped[str] = mapped_column(String(100))
    listed_on: Mapped[dt.date | None] = mapped_column(Date)
    delisted_on: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("entity_id", "source", "reference"),)
