"""Bodies of the incident, flow, crisis and report routes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from accord.api.schemas import Body
from accord.incidents.records import Incident

# An incident goes out as the core's own record: the same fields, one definition.
IncidentOut = Incident


class IncidentPage(BaseModel):
    """A page of incidents; pass ``next_after`` as ``after`` for the next one."""

    incidents: list[IncidentOut]
    next_after: int | None


class RowErrorOut(BaseModel):
    """Why one row was not imported (the header is row 1)."""

    row: int
    message: str


class ImportOut(BaseModel):
    """What an import did."""

    imported: int
    skipped_duplicates: int
    refused: int
    dropped_columns: list[str]
    errors: list[RowErrorOut]
    excluded_event_types: dict[str, int] = Field(
        default_factory=dict, description="ACLED rows left out by event type")


class SourceCreate(Body):
    """A source of an incident."""

    kind: str = Field(max_length=40)
    published_on: dt.date | None = None


class SourceOut(BaseModel):
    """A source of an incident."""

    id: int
    incident_id: int
    kind: str
    published_on: dt.date | None


class FlowOut(BaseModel):
    """An aggregate flow; ``count`` is null when suppressed (under 5)."""

    id: int
    owner_partner_id: int
    tlp: str
    channel_id: int | None
    origin_country: str
    destination: str
    direction: str
    transit_country: str | None
    entity_id: int | None
    period_start: dt.date
    period_end: dt.date
    count: int | None
    suppressed: bool
    confidence: str
    source: str


class CrisisCreate(Body):
    """A crisis activation on an incident."""

    incident_id: int = Field(ge=1, le=2**31 - 1)
    bank: str = Field(max_length=100)
    channel: str = Field(max_length=200)
    criteria: list[str] = Field(max_length=10)
    hours: float | None = Field(default=None, gt=0, le=10_000)


class CrisisClose(Body):
    """The debrief that closes a crisis."""

    debrief: str = Field(max_length=20_000)


class CrisisOut(BaseModel):
    """A crisis activation."""

    id: int
    incident_id: int
    criteria: list[str]
    activated_by: str | None
    bank_id: int | None
    channel_id: int | None
    started_at: dt.datetime
    expires_at: dt.datetime
    expired_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_by: str | None
    debrief: str | None
    state: str


class StatementCreate(Body):
    """A partner's own public statement on an incident, or (kind ``none``) that it made
    none. ``partner`` defaults to the caller's."""

    kind: str = Field(max_length=40, description="condemnation, condolence, concern, other "
                      "or none")
    spoken_at: dt.datetime | None = Field(None, description="When it was made (with a zone)")
    language: str | None = Field(None, max_length=35, description="BCP 47 tag, e.g. zh-Hans")
    url: str | None = Field(None, max_length=2000, description="Its public address")
    text: str = Field("", max_length=1000, description="A short summary (no personal data)")
    partner: str | None = Field(None, max_length=200)
    tlp: str | None = Field(None, max_length=20)
    channel: str | None = Field(None, max_length=200)


class StatementOut(BaseModel):
    """A statement, with the hours from the start of the incident's day (UTC)."""

    id: int
    incident_id: int | None
    eventid: str | None
    speaker: str
    kind: str
    spoken_at: dt.datetime | None
    language: str | None
    url: str | None
    text: str
    tlp: str
    channel_id: int | None
    origin: str | None
    recorded_at: dt.datetime
    hours_after: float | None
