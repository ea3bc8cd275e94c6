"""Frozen records in which incidents, sources, flows and crises leave the core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.incidents.tables import RowError


@dataclass(frozen=True, slots=True)
class Incident:
    """An attack, with GTD field names; no free text that could name a person."""

    id: int
    eventid: str | None
    owner_partner_id: int
    tlp: str
    channel_id: int | None
    iyear: int
    imonth: int
    iday: int
    country_txt: str
    region_txt: str
    provstate: str
    city: str
    latitude: float | None
    longitude: float | None
    attacktype1_txt: str
    targtype1: int | None
    targtype1_txt: str
    weaptype1_txt: str
    gname: str
    entity_id: int | None
    nkill: int | None
    nkillter: int | None
    nwound: int | None
    success: bool | None
    suicide: bool | None
    claimed: bool | None
    doubtterr: bool | None
    crit1: bool | None
    crit2: bool | None
    crit3: bool | None


@dataclass(frozen=True, slots=True)
class Source:
    """One source of an incident: its kind and publication date."""

    id: int
    incident_id: int
    kind: str
    published_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows imported, rows refused (by row), columns dropped."""

    imported: int
    errors: tuple[RowError, ...]
    dropped_columns: tuple[str, ...] = ()
    skipped_duplicates: int = 0
    more_errors: int = 0
    excluded_event_types: tuple[tuple[str, int], ...] = ()
    """ACLED rows left out by the event-type filter: (event type, rows), by type."""

    @property
    def refused(self) -> int:
        """How many rows were refused."""
        return len(self.errors) + self.more_errors

    @property
    def excluded(self) -> int:
        """How many rows the event-type filter left out."""
        return sum(n for _, n in self.excluded_event_types)


@dataclass(frozen=True, slots=True)
class Crisis:
    """A crisis activation on an incident: criteria met, who, when, expiry, debrief.

    What a partner may not know of it is None (``accord.incidents.crisis.crisis_list``).
    """

    id: int
    incident_id: int
    criteria: tuple[str, ...]
    activated_by: str | None
    bank_id: int | None
    channel_id: int | None
    started_at: dt.datetime
    expires_at: dt.datetime
    expired_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_by: str | None
    debrief: str | None

    @property
    def state(self) -> str:
        """``active``, ``expired`` (awaiting its debrief) or ``closed``."""
        if self.closed_at is not None:
            return "closed"
        return "expired" if self.expired_at is not None else "active"


@dataclass(frozen=True, slots=True)
class Flow:
    """An aggregate flow; ``count`` is None when it is under the suppression threshold."""

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
