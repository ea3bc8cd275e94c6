"""Foreign-fighter flows: aggregate counts only, never a person.

A flow is a count of people moving from an origin country to a destination
(outbound, return or transit) for a group in a period, with a confidence and
a source. There is no field for a person. A file whose columns look like
personal identifiers is refused whole, and counts under the suppression
threshold (5 at least) are never shown: ``shown_count`` is the one gate every
output (API, reports, charts, exports) goes through.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from accord import audit
from accord.errors import Invalid, trimmed
from accord.incidents.records import Flow, ImportReport
from accord.incidents.service import Sharing, resolve_sharing
from accord.incidents.tables import RowError, Table
from accord.safeguards.free_text import TextChecker
from accord.sharing.roles import Actor
from accord.sharing.visibility import actor_visible_clause
from accord.store import models as m
from accord.store.database import Database

REQUIRED = ("origin_country", "destination", "direction", "period_start", "period_end",
            "count", "confidence")
OPTIONAL = ("transit_country", "group", "source")
DIRECTIONS = ("outbound", "return", "transit")
CONFIDENCES = ("low", "medium", "high")
MIN_SUPPRESSION = 5
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Column-name words that say the file is about individuals.
_PERSONAL_WORDS = frozenset({
    "name", "names", "surname", "forename", "firstname", "lastname", "fullname", "alias",
    "passport", "dob", "birth", "birthdate", "birthday", "phone", "mobile", "telephone",
    "email", "mail", "address", "ssn", "person", "individual", "gender", "sex", "age",
    "nationalid", "idnumber", "photo", "fingerprint", "biometric",
})
_GROUP_WORDS = frozenset({"group", "entity", "organisation", "organization"})


def personal_columns(header: list[str]) -> list[str]:
    """The columns whose names look like personal identifiers (name, passport, date of
    birth, phone...); a group's name ("group_name") is not one."""
    found = []
    for column in header:
        words = [w for w in re.split(r"[^a-z0-9]+", column.lower()) if w]
        joined = "".join(words)
        personal = any(w in _PERSONAL_WORDS for w in words) or joined in _PERSONAL_WORDS \
            or "dateofbirth" in joined or "passport" in joined
        if personal and not _GROUP_WORDS.intersection(words):
            found.append(column)
    return found


def check_header(header: list[str]) -> None:
    """``Invalid`` for a file about persons, or one without the flow columns."""
    personal = personal_columns(header)
    if personal:
        raise Invalid("refused: the column(s) {personal} look like personal identifiers; flows "
                      "are aggregate counts only",
                      hint="remove every column about individuals and send counts per origin, "
                           "destination, direction, group and period",
                      personal=", ".join(trimmed(c, 30) for c in personal))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid("the flow file lacks the column(s) {missing}", hint="columns: {required}",
                      missing=", ".join(missing), required=", ".join(REQUIRED + OPTIONAL))


def _country(value: str, what: str) -> str:
    code = value.strip().upper()
    if not _COUNTRY.match(code):
        raise Invalid("{what} {value} is not an ISO 3166-1 alpha-2 code", what=what,
                      value=trimmed(value))
    return code


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("{what} {value} is not a date (YYYY-MM-DD)", what=what,
                      value=trimmed(value)) from None


def _choice(value: str, choices: tuple[str, ...], what: str) -> str:
    key = value.strip().lower()
    if key not in choices:
        raise Invalid("{what} {value} is not one of {choices}", what=what, value=trimmed(value),
                      choices=", ".join(choices))
    return key


class _Groups:
    """Resolves a group column to an entity by ref, name or alias (cached), and checks
    free text for personal data (entity and partner names exempt, as in cooperation)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, int] = {}
        self.texts = TextChecker(session)

    def checked(self, field: str, text: str, *, place: bool = False) -> str:
        """``text``, or ``PersonalDataFound`` when it looks like data on a person."""
        return self.texts.check(field, text, place=place)

    def resolve(self, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if text not in self.cache:
            entity = self.session.execute(select(m.Entity.id).where(or_(
                m.Entity.ref == text, m.Entity.name == text,
                m.Entity.id.in_(select(m.EntityAlias.entity_id).where(
                    m.EntityAlias.name == text))))).scalars().first()
            if entity is None:
                raise Invalid("group {text} is not a known entity",
                              hint="add it first: accord entity import, or leave group empty",
                              text=trimmed(text))
            self.cache[text] = entity
        return self.cache[text]


def _read(at: dict[str, int], row: list[str], groups: _Groups) -> dict[str, Any]:
    if len(row) != len(at):
        raise Invalid("the row has {row_count} fields, the header has {at_count}",
                      row_count=len(row), at_count=len(at))

    def get(name: str) -> str:
        return row[at[name]].strip() if name in at else ""

    start, end = _date(get("period_start"), "period_start"), _date(get("period_end"),
                                                                    "period_end")
    if end < start:
        raise Invalid("period_end {end} is before period_start {start}", end=end, start=start)
    if end > dt.datetime.now(dt.UTC).date():
        raise Invalid("period_end {end} is in the future", end=end)
    try:
        count = int(get("count"))
    except ValueError:
        raise Invalid("count {get} is not a whole number", get=trimmed(get('count'))) from None
    if count < 0:
        raise Invalid("count is negative ({count})", count=count)
    direction = _choice(get("direction"), DIRECTIONS, "direction")
    transit = _country(get("transit_country"), "transit_country") \
        if get("transit_country") else None
    if direction == "transit" and transit is None:
        raise Invalid("a transit flow needs its transit_country")
    destination = get("destination")
    if not destination:
        raise Invalid("destination is empty")
    return {"origin_country": _country(get("origin_country"), "origin_country"),
            "destination": groups.checked("destination", destination[:100], place=True),
            "direction": direction,
            "transit_country": transit, "entity_id": groups.resolve(get("group")),
            "period_start": start, "period_end": end, "count": count,
            "confidence": _choice(get("confidence"), CONFIDENCES, "confidence"),
            "source": groups.checked("source", get("source"))[:300]}


def _rows(table: Table, groups: _Groups) -> Iterator[dict[str, Any] | RowError]:
    at = {name: i for i, name in enumerate(table.header)}
    for number, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield _read(at, row, groups)
        except Invalid as exc:
            yield RowError(number, exc.message, error=exc)


def flow_import(db: Database, actor: Actor, table: Table, sharing: Sharing) -> ImportReport:
    """Import aggregate flows; person-identifying files are refused, bad rows reported."""
    check_header(table.header)
    errors: list[RowError] = []
    with db.transaction() as session:
        shared = resolve_sharing(session, actor, sharing)
        fresh = []
        for item in _rows(table, _Groups(session)):
            if isinstance(item, RowError):
                errors.append(item)
            else:
                fresh.append(m.Flow(**item, **shared))
        session.add_all(fresh)
        session.flush()
        if fresh:
            audit.record(session, actor, audit.AuditAction.FLOW_IMPORT, "flow", "batch", {
                "rows": len(fresh), "first": fresh[0].id, "last": fresh[-1].id,
                "tlp": shared["tlp"], "channel": shared["channel_id"]})
    return ImportReport(len(fresh), tuple(errors[:1000]), (), 0, max(0, len(errors) - 1000))


def shown_count(count: int, threshold: int) -> int | None:
    """``count``, or None when it is under the suppression threshold (never under 5)."""
    return None if count < max(threshold, MIN_SUPPRESSION) else count


@dataclass(frozen=True, slots=True)
class FlowRow:
    """One stored flow's fields that reports aggregate (count not yet suppressed)."""

    origin_country: str
    destination: str
    direction: str
    transit_country: str | None
    period_start: dt.date
    count: int


def _visible(session: Session, actor: Actor) -> Any:
    return select(m.Flow).where(actor_visible_clause(
        session, actor, m.Flow.owner_partner_id, m.Flow.tlp, m.Flow.channel_id))


def flow_list(db: Database, actor: Actor, threshold: int, *, limit: int = 1000) -> list[Flow]:
    """Flows the actor may see, counts under the threshold suppressed."""
    with db.reader() as session:
        rows = session.execute(_visible(session, actor).order_by(m.Flow.id).limit(limit))
        return [Flow(f.id, f.owner_partner_id, f.tlp, f.channel_id, f.origin_country,
                     f.destination, f.direction, f.transit_country, f.entity_id,
                     f.period_start, f.period_end, shown_count(f.count, threshold),
                     shown_count(f.count, threshold) is None, f.confidence, f.source)
                for f in rows.scalars()]


def flow_rows(db: Database, actor: Actor, first_year: int, last_year: int) -> list[FlowRow]:
    """Raw visible flows starting in the years given, for aggregation (core use only:
    callers must pass every count they show through ``shown_count``)."""
    with db.reader() as session:
        query = _visible(session, actor).where(
            m.Flow.period_start >= dt.date(first_year, 1, 1),
            m.Flow.period_start <= dt.date(last_year, 12, 31))
        return [FlowRow(f.origin_country, f.destination, f.direction, f.transit_country,
                        f.period_start, f.count) for f in session.execute(query).scalars()]
