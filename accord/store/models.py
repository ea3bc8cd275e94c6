"""SQLAlchemy 2 tables for every entity in DESIGN.md section 4.

ORM rows stay inside ``accord.store`` and the service modules; edges (CLI,
API, web) only ever see the frozen records in ``accord.store.records``.

No table holds data about content subjects or platform users: a match keeps
the caller's opaque reference only, and the only people Accord knows are its
own members (partner staff who sign in).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can diff on every backend."""

    metadata = MetaData(naming_convention=NAMING)


# --- sharing: partners, members, keys, channels -----------------------------------


class Partner(Base):
    __tablename__ = "partners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Added in 0005: the partner agreed to be named in transparency reports.
    report_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Channel(Base):
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ChannelMember(Base):
    __tablename__ = "channel_members"
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id"), primary_key=True, index=True
    )
    joined_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


# --- banks, entities, signals, opinions -----------------------------------------


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Entity(Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("signal_id", "partner_id"),)


# --- matching and review ----------------------------------------------------------


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
    # Added in 0002: the delivery worker's poll for due deliveries.
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)


# --- incidents, flows, crises ----------------------------------------------------


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


# --- cooperation: designation policy, liaison, requests, programmes --------------


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


# --- federation -----------------------------------------------------------------


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


# --- audit ----------------------------------------------------------------------


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


class AuditHead(Base):
    """A single row holding the chain's tip; locking it serialises appends."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
