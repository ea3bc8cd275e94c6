"""Incidents: import, add, read, and their sources. Every change is audited.

Incidents carry a TLP and a channel like signals, and reads go through the
one visibility rule (``accord.sharing.visibility``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import Conflict, Invalid, NotFound, trimmed
from accord.incidents import acled, gtd
from accord.incidents import codebook as cb
from accord.incidents.records import ImportReport, Incident, Source
from accord.incidents.tables import RowError, Table
from accord.safeguards.free_text import TextChecker
from accord.sharing.roles import CAN_CURATE, Actor
from accord.sharing.service import find_channel_for, find_partner
from accord.sharing.tlp import Tlp
from accord.sharing.visibility import actor_visible_clause
from accord.store import models as m
from accord.store.bulk import append_rows, utc_for_driver
from accord.store.database import Database

MAX_REPORTED_ERRORS = 1000
_FIELDS = [f.name for f in dataclasses.fields(Incident)]
Progress = Callable[[int], None]


@dataclasses.dataclass(frozen=True, slots=True)
class Sharing:
    """Whose incidents these are and how they are shared."""

    owner: str | int
    tlp: str = "AMBER"
    channel: str | int | None = None


def incident_record(row: m.Incident) -> Incident:
    """The record for an ORM row."""
    return Incident(*(getattr(row, name) for name in _FIELDS))


def rows_of(table: Table, event_types: Iterable[str] | None = None,
            excluded: Counter[str] | None = None,
            ) -> tuple[Iterator[dict[str, Any] | RowError], list[str]]:
    """Checked rows of a GTD or ACLED table, and the person-naming columns dropped.

    ACLED rows of event types not in ``event_types`` (default: its violent events)
    are left out and counted in ``excluded``.
    """
    if acled.is_acled(table.header):
        acled.check_header(table.header)
        kept = acled.event_types(event_types)
        return acled.read_rows(table, kept, excluded), [c for c in table.header if c == "notes"]
    dropped = gtd.check_header(table.header)
    return gtd.read_rows(table), dropped


def resolve_sharing(session: Session, actor: Actor, sharing: Sharing) -> dict[str, Any]:
    partner = find_partner(session, sharing.owner)
    actor.require_partner(partner.id, "add incidents for this partner")
    actor.require(CAN_CURATE, "add incidents")
    tlp = Tlp.parse(sharing.tlp)
    channel_id = None
    if sharing.channel is not None:
        channel = find_channel_for(session, actor, sharing.channel)
        if session.get(m.ChannelMember, (channel.id, partner.id)) is None:
            raise Invalid("partner {name!r} is not a member of channel {channel_name!r}",
                          name=partner.name, channel_name=channel.name)
        channel_id = channel.id
    return {"owner_partner_id": partner.id, "tlp": tlp.value, "channel_id": channel_id}


def _known_eventids(session: Session, owner: int, ids: list[str]) -> set[str]:
    """Which of ``ids`` the partner ``owner`` already holds (other partners' incidents,
    which it may not see, never count)."""
    found: set[str] = set()
    for start in range(0, len(ids), 5000):
        found.update(e for e in session.execute(select(m.Incident.eventid).where(
            m.Incident.owner_partner_id == owner,
            m.Incident.eventid.in_(ids[start:start + 5000]))).scalars() if e is not None)
    return found


def entity_names(session: Session) -> dict[str, int]:
    """Entity names and aliases (case-folded) to entity ids, for linking ``gname``."""
    names = {name.casefold(): i for i, name in session.execute(
        select(m.Entity.id, m.Entity.name))}
    for i, alias in session.execute(select(m.EntityAlias.entity_id, m.EntityAlias.name)):
        names.setdefault(alias.casefold(), i)
    return names


def _write_batch(session: Session, actor: Actor, shared: dict[str, Any],
                 batch: list[dict[str, Any]]) -> tuple[int, int]:
    """Insert one batch, skipping eventids already stored; (inserted, skipped)."""
    ids = [r["eventid"] for r in batch if r["eventid"]]
    known = _known_eventids(session, shared["owner_partner_id"], ids) if ids else set()
    seen: set[str] = set()
    fresh = []
    groups = entity_names(session)
    now = utc_for_driver(session, m.utcnow())
    for row in batch:
        eid = row["eventid"]
        if eid and (eid in known or eid in seen):
            continue
        if eid:
            seen.add(eid)
        entity = groups.get(row["gname"].casefold()) if row["gname"] else None
        fresh.append({**row, **shared, "entity_id": entity, "created_at": now})
    if fresh:
        names = list(fresh[0])
        append_rows(session, "incidents", names, [tuple(r[n] for n in names) for r in fresh])
        audit.record(session, actor, audit.AuditAction.INCIDENT_IMPORT, "incident", "batch", {
            "rows": len(fresh), "first_eventid": fresh[0]["eventid"],
            "last_eventid": fresh[-1]["eventid"], "tlp": shared["tlp"],
            "channel": shared["channel_id"]})
    return len(fresh), len(batch) - len(fresh)


# Free-text columns of an incident, by the field name a refusal gives (place or group
# names: see ``accord.safeguards.names.find_names``).
PLACE_FIELDS = {"city": "city", "provstate": "province", "gname": "group name"}


def checked_places(texts: TextChecker, row: dict[str, Any]) -> None:
    """Refuse an incident whose city, province or group name holds personal data."""
    for column, field in PLACE_FIELDS.items():
        if row.get(column):
            row[column] = texts.check(field, row[column], place=True)


def _numbered(table: Table, current: list[int]) -> Table:
    """``table`` whose rows note, in ``current[0]``, the number of the row last read."""
    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in table.rows:
            current[0] = number
            yield number, row
    return dataclasses.replace(table, rows=rows())


def incident_import(
    db: Database, actor: Actor, table: Table, sharing: Sharing, *,
    batch_size: int = 50_000, progress: Progress | None = None,
    event_types: Iterable[str] | None = None,
) -> ImportReport:
    """Import a GTD or ACLED table; bad rows are reported by row and the rest imported.

    Rows whose ``eventid`` the owning partner already holds are skipped
    (re-running an import is safe); other partners' incidents never count.
    GTD's person-naming free-text columns are never read. ACLED rows are kept
    for ``event_types`` only (default ``acled.DEFAULT_EVENT_TYPES``, its violent
    events); the others are counted by type in the report.
    """
    excluded: Counter[str] = Counter()
    current = [0]
    rows, dropped = rows_of(_numbered(table, current), event_types, excluded)
    with db.reader() as session:
        shared = resolve_sharing(session, actor, sharing)
        texts = TextChecker(session).ready()
    errors: list[RowError] = []
    more = imported = skipped = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal imported, skipped
        with db.transaction() as session:
            done, dup = _write_batch(session, actor, shared, batch)
        imported, skipped = imported + done, skipped + dup
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for item in rows:
        if not isinstance(item, RowError):
            try:
                checked_places(texts, item)
            except Invalid as exc:
                item = RowError(current[0], exc.message, error=exc)
        if isinstance(item, RowError):
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(item)
            else:
                more += 1
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return ImportReport(imported, tuple(errors), tuple(dropped), skipped, more,
                        tuple(sorted(excluded.items())))


def incident_add(db: Database, actor: Actor, fields: dict[str, str], sharing: Sharing
                 ) -> Incident:
    """Add one incident from GTD-named fields (strings, as a form or CSV gives them)."""
    header = sorted(fields)
    gtd.check_header(header)
    row = gtd.GtdRowReader(header).read([str(fields[h]) for h in header])
    with db.transaction() as session:
        checked_places(TextChecker(session), row)
        shared = resolve_sharing(session, actor, sharing)
        if row["eventid"] and _known_eventids(session, shared["owner_partner_id"],
                                              [row["eventid"]]):
            raise Conflict("your partner already has an incident with eventid {row!r}",
                           row=row['eventid'])
        entity = entity_names(session).get(row["gname"].casefold()) if row["gname"] else None
        added = m.Incident(**row, **shared, entity_id=entity)
        session.add(added)
        session.flush()
        audit.record(session, actor, audit.AuditAction.INCIDENT_ADD, "incident", added.id,
                     {"eventid": added.eventid, "tlp": added.tlp, "channel": added.channel_id})
        return incident_record(added)


def visible_incidents(session: Session, actor: Actor) -> Select[Any]:
    """A query over the incidents ``actor`` may see."""
    return select(m.Incident).where(actor_visible_clause(
        session, actor, m.Incident.owner_partner_id, m.Incident.tlp, m.Incident.channel_id))


@dataclasses.dataclass(frozen=True, slots=True)
class Scope:
    """Which incidents: a country, region or province, and years (inclusive)."""

    country: str | None = None
    region: str | None = None
    province: str | None = None
    first_year: int | None = None
    last_year: int | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        """``query`` narrowed to this scope."""
        if self.country:
            query = query.where(m.Incident.country_txt == self.country)
        if self.region:
            query = query.where(m.Incident.region_txt == self.region)
        if self.province:
            query = query.where(m.Incident.provstate == self.province)
        if self.first_year is not None:
            query = query.where(m.Incident.iyear >= self.first_year)
        if self.last_year is not None:
            query = query.where(m.Incident.iyear <= self.last_year)
        return query

    def describe(self) -> str:
        """The scope in words."""
        place = ", ".join(p for p in (self.province, self.country, self.region) if p)
        return place or "all places"


def incident_list(db: Database, actor: Actor, scope: Scope = Scope(), *, after_id: int = 0,
                  limit: int = 100) -> list[Incident]:
    """Incidents the actor may see in ``scope``, by id; page with ``after_id``."""
    with db.reader() as session:
        query = scope.apply(visible_incidents(session, actor)).where(m.Incident.id > after_id)
        rows = session.execute(query.order_by(m.Incident.id).limit(limit)).scalars()
        return [incident_record(r) for r in rows]


def _visible_incident(session: Session, actor: Actor, incident_id: int) -> m.Incident:
    query = visible_incidents(session, actor).where(m.Incident.id == incident_id)
    row: m.Incident | None = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound("no incident {incident_id}",
                       hint="list incidents with: accord incidents list", incident_id=incident_id)
    return row


def incident_get(db: Database, actor: Actor, incident_id: int) -> Incident:
    """One incident the actor may see; ``NotFound`` also when it may not (no leak)."""
    with db.reader() as session:
        return incident_record(_visible_incident(session, actor, incident_id))


def source_add(db: Database, actor: Actor, incident_id: int, kind: str,
               published_on: dt.date | None = None) -> Source:
    """Record one source of an incident (its owner's curators, or the operator)."""
    kind = kind.strip().lower().replace("_", "-")
    if kind not in cb.SOURCE_KINDS:
        raise Invalid("source kind {kind} is not known", hint="use one of {source_kinds}",
                      kind=trimmed(kind), source_kinds=", ".join(cb.SOURCE_KINDS))
    if published_on is not None and published_on > dt.datetime.now(dt.UTC).date():
        raise Invalid("source date {published_on} is in the future", published_on=published_on)
    with db.transaction() as session:
        incident = _visible_incident(session, actor, incident_id)
        actor.require_partner(incident.owner_partner_id, "add sources to this incident")
        actor.require(CAN_CURATE, "add incident sources")
        row = m.IncidentSource(incident_id=incident.id, kind=kind, published_on=published_on)
        session.add(row)
        session.flush()
        audit.record(session, actor, audit.AuditAction.INCIDENT_SOURCE_ADD, "incident", incident.id,
                     {"source": row.id, "kind": kind, "published_on": published_on})
        return Source(row.id, row.incident_id, row.kind, row.published_on)


def source_list(db: Database, actor: Actor, incident_id: int) -> list[Source]:
    """The sources of an incident the actor may see."""
    with db.reader() as session:
        incident = _visible_incident(session, actor, incident_id)
        rows = session.execute(select(m.IncidentSource).where(
            m.IncidentSource.incident_id == incident.id).order_by(m.IncidentSource.id)).scalars()
        return [Source(r.id, r.incident_id, r.kind, r.published_on) for r in rows]
