"""Incidents (GTD codebook fields), their sources, foreign-fighter flows and crises."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models.base import Base, UtcDateTime, utcnow


class Incident(Base):
    """An attack, with GTD codebook field names so a GTD export loads unmapped.

    GTD's free-text fields that can name people (summary, target1-3, corp1-3,
    motive, addnotes, scite1-3) have no column here by design.
    """

    __tablename__ = "incidents"
    # An eventid is unique per owning partner: partners import the same GTD/ACLED rows
    # under their own markings, and one partner's rows must not hide another's.
    __table_args__ = (UniqueConstraint("owner_partner_id", "eventid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    eventid: Mapped[str | None] = mapped_column(String(20))
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    iyear: Mapped[int] = mapped_column(Integer, index=True)
    imonth: Mapped[int] = mapped_column(Integer, default=0)
    iday: Mapped[int] = mapped_column(Integer, default=0)
    country_txt: Mapped[str] = mapped_column(String(100))
    region_txt: Mapped[str] = mapped_column(String(100), default="")
    provstate: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    attacktype1_txt: Mapped[str] = mapped_column(String(100), default="")
    targtype1: Mapped[int | None] = mapped_column(Integer)
    targtype1_txt: Mapped[str] = mapped_column(String(100), default="")
    weaptype1_txt: Mapped[str] = mapped_column(String(100), default="")
    gname: Mapped[str] = mapped_column(String(300), default="")
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    nkill: Mapped[int | None] = mapped_column(Integer)
    nkillter: Mapped[int | None] = mapped_column(Integer)
    nwound: Mapped[int | None] = mapped_column(Integer)
    success: Mapped[bool | None] = mapped_column(Boolean)
    suicide: Mapped[bool | None] = mapped_column(Boolean)
    claimed: Mapped[bool | None] = mapped_column(Boolean)
    doubtterr: Mapped[bool | None] = mapped_column(Boolean)
    crit1: Mapped[bool | None] = mapped_column(Boolean)
    crit2: Mapped[bool | None] = mapped_column(Boolean)
    crit3: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class IncidentSource(Base):
    __tablename__ = "incident_sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    published_on: Mapped[dt.date | None] = mapped_column(Date)


class Flow(Base):
    """An aggregate foreign-fighter flow: counts only, never a person."""

    __tablename__ = "flows"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    origin_country: Mapped[str] = mapped_column(String(2))
    destination: Mapped[str] = mapped_column(String(100))
    direction: Mapped[str] = mapped_column(String(20))
    transit_country: Mapped[str | None] = mapped_column(String(2))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Crisis(Base):
    __tablename__ = "crises"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    activated_by: Mapped[str] = mapped_column(String(100))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    debrief: Mapped[str | None] = mapped_column(Text)
    # Added in 0005: the bank's channel before activation (restored at expiry or close),
    # when the crisis expired, and who closed it.
    prior_channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    expired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))


class IncidentStatement(Base):
    """A partner's public statement on an incident, or its record that it made none.

    ``eventid`` (the incident's GTD id) is how the statement finds the incident on
    every node, its own and its peers'; ``incident_id`` is the row it was recorded
    on here (None for one received from a peer). A statement received from a peer
    has no local speaker (``partner_id`` None): ``speaker`` is the name it gave.
    ``sync_seq`` is the TAXII feed's cursor (``accord.incidents.statements``).
    """

    __tablename__ = "incident_statements"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    eventid: Mapped[str | None] = mapped_column(String(20), index=True)
    incident_date: Mapped[dt.date | None] = mapped_column(Date)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    speaker: Mapped[str] = mapped_column(String(200))
    speaker_ref: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    spoken_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    language: Mapped[str | None] = mapped_column(String(35))
    url: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str] = mapped_column(Text, default="")
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    tlp: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    origin: Mapped[str | None] = mapped_column(String(200))
    stix_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    contributor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sync_seq: Mapped[int] = mapped_column(Integer, index=True)
