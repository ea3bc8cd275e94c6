"""A bank's import history: one record per bulk import of a file, whoever started it.

``import_signals`` opens a record (state ``running``) before it reads the file and
closes it with the import's counts (``done``) or the reason it stopped
(``failed``), so ``accord signal import``, the API and the web UI's imports all
appear on the bank's page. Only the bank's own partner reads its history: to any
other member the bank's history does not exist.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from accord.curation.banks import find_bank_for
from accord.curation.report import ImportReport
from accord.errors import NotFound, trimmed
from accord.sharing.roles import CAN_CURATE, Actor
from accord.store import models as m
from accord.store.database import Database

HISTORY_SHOWN = 50  # a bank's page lists its latest imports


class ImportState(StrEnum):
    """Where an import stands."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One past (or running) import into a bank, as its page lists it."""

    id: int
    bank: str
    member_id: int | None
    actor: str
    filename: str
    job: str | None
    state: str
    rows: int
    imported: int
    duplicates: int
    rejected: int
    failure: str
    started_at: dt.datetime
    finished_at: dt.datetime | None


def import_opened(db: Database, actor: Actor, bank: str | int, filename: str,
                  job: str | None = None) -> int:
    """Record that ``actor`` starts importing ``filename`` into ``bank``; the record's id.

    Checks what the import checks (the bank is the actor's partner's, the actor
    curates), with the same errors."""
    with db.transaction() as session:
        row = find_bank_for(session, actor, bank)
        actor.require_partner(row.owner_partner_id, "import signals into this bank")
        actor.require(CAN_CURATE, "import signals")
        record = m.SignalImport(
            bank_id=row.id, member_id=actor.member_id, actor=actor.name[:100],
            filename=filename.rsplit("/", 1)[-1][:255] or "-", job=job,
            state=ImportState.RUNNING.value, rows=0, imported=0, duplicates=0, rejected=0,
            failure="")
        session.add(record)
        session.flush()
        return record.id


def import_closed(db: Database, record_id: int, report: ImportReport | None = None,
                  failure: str | None = None) -> None:
    """Close an import's record with its report, or with why it stopped (``failure``)."""
    with db.transaction() as session:
        record = session.get_one(m.SignalImport, record_id)
        record.finished_at = m.utcnow()
        if report is not None:
            record.rows, record.imported = report.rows, report.imported
            record.duplicates, record.rejected = report.duplicates, report.error_count
        if failure is not None:
            record.state, record.failure = ImportState.FAILED.value, failure[:1000]
        else:
            record.state = ImportState.DONE.value


def import_history(db: Database, actor: Actor, bank: str | int,
                   limit: int = HISTORY_SHOWN) -> list[ImportRecord]:
    """The latest imports into one of the actor's partner's banks, newest first.

    Another partner's bank answers ``NotFound``, exactly as a bank that does not exist."""
    with db.reader() as session:
        row = find_bank_for(session, actor, bank)
        if not actor.is_operator and actor.partner_id != row.owner_partner_id:
            raise NotFound("no bank {bank}", bank=trimmed(str(bank).strip()),
                           hint="list banks with: accord bank list")
        found = session.execute(
            select(m.SignalImport).where(m.SignalImport.bank_id == row.id)
            .order_by(m.SignalImport.id.desc()).limit(limit)).scalars().all()
        return [ImportRecord(f.id, row.name, f.member_id, f.actor, f.filename, f.job, f.state,
                             f.rows, f.imported, f.duplicates, f.rejected, f.failure,
                             f.started_at, f.finished_at) for f in found]
