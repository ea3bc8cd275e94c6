"""TAXII GET objects / manifest / versions, paged by a strictly monotonic cursor.

Every insert or update of a signal gives it the next ``sync_seq`` (database
triggers, in commit order; see migration 0006). A page holds the objects with
``sync_seq`` above the cursor, in that order; ``next`` is the last one's
number, so the next page starts strictly after it. Many objects may share a
timestamp (a bulk import stamps a whole batch with one time); none share a
number, so paging never repeats or skips an object. A changed object (a
retraction, a quarantine or its lift) moves to the end of the feed with its
new version: revoked, or with its extension's ``status`` quarantined or active.

``added_after`` filters on the time the current version was stored
(``date_added``, the signal's ``updated_at``). TAXII timestamps (``date_added``,
``X-TAXII-Date-Added-First/Last``) carry microseconds, as TAXII 2.1 wants of
``date_added``, so that a client passing one back as ``added_after`` resumes exactly
after it; STIX's own (``created``, ``modified``, so a manifest's ``version``) stay
in milliseconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord.curation.signals import Status
from accord.errors import Invalid, NotFound, trimmed
from accord.exchange import statement_stix
from accord.exchange.indicator import IndicatorRenderer, SignalRow, modified_of
from accord.exchange.stix_common import indicator_id, parse_stix_time, stix_time
from accord.exchange.taxii import MEDIA_TYPE_STIX
from accord.exchange.taxii.collections import Collection
from accord.sharing.visibility import Purpose, Viewer, visible_clause
from accord.store import models as m
from accord.store.signals import canonical_value, labels_of

MAX_CURSOR = 2**31 - 1
# What leaves the node: a quarantined signal goes out as a version saying so, so that a
# peer holding it stops matching it too (a lifted one as a new active version).
SHARED_STATUSES = (Status.ACTIVE.value, Status.QUARANTINED.value, Status.RETRACTED.value)
_SCAN = 20_000  # rows per step when looking objects up by id (ids are not stored)


@dataclass(frozen=True, slots=True)
class PageQuery:
    """The filters and position of one TAXII page request."""

    limit: int
    after: int = 0
    added_after: dt.datetime | None = None
    types: frozenset[str] | None = None
    ids: frozenset[str] | None = None
    versions: tuple[str, ...] = ("last",)
    spec_versions: frozenset[str] | None = None
    after_notes: int = 0  # the statements' cursor ("S.T" cursors: T), after the signals'


@dataclass
class Page:
    """One page: rows in cursor order, whether more follow, and the cursor after them."""

    rows: list[SignalRow] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    more: bool = False
    # Statements (accord.exchange.statement_stix) follow the signals once those run out:
    # their notes with date_added, the signals' cursor of the query and the notes' own.
    notes: list[tuple[dict[str, Any], dt.datetime]] = field(default_factory=list)
    after: int = 0
    notes_after: int = 0

    @property
    def next(self) -> str | None:
        """The cursor after this page's last object (None for an empty page): the last
        signal's number, and ``.T`` the last statement's once statements were served."""
        last = str(self.seqs[-1]) if self.seqs else (str(self.after) if self.notes else None)
        if last is None or not self.notes_after:
            return last
        return f"{last}.{self.notes_after}"

    @property
    def _added(self) -> list[dt.datetime]:
        return [r.updated_at for r in self.rows[:1] + self.rows[-1:]] + [
            n[1] for n in self.notes[:1] + self.notes[-1:]]

    @property
    def first_added(self) -> str | None:
        """``date_added`` of the page's first object (X-TAXII-Date-Added-First)."""
        return taxii_time(self._added[0]) if self._added else None

    @property
    def last_added(self) -> str | None:
        """``date_added`` of the page's last object (X-TAXII-Date-Added-Last)."""
        return taxii_time(self._added[-1]) if self._added else None


def taxii_time(when: dt.datetime) -> str:
    """A TAXII 2.1 timestamp: RFC 3339 UTC with microseconds (a naive time is UTC)."""
    when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    return when.isoformat(timespec="microseconds")[:-6] + "Z"


def _cursor_parts(text: str | None) -> tuple[int, int]:
    """(signals' cursor, statements' cursor) of a ``next``: ``S`` or ``S.T``."""
    if text is None or text == "":
        return 0, 0
    parts = text.split(".")
    # isascii: "²" is a digit to str.isdigit() but not to int().
    if len(parts) > 2 or not all(p.isascii() and p.isdigit() and len(p) <= 10
                                 and int(p) <= MAX_CURSOR for p in parts):
        raise Invalid("next {text} is not a cursor this server gave",
                      hint="pass back the 'next' value of the previous page unchanged",
                      text=trimmed(text))
    return int(parts[0]), int(parts[1]) if len(parts) == 2 else 0


def parse_cursor(text: str | None) -> int:
    """The position a ``next`` value names; ``Invalid`` for one this server never gave."""
    return _cursor_parts(text)[0]


def parse_note_cursor(text: str | None) -> int:
    """The statements' position a ``next`` value names (0 when it names none)."""
    return _cursor_parts(text)[1]


def parse_timestamp(text: str | None, what: str) -> dt.datetime | None:
    """An RFC 3339 timestamp (``added_after``, a version), as an aware datetime."""
    if text is None or text == "":
        return None
    try:
        return parse_stix_time(text)
    except ValueError:
        raise Invalid("{what} {text} is not a timestamp",
                      hint="use RFC 3339, e.g. 2026-01-31T12:00:00.000Z", what=what,
                      text=trimmed(text)) from None


def _base(viewer: Viewer, collection: Collection, query: PageQuery) -> Select[Any]:
    columns: list[Any] = [
        m.Signal.id, m.Signal.owner_partner_id, m.Signal.signal_type, m.Signal.value,
        m.Signal.payload, m.Signal.quality, m.Signal.tlp, m.Signal.status, m.Signal.rationale,
        m.Signal.source_ref, m.Signal.created_at, m.Signal.updated_at, m.Bank.negative,
        m.Signal.sync_seq]
    statement: Select[Any] = (
        select(*columns)
        .join(m.Bank, m.Bank.id == m.Signal.bank_id)
        .where(m.Signal.tlp == collection.tlp.value,
               m.Signal.status.in_(SHARED_STATUSES),
               # The rule itself, again: nothing that may not leave the node ever does.
               visible_clause(viewer, m.Signal.owner_partner_id, m.Signal.tlp,
                              m.Signal.channel_id, Purpose.LEAVE_NODE))
    )
    if viewer.partner_id is not None:
        # A partner's own signals are not served back to it: a node that pushed them
        # must not pull them again as someone else's.
        statement = statement.where(m.Signal.owner_partner_id != viewer.partner_id)
    if collection.channel_id is not None:
        statement = statement.where(m.Signal.channel_id == collection.channel_id)
    if query.added_after is not None:
        statement = statement.where(m.Signal.updated_at > query.added_after)
    return statement


def _ids_matching(session: Session, statement: Select[Any], node_id: str,
                  wanted: Iterable[str]) -> list[int]:
    """Signal ids whose indicator id is in ``wanted`` (ids are uuid5s, not stored)."""
    wanted = set(wanted)
    found: list[int] = []
    after = 0
    ids = statement.with_only_columns(m.Signal.id).order_by(m.Signal.id)
    while wanted:
        chunk = session.execute(ids.where(m.Signal.id > after).limit(_SCAN)).scalars().all()
        if not chunk:
            break
        for sid in chunk:
            key = indicator_id(node_id, sid)
            if key in wanted:
                found.append(sid)
                wanted.discard(key)
        after = chunk[-1]
    return found


def _wanted_version(row: SignalRow, versions: tuple[str, ...]) -> bool:
    if {"last", "first", "all"} & set(versions):
        return True  # Accord keeps one version of each object: it is first, last and all
    current = modified_of(row)
    return any(parse_timestamp(v, "match[version]") == current.replace(
        microsecond=current.microsecond // 1000 * 1000) for v in versions)


def read_page(session: Session, viewer: Viewer, collection: Collection, node_id: str,
              query: PageQuery) -> Page:
    """One page of ``collection`` for ``viewer``, after ``query.after``, filtered: signals,
    then (once they run out) statements."""
    if query.spec_versions is not None and "2.1" not in query.spec_versions:
        return Page()
    page = Page(after=query.after, notes_after=query.after_notes)
    if query.types is None or "indicator" in query.types:
        _read_signals(session, viewer, collection, node_id, query, page)
    if not page.more and query.ids is None and (query.types is None or "note" in query.types):
        _read_statements(session, viewer, collection, node_id, query, page)
    return page


def _read_statements(session: Session, viewer: Viewer, collection: Collection, node_id: str,
                     query: PageQuery, page: Page) -> None:
    want = query.limit - len(page.rows)
    if want <= 0:
        page.more = page.more or bool(statement_stix.served_rows(
            session, viewer, collection.tlp, collection.channel_id, query.after_notes, 1,
            query.added_after))
        return
    found = statement_stix.served_rows(session, viewer, collection.tlp, collection.channel_id,
                                       query.after_notes, want + 1, query.added_after)
    for row in found[:want]:
        page.notes.append((statement_stix.statement_note(row, node_id), row.updated_at))
        page.notes_after = row.sync_seq
    page.more = len(found) > want


def _read_signals(session: Session, viewer: Viewer, collection: Collection, node_id: str,
                  query: PageQuery, page: Page) -> None:
    statement = _base(viewer, collection, query)
    if query.ids is not None:
        statement = statement.where(m.Signal.id.in_(
            _ids_matching(session, statement, node_id, query.ids)))
    after = query.after
    while len(page.rows) < query.limit:
        want = query.limit - len(page.rows)
        found = session.execute(statement.where(m.Signal.sync_seq > after)
                                .order_by(m.Signal.sync_seq).limit(want + 1)).all()
        labels = labels_of(session, [f.id for f in found[:want]])
        for f in found[:want]:
            row = SignalRow(f.id, f.owner_partner_id, f.signal_type, canonical_value(f),
                            f.quality, f.tlp, f.status, f.rationale, f.source_ref,
                            f.created_at, f.updated_at, bool(f.negative), labels[f.id])
            after = f.sync_seq
            if _wanted_version(row, query.versions):
                page.rows.append(row)
                page.seqs.append(f.sync_seq)
        page.more = len(found) > want
        if not page.more:
            break
    if page.more and not page.seqs:
        page.seqs.append(after)


def _paged(page: Page, objects: list[dict[str, Any]]) -> dict[str, Any]:
    """``more``, ``next`` (whenever the page is not empty) and the page's objects."""
    body: dict[str, Any] = {"more": page.more}
    if page.next is not None:
        body["next"] = page.next
    if objects:
        body["objects"] = objects
    return body


def envelope(page: Page, renderer: IndicatorRenderer) -> dict[str, Any]:
    """The TAXII envelope of a page."""
    return _paged(page, [renderer.indicator(row) for row in page.rows]
                  + [note for note, _ in page.notes])


def manifest(page: Page, node_id: str) -> dict[str, Any]:
    """The TAXII manifest resource of a page."""
    return _paged(page, [{"id": indicator_id(node_id, row.id),
                          "date_added": taxii_time(row.updated_at),
                          "version": stix_time(modified_of(row)),
                          "media_type": MEDIA_TYPE_STIX} for row in page.rows]
                  + [{"id": note["id"], "date_added": taxii_time(added),
                      "version": note["modified"], "media_type": MEDIA_TYPE_STIX}
                     for note, added in page.notes])


def versions(session: Session, viewer: Viewer, collection: Collection, node_id: str,
             object_id: str) -> dict[str, Any]:
    """The versions resource of one object (Accord keeps its current version only)."""
    page = read_page(session, viewer, collection, node_id,
                     PageQuery(limit=1, ids=frozenset({object_id})))
    if not page.rows:
        raise NotFound("no object {object_id} in this collection", object_id=trimmed(object_id))
    return {"more": False, "versions": [stix_time(modified_of(page.rows[0]))]}
