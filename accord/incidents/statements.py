"""Public statements on incidents: who spoke, when, in what kind of words; facts only.

A partner records its own public statement on an incident (a condemnation,
condolence, statement of concern or other), with when it was made, its
language (a BCP 47 tag) and a public URL, or records that it has made none.
Accord never ranks or scores them: it shows whether and when each partner
spoke and the hours from the incident to the statement.

Rules:

- A partner records only its own statements (``actor.require_partner``), on an
  incident it may see, as a curator or admin; every record is audited.
- A statement's text passes the personal-data detector (``checked_text``).
- A statement is TLP-marked, never more loosely than its incident (it names the
  incident: it may go no further than the incident may); it defaults to the
  incident's marking and channel.
- Opt-in: a partner's statements are shown to other partners, named in reports
  and sent to peers only while the partner agreed to be named
  (``partners.report_opt_in``, the transparency report's opt-in). It always sees
  its own. A statement received from a peer was sent because its speaker had
  opted in there.
- The clock starts at the start (00:00 UTC) of the incident's day: GTD dates
  incidents, not times. An incident without a full date gives no hours.
- A statement is tied to an incident by its GTD ``eventid`` when it has one, so
  it shows on every copy of the incident (each partner's, each node's).

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import Conflict, Invalid, trimmed
from accord.incidents.service import _visible_incident, visible_incidents
from accord.safeguards.free_text import checked_text
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.service import find_channel, find_partner
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import Purpose, Viewer, viewer_of, visible_clause
from accord.store import models as m
from accord.store.database import Database

TEXT_LIMIT = 1000
_ORDER = list(Tlp)


class Kind(StrEnum):
    """What a partner said, or ``none``: it records that it has made no statement."""

    CONDEMNATION = "condemnation"
    CONDOLENCE = "condolence"
    CONCERN = "concern"
    OTHER = "other"
    NONE = "none"

    @classmethod
    def parse(cls, text: str) -> Kind:
        """``condemnation``, ``condolence``, ``concern`` (or ``statement-of-concern``),
        ``other`` or ``none``."""
        key = text.strip().lower().replace("_", "-").replace(" ", "-")
        key = {"statement-of-concern": "concern", "no-statement": "none"}.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise Invalid("statement kind {text} is not known", hint="use one of {kind}",
                          text=trimmed(text), kind=", ".join(k.value for k in cls)) from None


SPOKEN = tuple(k for k in Kind if k is not Kind.NONE)


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement record as it leaves the core."""

    id: int
    incident_id: int | None
    eventid: str | None
    incident_date: dt.date | None
    partner_id: int | None
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

    @property
    def hours_after(self) -> float | None:
        """Hours from the start of the incident's day (UTC) to the statement."""
        return hours_between(self.incident_date, self.spoken_at)


def hours_between(day: dt.date | None, when: dt.datetime | None) -> float | None:
    """Hours from 00:00 UTC of ``day`` to ``when``, to one decimal (None if either is)."""
    if day is None or when is None:
        return None
    start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return round((when - start).total_seconds() / 3600, 1)


def record_of(row: m.IncidentStatement) -> Statement:
    """The record of a stored statement."""
    return Statement(row.id, row.incident_id, row.eventid, row.incident_date, row.partner_id,
                     row.speaker, row.kind, row.spoken_at, row.language, row.url, row.text,
                     row.tlp, row.channel_id, row.origin, row.recorded_at)


# -- Checking input -----------------------------------------------------------------------

# RFC 5646 well-formed tags (language, script, region, variants, extensions, private use).
_BCP47 = re.compile(
    r"^(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|\d{3}))?"
    r"(?P<rest>(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*"
    r"(?:-x(?:-[a-z\d]{1,8})+)?)$", re.IGNORECASE)


def language_tag(text: str) -> str:
    """A well-formed BCP 47 tag in its canonical case (``zh-Hans-CN``); ``Invalid`` otherwise."""
    tag = text.strip().replace("_", "-")
    found = _BCP47.match(tag) if len(tag) <= 35 else None
    if found is None:
        raise Invalid("language {text} is not a BCP 47 language tag",
                      hint="e.g. en, zh-Hans, ar, fr-FR, es-419", text=trimmed(text))
    parts = [found["language"].lower()]
    if found["script"]:
        parts.append(found["script"].title())
    if found["region"]:
        parts.append(found["region"].upper())
    rest = found["rest"].lower()
    return "-".join(parts) + rest


def public_url(text: str) -> str:
    """An absolute http(s) URL, at most 2,000 characters; ``Invalid`` otherwise."""
    url = text.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or len(url) > 2000 or any(c.isspace() or ord(c) < 32 for c in url)):
        raise Invalid("URL {url} is not a public http(s) address",
                      hint="give the address where the statement is published, e.g. "
                           "https://www.example.gov/press/2026-03-14", url=trimmed(url))
    if parts.username or parts.password:
        raise Invalid("the URL carries a user name or password", hint="give the public address")
    return url


def incident_day(incident: m.Incident) -> dt.date | None:
    """The incident's date (None when GTD gives no month or day)."""
    if not incident.imonth or not incident.iday:
        return None
    try:
        return dt.date(incident.iyear, incident.imonth, incident.iday)
    except ValueError:
        return None


def _spoken_at(when: dt.datetime, day: dt.date | None) -> dt.datetime:
    if when.tzinfo is None:
        raise Invalid("the statement time {when} names no time zone",
                      hint="give it in UTC, e.g. 2026-03-14T09:30:00Z", when=when.isoformat())
    when = when.astimezone(dt.UTC)
    if when > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
        raise Invalid("the statement time {when} is in the future", when=when.isoformat())
    if day is not None and when.date() < day - dt.timedelta(days=1):
        raise Invalid("the statement time {when} is before the incident ({day})",
                      when=when.isoformat(), day=day.isoformat())
    return when


def _marking(session: Session, incident: m.Incident, partner: m.Partner, tlp: str | None,
             channel: str | int | None) -> tuple[str, int | None]:
    """The statement's TLP and channel: the incident's unless given, never looser."""
    marked = Tlp.parse(tlp) if tlp else Tlp(incident.tlp)
    floor = Tlp(incident.tlp)
    if _ORDER.index(marked) < _ORDER.index(floor):
        raise Invalid("a statement on a TLP:{floor} incident may not be marked TLP:{marked}",
                      hint="a statement names its incident: mark it at least as strictly",
                      floor=floor.value, marked=marked.value)
    if marked not in (Tlp.AMBER, Tlp.AMBER_STRICT):
        return marked.value, None
    if floor in (Tlp.AMBER, Tlp.AMBER_STRICT) and incident.channel_id is not None:
        return marked.value, incident.channel_id  # where the incident is shared, no further
    if channel is None:
        return marked.value, incident.channel_id
    found = find_channel(session, channel)
    if session.get(m.ChannelMember, (found.id, partner.id)) is None:
        raise Invalid("partner {name!r} is not a member of channel {found_name!r}",
                      name=partner.name, found_name=found.name)
    return marked.value, found.id


# -- Recording ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Said:
    """What a partner records: the kind, when, language, URL and a short text."""

    kind: str
    spoken_at: dt.datetime | None = None
    language: str | None = None
    url: str | None = None
    text: str = ""


def _incident(session: Session, actor: Actor, incident_id: int) -> m.Incident:
    return _visible_incident(session, actor, incident_id)  # the one home of the rule


def _same_event(incident: m.Incident) -> ColumnElement[bool]:
    """Statements about ``incident``: recorded on it, or on any copy of its eventid."""
    if incident.eventid:
        return or_(m.IncidentStatement.incident_id == incident.id,
                   m.IncidentStatement.eventid == incident.eventid)
    return m.IncidentStatement.incident_id == incident.id


def next_seq(session: Session) -> int:
    """The next statement cursor number; taken after the audit head is locked (an audit
    event is recorded first), so numbers come in commit order."""
    top = session.execute(select(func.max(m.IncidentStatement.sync_seq))).scalar()
    return int(top or 0) + 1


def renumber_statements(session: Session, partner_id: int) -> None:
    """Give the partner's own statements new cursor numbers (in the transaction that
    changed its opt-in, after its audit event): peers past them receive them again."""
    rows = session.execute(select(m.IncidentStatement).where(
        m.IncidentStatement.partner_id == partner_id, m.IncidentStatement.origin.is_(None))
        .order_by(m.IncidentStatement.sync_seq)).scalars().all()
    seq = next_seq(session)
    for offset, row in enumerate(rows):
        row.sync_seq = seq + offset
        row.updated_at = m.utcnow()


def statement_add(db: Database, actor: Actor, incident_id: int, partner: str | int,
                  said: Said, *, tlp: str | None = None, channel: str | int | None = None
                  ) -> Statement:
    """Record ``partner``'s own statement on an incident (or, kind ``none``, that it made
    none as of now). Only the partner's own members (or the operator) may."""
    kind = Kind.parse(said.kind)
    with db.transaction() as session:
        speaker = find_partner(session, partner)
        actor.require_partner(speaker.id, "record statements for this partner")
        actor.require(CAN_CURATE, "record statements")
        incident = _incident(session, actor, incident_id)
        day = incident_day(incident)
        fields = _fields(session, kind, said, day)
        marking = _marking(session, incident, speaker, tlp, channel)
        _check_new(session, incident, speaker.id, kind, fields.get("spoken_at"))
        row = m.IncidentStatement(
            incident_id=incident.id, eventid=incident.eventid, incident_date=day,
            partner_id=speaker.id, speaker=speaker.name, kind=kind.value, **fields,
            owner_partner_id=speaker.id, tlp=marking[0], channel_id=marking[1],
            contributor=actor.name, sync_seq=0)
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.INCIDENT_STATEMENT_ADD,
                     "incident_statement", row.id, {
                         "incident": incident.id, "partner": speaker.id, "kind": kind.value,
                         "spoken_at": row.spoken_at, "language": row.language,
                         "url": row.url, "tlp": row.tlp, "channel": row.channel_id})
        row.sync_seq = next_seq(session)
        session.flush()
        return record_of(row)


def _fields(session: Session, kind: Kind, said: Said, day: dt.date | None) -> dict[str, Any]:
    text = checked_text(session, "statement text", said.text, limit=TEXT_LIMIT)
    if kind is Kind.NONE:
        if said.spoken_at or said.url or said.language:
            raise Invalid("a record of no statement has no time, language or URL",
                          hint="record the statement itself with its kind instead")
        return {"spoken_at": None, "language": None, "url": None, "text": text}
    if said.spoken_at is None or not said.url or not said.language:
        raise Invalid("a {kind} needs the time it was made, its language and its public URL",
                      hint="or record that no statement was made (kind none)", kind=kind.value)
    return {"spoken_at": _spoken_at(said.spoken_at, day), "language": language_tag(said.language),
            "url": public_url(said.url), "text": text}


def _check_new(session: Session, incident: m.Incident, partner_id: int, kind: Kind,
               spoken_at: dt.datetime | None) -> None:
    held = session.execute(select(m.IncidentStatement.kind, m.IncidentStatement.spoken_at).where(
        _same_event(incident), m.IncidentStatement.partner_id == partner_id)).all()
    if kind is Kind.NONE and any(k != Kind.NONE.value for k, _ in held):
        raise Conflict("your partner has recorded a statement on this incident",
                       hint="a record of no statement is for a partner that has made none")
    if any(k == kind.value and w == spoken_at for k, w in held):
        if kind is Kind.NONE:
            raise Conflict("your partner's record of no statement is already there")
        raise Conflict("this {kind} is already recorded", kind=kind.value)


# -- Reading ------------------------------------------------------------------------------


def shown_clause(viewer: Viewer, purpose: Purpose = Purpose.VIEW) -> ColumnElement[bool]:
    """Statements ``viewer`` may see for ``purpose``: the visibility rule on the
    statement's marking, and a partner's own statements to others only with its opt-in."""
    opted = select(m.Partner.id).where(m.Partner.report_opt_in).scalar_subquery()
    named = or_(m.IncidentStatement.partner_id.is_(None),
                m.IncidentStatement.partner_id.in_(opted))
    if viewer.partner_id is not None:
        named = or_(named, m.IncidentStatement.partner_id == viewer.partner_id)
    elif viewer.is_operator and purpose is Purpose.VIEW:
        named = or_(named, m.IncidentStatement.partner_id.is_not(None))
    return visible_clause(viewer, m.IncidentStatement.owner_partner_id,
                          m.IncidentStatement.tlp, m.IncidentStatement.channel_id,
                          purpose) & named


def _visible(session: Session, actor: Actor) -> Select[Any]:
    return select(m.IncidentStatement).where(shown_clause(viewer_of(session, actor)))


def statement_list(db: Database, actor: Actor, incident_id: int) -> list[Statement]:
    """The statements on an incident that ``actor`` may see, by time (none-records last)."""
    with db.reader() as session:
        incident = _incident(session, actor, incident_id)
        rows = session.execute(_visible(session, actor).where(_same_event(incident))
                               .order_by(m.IncidentStatement.spoken_at.is_(None),
                                         m.IncidentStatement.spoken_at,
                                         m.IncidentStatement.id)).scalars()
        day = incident_day(incident)
        return [_dated(record_of(r), day) for r in rows]


def _dated(record: Statement, day: dt.date | None) -> Statement:
    """The record with this node's incident date (a received one may lack it)."""
    if day is None or record.incident_date == day:
        return record
    return replace(record, incident_date=day)


# -- Facts for the incident page and the report --------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnerFacts:
    """One partner on one incident: whether and when it spoke. Facts, never a score."""

    partner: str
    status: str  # "spoke", "none" (it recorded that it made none) or "not-recorded"
    first_at: dt.datetime | None
    hours_after: float | None
    kinds: tuple[str, ...]
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """The statement facts of one incident."""

    incident_id: int
    eventid: str | None
    date: dt.date | None
    place: str
    partners: tuple[PartnerFacts, ...]


def partner_facts(statements: Iterable[Statement], opted_in: Iterable[str]
                  ) -> tuple[PartnerFacts, ...]:
    """Per speaker (every opted-in partner of the node, and each speaker received from
    peers), by name: spoke or not, first time, hours after the incident, kinds."""
    by_speaker: dict[tuple[str, str | None], list[Statement]] = {}
    for s in statements:
        by_speaker.setdefault((s.speaker, s.origin), []).append(s)
    for name in opted_in:
        by_speaker.setdefault((name, None), [])
    facts = []
    for (name, origin), said in sorted(by_speaker.items(), key=lambda i: (i[0][0], i[0][1] or "")):
        spoken = sorted((s for s in said if s.spoken_at is not None),
                        key=lambda s: s.spoken_at or dt.datetime.min)
        if spoken:
            first = spoken[0]
            facts.append(PartnerFacts(name, "spoke", first.spoken_at, first.hours_after,
                                      tuple(dict.fromkeys(s.kind for s in spoken)), origin))
        else:
            status = "none" if said else "not-recorded"
            facts.append(PartnerFacts(name, status, None, None, (), origin))
    return tuple(facts)


def statement_facts(db: Database, actor: Actor, incident_ids: Iterable[int]
                    ) -> list[IncidentFacts]:
    """Facts for each incident ``actor`` may see among ``incident_ids`` that has a statement
    it may see, in id order. Only partners that opted in are named."""
    wanted = sorted(set(incident_ids))
    found: list[IncidentFacts] = []
    with db.reader() as session:
        opted = list(session.execute(select(m.Partner.name).where(m.Partner.report_opt_in)
                                     .order_by(m.Partner.name)).scalars())
        visible = _visible(session, actor)
        for start in range(0, len(wanted), 500):
            incidents = session.execute(visible_incidents(session, actor).where(
                m.Incident.id.in_(wanted[start:start + 500])).order_by(m.Incident.id)).scalars()
            for incident in incidents:
                rows = session.execute(visible.where(_same_event(incident))).scalars().all()
                if not rows:
                    continue
                day = incident_day(incident)
                said = [_dated(record_of(r), day) for r in rows if _named(r, opted)]
                place = ", ".join(p for p in (incident.city, incident.provstate,
                                              incident.country_txt) if p)
                found.append(IncidentFacts(incident.id, incident.eventid, day, place,
                                           partner_facts(said, opted)))
    return found


def _named(row: m.IncidentStatement, opted: list[str]) -> bool:
    """Whether a report may name the statement's speaker (opted in, or received)."""
    return row.partner_id is None or row.speaker in opted


def statement_incidents(db: Database, actor: Actor) -> list[int]:
    """Ids of the incidents ``actor`` may see that carry a statement it may see."""
    with db.reader() as session:
        rows = session.execute(_visible(session, actor).with_only_columns(
            m.IncidentStatement.incident_id, m.IncidentStatement.eventid)).all()
        ids = {i for i, _ in rows if i is not None}
        events = sorted({e for _, e in rows if e})
        for start in range(0, len(events), 500):
            ids.update(session.execute(visible_incidents(session, actor).where(
                m.Incident.eventid.in_(events[start:start + 500]))
                .with_only_columns(m.Incident.id)).scalars())
        visible = set(session.execute(visible_incidents(session, actor).where(
            m.Incident.id.in_(sorted(ids))).with_only_columns(m.Incident.id)).scalars())
    return sorted(visible)

