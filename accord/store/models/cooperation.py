"""Designation policy, liaison dialogues, requests between partners and programmes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class DesignationSource(Base):
    """A designation list that is one partner's own (a national list), by its source name.

    A source without a row here is not tied to a partner (the UN list, a regional list).
    """

    __tablename__ = "designation_sources"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class AutoActionSource(Base):
    """A designation source a partner's auto-action policy accepts (none: the default)."""

    __tablename__ = "auto_action_sources"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(50), primary_key=True)


class Dialogue(Base):
    """A dialogue round between partners: level, date, venue."""

    __tablename__ = "dialogues"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[dt.date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class DialoguePartner(Base):
    __tablename__ = "dialogue_partners"
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True,
                                            index=True)


class AgendaItem(Base):
    """An agenda item of a dialogue, linked to one Accord object."""

    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    object_type: Mapped[str | None] = mapped_column(String(20))
    object_key: Mapped[str | None] = mapped_column(String(100))


class ActionItem(Base):
    """Something a partner agreed to do after a dialogue, by a due date."""

    __tablename__ = "action_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class CoopRequest(Base):
    """A request for information or assistance from one partner to another.

    Typed purpose, referenced objects (``RequestRef``), free text checked for
    personal data on write; no attachments. Purged after the retention limit.
    """

    __tablename__ = "coop_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    to_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    answered_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class RequestRef(Base):
    __tablename__ = "request_refs"
    request_id: Mapped[int] = mapped_column(ForeignKey("coop_requests.id"), primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    object_key: Mapped[str] = mapped_column(String(100), primary_key=True)


class Programme(Base):
    """A capacity-building programme: beneficiary, donors, area, period, indicators."""

    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    beneficiary_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    area: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    assessment: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str | None] = mapped_column(String(100))
    assessed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ProgrammeDonor(Base):
    __tablename__ = "programme_donors"
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
