"""``accord sync``: pull a peer's TAXII 2.1 collection into a bank, push our own items back.

Pull. Pages come from the peer with ``taxii2-client``; each page is applied
to the peer's bank (``taxii.ingest``: new indicators added, revoked ones
retracted, idempotent) and only then is the cursor saved, in the peer row.
A query is one ``added_after`` filter (or none) and the pages its ``next``
values lead to: a ``next`` is only ever sent with the filter of the query that
issued it (TAXII 2.1: "along with the same original query options";
medallion answers HTTP 400 otherwise), and pages
are followed by ``next`` even when every object of several pages shares one
``date_added`` (medallion gives the same ``next`` for every page of a query).
The cursor is the last ``next`` with its query's filter, and the
``X-TAXII-Date-Added-Last`` of the last stored page: an Accord peer's ``next``
stays valid across runs; a query that ended without one (medallion's last
page), or a ``next`` the peer refuses (medallion forgets them), resumes with a
new query from ``added_after`` one millisecond before the last stored object,
so objects that share the boundary time are fetched again rather than
skipped (ingest is idempotent). So a run that stops anywhere resumes where
the stored data ends, never past it.

A page that is not a TAXII envelope (garbage, the wrong media type, too
large), a peer that stalls past ``sync_timeout_seconds`` or fails: the run
stops, the peer row records ``failed`` and the reason, the cursor stays. A
malformed object inside a good page is refused and named in the peer's
``last_error``; the rest of the page is stored. A peer that claims more
pages but makes no progress (the same request answers the same objects
again, or there is no ``next`` and no later ``date_added`` to ask from) ends
the run (never a loop).

Push. When the peer's collection accepts writes, the signals of the partner
that owns the peer's bank go to it, in change order, after the push cursor,
from any of its banks, the peer's own ``--bank`` too: TLP:CLEAR and GREEN
always, AMBER only when the signal shares into the peer's ``channel``; RED
and AMBER+STRICT never leave (``Purpose.LEAVE_NODE`` of the visibility rule,
for the peer as ``Viewer.peer``). A signal pulled from a peer (its
contributor is ``sync:<peer>``) is never pushed, to that peer or any other:
it is not ours to pass on, and echoing it back would return the peer's own
object as ours. The report counts what was not pushed by reason
(``SyncReport.not_pushed``) and says so in a note; that note is no error, so
the peer's ``last_error`` does not keep it. Retractions travel as revoked
versions, quarantines (and their lifts) as versions whose extension
``status`` says so. After the signals, the partner's public statements on
incidents that may leave for the peer go as notes (``statement_stix``,
``pushable_notes``; their own cursor, ``pushed_notes``); a pull stores the
peer's notes through ``taxii.ingest``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import requests
from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.report import ImportReport
from accord.exchange.indicator import IndicatorRenderer, SignalRow
from accord.exchange.peer_client import (
    PeerFailed,
    check_envelope,
    connect,
    describe,
    open_collection,
)
from accord.exchange.peers import find_peer, peer_list, peer_sync_start
from accord.exchange.rehearsal import rehearse
from accord.exchange.statement_stix import pushable_notes
from accord.exchange.stix_common import parse_stix_time, stix_id, stix_time
from accord.exchange.taxii.ingest import ingest_objects
from accord.exchange.taxii.pages import SHARED_STATUSES
from accord.sharing.roles import Actor
from accord.sharing.visibility import Purpose, Viewer, visible_clause
from accord.store import models as m
from accord.store.database import Database
from accord.store.signals import canonical_value, labels_of

Progress = Callable[[int, int], None]  # (objects pulled, objects pushed)
PUSH_BATCH = 1000
PULLED_BY = "sync:"
"""The contributor of every signal a pull stores is ``sync:<peer name>`` (member names
cannot hold a colon): such a signal came from a peer and is never pushed."""
NOT_PUSHED = {
    "pulled": "pulled from a peer (never passed on, nor echoed back to where it came from)",
    "may-not-leave": "may not leave this node for this peer (RED, AMBER+STRICT, or AMBER "
                     "outside the peer's --channel)",
}


@dataclass
class Cursor:
    """Where the next pull and push start (stored as JSON in ``peers.cursor``).

    ``next`` is the peer's last ``next`` and ``query`` the ``added_after`` of the query
    that issued it (None: no filter): a ``next`` is only ever sent again with that
    filter. ``added_after`` is the ``date_added`` of the last stored page's last object.
    """

    next: str | None = None
    added_after: str | None = None
    pushed_seq: int = 0
    query: str | None = None
    pushed_notes: int = 0  # the statements' push cursor (statement_stix.pushable_notes)

    @classmethod
    def load(cls, text: str | None) -> Cursor:
        """The stored cursor (an empty one for a new peer or unreadable text)."""
        try:
            data = json.loads(text) if text else {}
            query = data.get("query")
            return cls(next=data.get("next"), added_after=data.get("added_after"),
                       pushed_seq=int(data.get("pushed_seq", 0)),
                       pushed_notes=int(data.get("pushed_notes", 0)),
                       query=query if isinstance(query, str) else None)
        except (ValueError, TypeError, AttributeError):
            return cls()

    def dump(self) -> str:
        """The cursor as stored; a ``next`` too long to keep is dropped with its query
        (added_after stays)."""
        data = asdict(self)
        if data["query"] is None:
            del data["query"]
        if not data["pushed_notes"]:
            del data["pushed_notes"]
        text = json.dumps(data, separators=(",", ":"))
        if len(text) > 200:
            data.pop("query", None)
            text = json.dumps({**data, "next": None}, separators=(",", ":"))
        return text


@dataclass(frozen=True)
class _Ask:
    """One page request: the query's ``added_after`` filter (``since``) and, after its
    first page, the ``next`` the peer gave for that query. ``resume`` is where to start
    a new query when the peer refuses ``next`` (medallion forgets them)."""

    since: str | None
    next: str | None = None
    resume: str | None = None


@dataclass
class SyncReport:
    """What one run did with one peer: what its pages did here (``pulled``, the one import
    report, over every page) and what was pushed."""

    peer: str
    dry_run: bool = False
    pages: int = 0
    received: int = 0
    pulled: ImportReport = field(default_factory=lambda: ImportReport(max_kept=0))
    pushed: int = 0
    push_refused: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    # Why our partner's signals after the push cursor were not pushed: reason -> count.
    not_pushed: dict[str, int] = field(default_factory=dict)
    # Write-back (exchange peers): opinions delivered, and those that failed or died.
    written_back: int = 0
    write_back_failed: int = 0

    @property
    def added(self) -> int:
        """Signals added from the peer's pages."""
        return self.pulled.imported

    @property
    def duplicates(self) -> int:
        """Objects already here."""
        return self.pulled.duplicates

    @property
    def retracted(self) -> int:
        """Signals retracted by revoked versions."""
        return self.pulled.retracted

    @property
    def quarantined(self) -> int:
        """Signals quarantined (or stored quarantined)."""
        return self.pulled.quarantined

    @property
    def lifted(self) -> int:
        """Received quarantines lifted."""
        return self.pulled.lifted

    @property
    def ignored(self) -> int:
        """Objects that are not signals, and our own objects echoed back."""
        return self.pulled.ignored

    @property
    def refused(self) -> int:
        """Objects refused (each page's first is named in ``notes``)."""
        return self.pulled.error_count


def _earlier(stamp: str) -> str:
    """``stamp`` one millisecond earlier (resuming from added_after refetches the edge)."""
    return stix_time(parse_stix_time(stamp) - dt.timedelta(milliseconds=1))


class _Run:
    """One sync of one peer."""

    def __init__(self, db: Database, settings: Settings, peer: m.Peer, dry_run: bool,
                 progress: Progress | None) -> None:
        self.db, self.settings, self.dry_run, self.progress = db, settings, dry_run, progress
        self.peer_id, self.name, self.bank_id = peer.id, peer.name, peer.bank_id
        self.channel_id = peer.channel_id
        self.base_pulled, self.base_pushed = peer.pulled, peer.pushed
        self.cursor = Cursor.load(peer.cursor)
        self.resumed = False  # whether this run has restarted from added_after
        self.push_notes = 0  # the report's last notes that explain the push, not errors
        self.report = SyncReport(peer.name, dry_run=dry_run)
        self.actor = Actor.operator(f"{PULLED_BY}{peer.name}")
        self.conn, self.session = connect(peer, settings)
        self.collection = open_collection(peer, self.conn)

    def _request(self, ask: _Ask) -> tuple[dict[str, Any], dict[str, str]]:
        """One page, checked, with its response headers. A ``next`` goes with the filter of
        the query that issued it (TAXII 2.1 pagination; medallion refuses it otherwise)."""
        options: dict[str, Any] = {"limit": self.settings.sync_page_size}
        if ask.since is not None:
            options["added_after"] = ask.since
        if ask.next is not None:
            options["next"] = ask.next
        page = self.collection.get_objects(**options)
        return check_envelope(page), dict(self.session.last_headers)

    def _fetch(self, ask: _Ask) -> tuple[_Ask, dict[str, Any], dict[str, str]]:
        """The page ``ask`` names, or, once a run, when the peer refuses its ``next``, the
        first page of a new query from ``ask.resume``; with the request that gave it."""
        try:
            return (ask, *self._request(ask))
        except requests.HTTPError as error:
            refused = error.response is not None and error.response.status_code in (
                400, 404, 422)
            if ask.next is None or not refused or self.resumed:
                raise
        self.resumed = True
        self.report.notes.append("the peer refused our 'next' (it may forget them); "
                                 "resumed from added_after")
        ask = _Ask(ask.resume)
        return (ask, *self._request(ask))

    def _start(self) -> _Ask:
        """The first request: the saved ``next`` with its query's filter, or a query from
        just before the last stored object's ``date_added`` (objects sharing that time
        are fetched again rather than skipped: ingest is idempotent)."""
        since = _earlier(self.cursor.added_after) if self.cursor.added_after else None
        if self.cursor.next is not None:
            return _Ask(self.cursor.query, self.cursor.next, resume=since)
        return _Ask(since)

    @staticmethod
    def _following(ask: _Ask, page: dict[str, Any], last: str | None) -> _Ask | None:
        """The request for the page after ``page`` (None when there is none to ask for).

        With a ``next``: the same query, that ``next``. Without one (a server paging by
        date only): a new query after the page's last ``date_added``."""
        if page.get("next"):
            return _Ask(ask.since, str(page["next"]), resume=_earlier(last) if last else
                        ask.resume)
        if last is not None and last != ask.since:
            return _Ask(last, resume=_earlier(last))
        return None

    def pull(self) -> None:
        """Every page after the cursor. The next page is fetched while this one is stored
        (the peer renders while we write); the cursor moves only after each store.

        A peer may give the same ``next`` for every page of one query (medallion does);
        the run stops only when a page makes no progress: the same objects leading to the
        same request as once before in this run (so a peer cycling through pages is not
        looped on either), or more claimed with nothing to ask for."""
        answered: set[int] = set()  # each (objects, request they lead to) this run, hashed
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(self._fetch, self._start())
            while True:
                ask, page, headers = future.result()
                objects: list[object] = page.get("objects", [])
                last = headers.get("X-TAXII-Date-Added-Last") if objects else None
                more = bool(page.get("more"))
                following = self._following(ask, page, last) if more else None
                seen = hash((following and (following.since, following.next), tuple(
                    (str(o.get("id")), str(o.get("modified")))
                    for o in objects if isinstance(o, dict))))
                stuck = more and (following is None or seen in answered)
                answered.add(seen)
                if more and not stuck and following is not None:
                    future = pool.submit(self._fetch, following)
                self.report.pages += 1
                self.report.received += len(objects)
                self._store(objects)
                self._advance(ask, page, last)
                self._save(state="running")
                if self.progress:
                    self.progress(self.report.received, self.report.pushed)
                if not more:
                    return
                if stuck:
                    self.report.notes.append("the peer said more pages follow but gave no "
                                             "new cursor (the same page again); stopped")
                    return

    def _advance(self, ask: _Ask, page: dict[str, Any], last: str | None) -> None:
        """The cursor after a stored page: its ``next`` with the query it belongs to, and
        its last ``date_added``. A last page without ``next`` ends the query (a later run
        starts a new one from added_after); an empty one leaves the cursor as it was."""
        if page.get("next"):
            self.cursor.next, self.cursor.query = str(page["next"]), ask.since
        elif page.get("objects"):
            self.cursor.next, self.cursor.query = None, None
        if last is not None:
            self.cursor.added_after = last

    def _ours(self) -> frozenset[str]:
        """The identity ids of this node's partners: objects they created are not pulled
        back (a pushed signal echoed by the peer stays where it was)."""
        node = self.settings.resolved_node_id()
        with self.db.reader() as session:
            ids = session.execute(select(m.Partner.id)).scalars().all()
        return frozenset(stix_id("identity", node, i) for i in ids)

    def _store(self, objects: list[object]) -> None:
        ours = self._ours()
        kept = [o for o in objects if not (isinstance(o, dict)
                                           and o.get("created_by_ref") in ours)]
        self.report.pulled.ignored += len(objects) - len(kept)
        objects = kept
        if self.bank_id is None:
            raise PeerFailed("peer {name} has no bank to pull into",
                             hint="add it again with --bank", name=self.name)
        done = ingest_objects(self.db, self.actor, self.bank_id, objects, self.settings,
                              source=f"peer:{self.name}", successes=False)
        self.report.pulled.absorb(done)
        if done.errors:
            first = done.errors[0]
            self.report.notes.append(f"page {self.report.pages}: {done.error_count} object(s) "
                                     f"refused, first {first.where}: {first.message}"[:500])

    def _save(self, *, state: str, error: str | None = None) -> None:
        with self.db.transaction() as session:
            row = session.get_one(m.Peer, self.peer_id)
            row.cursor, row.state, row.last_run_at = self.cursor.dump(), state, m.utcnow()
            row.pulled = self.base_pulled + self.report.added
            row.pushed = self.base_pushed + self.report.pushed
            row.last_error = error

    def push(self) -> None:
        if self.bank_id is None:
            return
        if not self.collection.can_write:
            waiting, _ = _push_rows(self.db, self.bank_id, self.channel_id,
                                    self.cursor.pushed_seq, 1)
            if waiting:
                self.report.notes.append("nothing pushed: the peer's collection does not "
                                         "accept writes from us (can_write is false)")
                self.push_notes += 1
            return
        examined = self._explain_push()
        renderer = IndicatorRenderer(self.settings.resolved_node_id())
        while True:
            rows, seqs = _push_rows(self.db, self.bank_id, self.channel_id,
                                    self.cursor.pushed_seq, PUSH_BATCH)
            if not rows:
                # Past what was examined, so that a signal not pushed is told once (it is
                # examined again when it changes: a change gives it a new sync_seq).
                self.cursor.pushed_seq = max(self.cursor.pushed_seq, examined)
                self._push_statements()
                return
            if self.dry_run:
                self.report.pushed += len(rows)
                self.cursor.pushed_seq = seqs[-1]
                continue
            status = self.collection.add_objects(
                {"objects": [renderer.indicator(r) for r in rows]}, wait_for_completion=False)
            failures = getattr(status, "failures", None) or []
            self.report.pushed += len(rows) - len(failures)
            self.report.push_refused += len(failures)
            self.cursor.pushed_seq = seqs[-1]
            self._save(state="running")
            if self.progress:
                self.progress(self.report.received, self.report.pushed)

    def _push_statements(self) -> None:
        """Our partner's public statements that may leave for the peer, after their cursor."""
        assert self.bank_id is not None
        node = self.settings.resolved_node_id()
        while notes := pushable_notes(self.db, node, self.bank_id, self.channel_id,
                                      self.cursor.pushed_notes, PUSH_BATCH):
            if not self.dry_run:
                status = self.collection.add_objects(
                    {"objects": [n for n, _ in notes]}, wait_for_completion=False)
                failures = len(getattr(status, "failures", None) or [])
                self.report.push_refused += failures
                self.report.pushed -= failures
            self.report.pushed += len(notes)
            self.cursor.pushed_notes = notes[-1][1]

    def _explain_push(self) -> int:
        """Count, by reason, our partner's signals after the push cursor that will not be
        pushed, and say so in the report's notes; the last ``sync_seq`` examined."""
        assert self.bank_id is not None
        counts, examined = _not_pushed(self.db, self.bank_id, self.channel_id,
                                       self.cursor.pushed_seq)
        self.report.not_pushed = counts
        if counts:
            why = "; ".join(f"{n:,} {NOT_PUSHED[reason]}" for reason, n in sorted(counts.items()))
            self.report.notes.append(f"not pushed: {why}")
            self.push_notes += 1
        return examined


def _owner_after(session: Session, bank_id: int, after: int) -> list[ColumnElement[bool]]:
    """Our partner's (the owner of the peer's bank) shared signals after ``after``."""
    owner = session.get_one(m.Bank, bank_id).owner_partner_id
    return [m.Signal.owner_partner_id == owner, m.Signal.status.in_(SHARED_STATUSES),
            m.Signal.sync_seq > after]


def _pushable(channel_id: int | None) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(came from a peer, may leave for the peer): the two rules of what is pushed."""
    pulled = m.Signal.contributor.startswith(PULLED_BY, autoescape=True)
    allowed = visible_clause(Viewer.peer(channel_id), m.Signal.owner_partner_id,
                             m.Signal.tlp, m.Signal.channel_id, Purpose.LEAVE_NODE)
    return pulled, allowed


def _not_pushed(db: Database, bank_id: int, channel_id: int | None,
                after: int) -> tuple[dict[str, int], int]:
    """How many of our partner's signals after ``after`` are not pushed, by reason, and
    the last ``sync_seq`` of those signals (``after`` when there are none)."""
    pulled, allowed = _pushable(channel_id)
    reason = case((pulled, "pulled"), else_="may-not-leave")
    with db.reader() as session:
        owned = _owner_after(session, bank_id, after)
        found = session.execute(
            select(reason, func.count(), func.max(m.Signal.sync_seq))
            .where(*owned, or_(pulled, ~allowed)).group_by(reason)).all()
    counts = {str(r): int(n) for r, n, _ in found if n}
    return counts, max([after, *(int(top) for _, n, top in found if n and top)])


def _push_rows(db: Database, bank_id: int, channel_id: int | None, after: int,
               limit: int) -> tuple[list[SignalRow], list[int]]:
    """Our partner's signals a peer may receive, after ``after`` in change order: in any
    of its banks (the peer's own ``--bank`` too), except those pulled from a peer."""
    pulled, allowed = _pushable(channel_id)
    with db.reader() as session:
        found = session.execute(
            select(m.Signal.id, m.Signal.owner_partner_id, m.Signal.signal_type,
                   m.Signal.value, m.Signal.payload, m.Signal.quality, m.Signal.tlp,
                   m.Signal.status, m.Signal.rationale, m.Signal.source_ref,
                   m.Signal.created_at, m.Signal.updated_at, m.Bank.negative,
                   m.Signal.sync_seq)
            .join(m.Bank, m.Bank.id == m.Signal.bank_id)
            .where(*_owner_after(session, bank_id, after), ~pulled, allowed)
            .order_by(m.Signal.sync_seq).limit(limit)
        ).all()
        labels = labels_of(session, [f.id for f in found])
    rows = [SignalRow(f.id, f.owner_partner_id, f.signal_type, canonical_value(f), f.quality,
                      f.tlp, f.status, f.rationale, f.source_ref, f.created_at, f.updated_at,
                      bool(f.negative), labels[f.id]) for f in found]
    return rows, [f.sync_seq for f in found]


def sync_peer(db: Database, settings: Settings, name: str, *, actor: Actor | None = None,
              dry_run: bool = False, progress: Progress | None = None) -> SyncReport:
    """Pull from and push to one peer. Failures are recorded in the peer row and the
    report (``error``), never raised, so one bad peer does not stop the others.

    With ``actor`` (a member, from the web UI or the CLI), the peer must be one of the
    actor's partner's (``NotFound`` otherwise) and the request is audited in its name
    first; without it the caller has already decided (the operator's own jobs).

    A ``dry_run`` is the real run in a rehearsal (``rehearsal.rehearse``): the same pull
    and ingest, rolled back at the end, so its report says what the real run would do and
    nothing changes (no signal, audit event or cursor); nothing is pushed, only counted.
    """
    if dry_run:
        with rehearse(db) as scratch:
            return _sync_peer(scratch, settings, name, actor, True, progress)
    return _sync_peer(db, settings, name, actor, False, progress)


def _sync_peer(db: Database, settings: Settings, name: str, actor: Actor | None,
               dry_run: bool, progress: Progress | None) -> SyncReport:
    if actor is not None:
        name = peer_sync_start(db, actor, name)
    with db.reader() as session:
        peer = find_peer(session, name)
        session.expunge(peer)
    if peer.kind == "exchange":
        return _sync_exchange(db, settings, peer, dry_run)
    report = SyncReport(peer.name, dry_run=dry_run)
    run: _Run | None = None
    try:
        run = _Run(db, settings, peer, dry_run, progress)
        report = run.report
        run.pull()
        run.push()
    except Exception as error:
        # Anything a peer's data provokes (even a bug in a library reading it) fails this
        # peer, recorded in its row and audited, and never stops the other peers.
        report.error = describe(error)
    _finish(db, peer.id, run, report)
    return report


def _sync_exchange(db: Database, settings: Settings, peer: m.Peer,
                   dry_run: bool) -> SyncReport:
    """Pull a python-threatexchange exchange peer (``accord.exchange.pytx_sync``); the same
    report, peer row and audit event as a TAXII peer's run."""
    from accord.exchange.pytx_sync import run_exchange

    outcome, error = run_exchange(db, settings, peer)
    report = SyncReport(peer.name, dry_run=dry_run, pages=outcome.pages,
                        received=outcome.received, error=error, notes=list(outcome.notes))
    pulled = report.pulled
    pulled.imported, pulled.duplicates = outcome.added, outcome.duplicates
    pulled.retracted, pulled.quarantined = outcome.retracted, outcome.quarantined
    pulled.error_count = outcome.skipped
    if outcome.skipped:
        report.notes.append(f"{outcome.skipped:,} record(s) skipped, see: accord peer "
                            f"skipped {peer.name}")
    if peer.write_back and not dry_run:  # a rehearsal sends nothing
        _write_back(db, settings, peer, report)
    _finish(db, peer.id, None, report, added=outcome.added)
    return report


def _write_back(db: Database, settings: Settings, peer: m.Peer, report: SyncReport) -> None:
    """Deliver the peer's due opinions (``accord.exchange.writeback``) into the report."""
    from accord.exchange.writeback import deliver

    done = deliver(db, settings, peer.name)
    report.written_back = done.delivered
    report.write_back_failed = done.failed + done.dead
    if report.write_back_failed:
        report.notes.append(f"write-back: {done.failed:,} opinion(s) failed, {done.dead:,} dead "
                            f"(first: {done.first_error}); see: accord peer opinions "
                            f"{peer.name}")


def _finish(db: Database, peer_id: int, run: _Run | None, report: SyncReport, *,
            added: int = 0) -> None:
    # The peer's last_error keeps what went wrong; why something was not pushed is no error.
    told = report.notes[:len(report.notes) - run.push_notes] if run else report.notes
    notes = "; ".join(told)
    error = report.error if report.error else (notes or None)
    with db.transaction() as session:
        row = session.get_one(m.Peer, peer_id)
        if run is not None:
            row.cursor = run.cursor.dump()
            row.pulled = run.base_pulled + report.added
            row.pushed = run.base_pushed + report.pushed
        else:
            row.pulled += added  # an exchange peer (its checkpoint is saved page by page)
        row.state = "failed" if report.error else "ok"
        row.last_run_at, row.last_error = m.utcnow(), error[:2000] if error else None
        audit.record(session, Actor.operator(f"sync:{row.name}"), audit.AuditAction.PEER_SYNC,
                     "peer", row.id, {
            "pages": report.pages, "received": report.received, "added": report.added,
            "retracted": report.retracted, "quarantined": report.quarantined,
            "lifted": report.lifted, "refused": report.refused,
            "pushed": report.pushed, "not_pushed": report.not_pushed, "error": report.error})


def sync_all(db: Database, settings: Settings, *, actor: Actor | None = None,
             dry_run: bool = False, progress: Progress | None = None) -> list[SyncReport]:
    """Sync every peer (with ``actor``: every peer of its partner), in name order."""
    if actor is not None:
        names = [p.name for p in peer_list(db, actor)]
    else:
        with db.reader() as session:
            names = list(session.execute(select(m.Peer.name).order_by(m.Peer.name)).scalars())
    return [sync_peer(db, settings, name, actor=actor, dry_run=dry_run, progress=progress)
            for name in names]
