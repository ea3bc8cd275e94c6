"""Bulk signal import: streamed, batched, idempotent, with per-row errors.

Rows are read one at a time and written ``settings.import_batch_size`` at a
time, so memory stays flat whatever the file's size. Re-importing a file adds
nothing: a signal already in the bank is counted as a duplicate. Each batch
commits with one audit event that lists how many signals it added and a
SHA-256 over their ids and values, so the log stays verifiable without an
event per row. With ``strict`` the whole file is one transaction, and any bad
row leaves the database untouched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.orm import Session

from accord import audit
from accord.config import Settings
from accord.curation.banks import find_bank_for
from accord.curation.formats import (
    Row,
    RowError,
    detect_format,
    read_csv,
    read_jsonl,
    text_stream,
)
from accord.curation.import_history import import_closed, import_opened
from accord.curation.report import ImportReport, Refusal
from accord.curation.signals import PreparedSignal, SignalInput, SignalPreparer, insert_signals
from accord.errors import AccordError, Invalid
from accord.sharing.roles import CAN_CURATE, Actor
from accord.store import models as m
from accord.store.database import Database

Progress = Callable[[int, int], None]  # (bytes read, rows read)


class _RollBack(Exception):
    """Raised inside a strict import's transaction to undo it."""


class _Batcher:
    """Writes prepared rows in batches, each with its audit event."""

    def __init__(self, session: Session, bank: m.Bank, actor: Actor, report: ImportReport,
                 source: str) -> None:
        self.session, self.bank, self.actor = session, bank, actor
        self.report, self.source = report, source
        self.pending: list[PreparedSignal] = []
        self.canonical = False  # the rows' values are canonical already
        self.analyze_at = 1

    def _refresh_statistics(self) -> None:
        # PostgreSQL plans the duplicate check from table statistics; on a table that
        # grew tenfold since autovacuum last looked it picks a full index scan per
        # batch. Re-analysing each time the import doubles costs about log2(batches).
        if self.session.get_bind().dialect.name != "postgresql":
            return
        if self.report.imported >= self.analyze_at:
            self.session.execute(text("ANALYZE signals"))
            self.analyze_at = 2 * max(self.report.imported, 1)

    def write(self) -> None:
        if not self.pending:
            return
        added = insert_signals(self.session, self.bank, self.pending, self.actor.name,
                               m.utcnow())
        self.report.imported += len(added)
        self.report.duplicates += len(self.pending) - len(added)
        self._refresh_statistics()
        if added:
            digest = hashlib.sha256()
            for signal_id, p in added:
                digest.update(f"{signal_id}:{p.signal_type}:{p.key}\n".encode())
            audit.record(self.session, self.actor, audit.AuditAction.SIGNAL_IMPORT, "bank",
                         self.bank.id, {
                "source": self.source, "added": len(added), "first_id": added[0][0],
                "last_id": added[-1][0], "sha256": digest.hexdigest(),
            })
        self.pending = []


def _rows(stream: IO[str], fmt: str) -> Iterator[Row]:
    reader = read_csv if fmt == "csv" else read_jsonl
    try:
        yield from reader(stream)
    except UnicodeDecodeError as exc:
        raise Invalid("the file is not UTF-8 text (byte {start} of a read block)",
                      hint="save it as UTF-8 CSV or JSON lines", start=exc.start) from None


def import_signals(
    db: Database,
    actor: Actor,
    bank: str | int,
    source: Path | IO[bytes],
    settings: Settings,
    *,
    fmt: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    filename: str | None = None,
    job: str | None = None,
) -> ImportReport:
    """Import a CSV or JSON-lines file of signals into a bank.

    Raises ``Invalid`` for problems with the file as a whole (no header,
    unknown format, not UTF-8); bad rows are reported in the result instead.
    The import is kept in the bank's history (``import_history``) under
    ``filename`` (default: the file's name), with the web UI's ``job`` id if any.
    """
    name = str(source) if isinstance(source, Path) else getattr(source, "name", "<stream>")
    form = detect_format(str(filename or name), fmt)
    record = import_opened(db, actor, bank, filename or str(name), job)
    try:
        with ExitStack() as stack:
            binary = (stack.enter_context(source.open("rb")) if isinstance(source, Path)
                      else source)
            stream = text_stream(binary)
            stack.callback(stream.detach)
            report = _import(db, actor, bank, _rows(stream, form), settings, source=str(name),
                             strict=strict, progress=progress, binary=binary)
    except AccordError as error:
        import_closed(db, record, failure=error.message)
        raise
    except Exception as error:
        import_closed(db, record, failure=f"the import stopped: {type(error).__name__}")
        raise
    import_closed(db, record, report)
    return report


def import_rows(
    db: Database,
    actor: Actor,
    bank: str | int,
    rows: Iterable[Row],
    settings: Settings,
    *,
    source: str,
    strict: bool = False,
    progress: Progress | None = None,
    canonical: bool = False,
) -> ImportReport:
    """Import already-read rows (``(line, SignalInput | RowError)``) into a bank.

    The entry point for readers of other formats (``accord.exchange.formats``,
    STIX bundles): the same checks, batching, audit events and ``strict``
    semantics as ``import_signals``. ``source`` names the file in the report
    and the audit log; progress reports rows only (bytes read is 0). ``canonical``: the
    rows' types and values come canonical from their reader (STIX ingest), so they are
    not parsed a second time.
    """
    return _import(db, actor, bank, iter(rows), settings, source=source, strict=strict,
                   progress=progress, binary=None, canonical=canonical)


def _import(db: Database, actor: Actor, bank: str | int, rows: Iterator[Row],
            settings: Settings, *, source: str, strict: bool, progress: Progress | None,
            binary: IO[bytes] | None, canonical: bool = False) -> ImportReport:
    report = ImportReport(source=source)  # keeps the first MAX_KEPT_ERRORS bad rows
    if strict:
        try:
            with db.transaction() as session:
                batcher = _start(session, actor, bank, report, source)
                batcher.canonical = canonical
                _run(rows, binary, session, batcher, settings, progress)
                if report.error_count:
                    raise _RollBack
        except _RollBack:
            report.rolled_back, report.imported, report.duplicates = True, 0, 0
        return report
    with db.transaction() as session:
        batcher = _start(session, actor, bank, report, source)
    batcher.canonical = canonical
    _run_batched(db, rows, binary, batcher, settings, progress)
    return report


def _start(session: Session, actor: Actor, bank: str | int, report: ImportReport,
           name: str) -> _Batcher:
    row = find_bank_for(session, actor, bank)
    actor.require_partner(row.owner_partner_id, "import signals into this bank")
    actor.require(CAN_CURATE, "import signals")
    return _Batcher(session, row, actor, report, name)


def _run(rows: Iterator[Row], binary: IO[bytes] | None, session: Session, batcher: _Batcher,
         settings: Settings, progress: Progress | None) -> None:
    """All rows in one session (strict mode)."""
    preparer = SignalPreparer(session, batcher.bank, settings)
    exhausted = False
    while not exhausted:
        exhausted = _fill(rows, batcher, preparer, settings.import_batch_size)
        batcher.write()
        _tell(progress, binary, batcher.report)


def _run_batched(db: Database, rows: Iterator[Row], binary: IO[bytes] | None,
                 batcher: _Batcher, settings: Settings, progress: Progress | None) -> None:
    """Rows in one transaction per batch, so a long import never holds the lock for long."""
    exhausted = False
    while not exhausted:
        with db.transaction() as session:
            batcher.session = session
            batcher.bank = session.get_one(m.Bank, batcher.bank.id)
            preparer = SignalPreparer(session, batcher.bank, settings)
            exhausted = _fill(rows, batcher, preparer, settings.import_batch_size)
            batcher.write()
        _tell(progress, binary, batcher.report)


def _fill(rows: Iterator[Row], batcher: _Batcher, preparer: SignalPreparer, size: int) -> bool:
    """Take rows until a batch is pending; True once the rows have run out."""
    for line, item in rows:
        _take(batcher, preparer, line, item)
        if len(batcher.pending) >= size:
            return False
    return True


def _take(batcher: _Batcher, preparer: SignalPreparer, line: int,
          item: SignalInput | RowError) -> None:
    report = batcher.report
    report.rows += 1
    if isinstance(item, RowError):
        report.add_error(Refusal(item.line, item.message, error=item.error))
        return
    try:
        batcher.pending.append(preparer.prepare(item, canonical=batcher.canonical))
    except Invalid as exc:
        report.add_error(Refusal(line, exc.message, error=exc))


def _tell(progress: Progress | None, binary: IO[bytes] | None, report: ImportReport) -> None:
    if progress is None:
        return
    try:
        position = binary.tell() if binary is not None else 0
    except (OSError, ValueError):
        position = 0
    progress(position, report.rows)
