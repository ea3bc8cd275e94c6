"""Bulk imports started from the UI: run in a thread, progress kept in a small file.

Three kinds: signals into a bank (``import_signals``), incidents (GTD or ACLED,
``incident_import``) and flows (``flow_import``), each the core function its
CLI command and API route call. The progress file (``HOME/web-imports/<job>.json``)
is what the page polls, so any worker of the node can answer the poll,
whichever one runs the import. The uploaded file is kept beside it until the
import ends; the rejected rows are kept for download.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from accord.config import Settings
from accord.curation.formats import detect_format
from accord.curation.importer import import_signals
from accord.curation.report import Refusal
from accord.errors import AccordError, NotFound
from accord.incidents.flows import flow_import
from accord.incidents.service import Sharing, incident_import, resolve_sharing
from accord.incidents.tables import RowError, open_table
from accord.safeguards.cells import safe_writer
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.web.i18n import N_

TABLE_KINDS = ("incidents", "flows")

_JOB = "abcdefghijklmnopqrstuvwxyz0123456789_-ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class ImportJob:
    """An import's state as the page shows it."""

    job: str
    member_id: int | None
    bank: str
    filename: str
    size: int
    bytes_read: int = 0
    rows: int = 0
    done: bool = False
    imported: int = 0
    duplicates: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    failure: str | None = None
    rejected_kept: int = 0
    kind: str = "signals"  # signals, incidents or flows
    notes: list[str] = field(default_factory=list)  # columns dropped, rows left out
    lines: int = 0  # a CSV table's lines after the header (its progress counts rows)
    locale: str | None = None  # the starter's language: reasons and failure are in it

    @property
    def percent(self) -> int:
        """How much of the file is read, 0-100."""
        if self.done:
            return 100
        if self.lines:
            return min(99, int(100 * self.rows / self.lines))
        return min(99, int(100 * self.bytes_read / self.size)) if self.size else 0


def _line_count(path: Path) -> int:
    """The lines of a file, read a megabyte at a time."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


Work = Callable[[ImportJob, Path], None]  # an import's body, run in the job's thread


class ImportJobs:
    """Start imports and read their progress."""

    def __init__(self, folder: Path, db: Database, settings: Settings) -> None:
        self.folder, self.db, self.settings = folder, db, settings

    def _path(self, job: str) -> Path:
        if not job or any(c not in _JOB for c in job):
            raise NotFound(N_("There is no such import."))
        return self.folder / f"{job}.json"

    def _write(self, state: ImportJob) -> None:
        path = self._path(state.job)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(state)))
        os.replace(temporary, path)  # readers never see half a file

    def start(self, actor: Actor, bank: str, filename: str, data_path: Path,
              locale: str | None = None) -> ImportJob:
        """Run the import of ``data_path`` (a file this module owns) in a thread; its
        reasons and failure read in ``locale``."""
        detect_format(filename, None)  # refuse a file of unknown format before starting
        job = ImportJob(secrets.token_urlsafe(12), actor.member_id, bank, filename,
                        data_path.stat().st_size, locale=locale)
        return self._launch(job, partial(self._signals, actor), data_path)

    def start_table(self, actor: Actor, kind: str, filename: str, data_path: Path,
                    sharing: Sharing, locale: str | None = None) -> ImportJob:
        """Run an import of incidents or flows (``kind``) from ``data_path`` in a thread;
        who may import with which TLP and channel is checked first, here."""
        if kind not in TABLE_KINDS:
            raise NotFound(N_("There is no such import."))
        with self.db.reader() as session:
            resolve_sharing(session, actor, sharing)
        job = ImportJob(secrets.token_urlsafe(12), actor.member_id, "", filename,
                        data_path.stat().st_size, kind=kind, locale=locale)
        return self._launch(job, partial(self._table, actor, sharing), data_path)

    def _launch(self, job: ImportJob, work: Work, data_path: Path) -> ImportJob:
        self._write(job)
        worker = threading.Thread(target=self._run, args=(job, work, data_path),
                                  name=f"accord-import-{job.job}", daemon=True)
        worker.start()
        return job

    def upload_path(self, filename: str = "") -> Path:
        """A fresh file to save an upload into (a workbook keeps its suffix)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        suffix = Path(filename).suffix.lower()
        keep = suffix if suffix in (".xlsx", ".xlsm") else ""
        return self.folder / f"upload-{secrets.token_urlsafe(12)}{keep}"

    def _run(self, job: ImportJob, work: Work, data_path: Path) -> None:
        try:
            work(job, data_path)
        except AccordError as error:
            job.failure = error.localized(job.locale)[0]
        except Exception as error:  # a thread has no caller to raise to: show it on the page
            job.failure = f"the import stopped: {type(error).__name__}"
        finally:
            job.done = True
            self._write(job)
            data_path.unlink(missing_ok=True)

    def _signals(self, actor: Actor, job: ImportJob, data_path: Path) -> None:
        last = [0.0]

        def progress(bytes_read: int, rows: int) -> None:
            job.bytes_read, job.rows = bytes_read, rows
            now = time.monotonic()
            if now - last[0] > 0.2:
                last[0] = now
                self._write(job)

        with data_path.open("rb") as handle:
            report = import_signals(self.db, actor, job.bank, handle, self.settings,
                                    fmt=detect_format(job.filename, None), progress=progress,
                                    filename=job.filename, job=job.job)
        job.rows, job.imported, job.duplicates = report.rows, report.imported, report.duplicates
        job.error_count = report.error_count
        job.errors = [f"{e.line}: {e.said(job.locale)}" for e in report.errors[:20]]
        if report.errors:
            job.rejected_kept = self._write_rejected(job, data_path, report.errors)

    def _table(self, actor: Actor, sharing: Sharing, job: ImportJob, data_path: Path) -> None:
        def progress(rows: int) -> None:
            job.rows += rows
            self._write(job)

        if data_path.suffix == "":  # a CSV: its lines bound its rows (a workbook's are unknown)
            job.lines = max(0, _line_count(data_path) - 1)
        table = open_table(data_path)
        if job.kind == "flows":
            report = flow_import(self.db, actor, table, sharing)
        else:
            report = incident_import(self.db, actor, table, sharing, progress=progress,
                                     batch_size=self.settings.import_batch_size)
        job.imported, job.duplicates = report.imported, report.skipped_duplicates
        job.error_count = report.refused
        job.rows = job.imported + job.duplicates + job.error_count + report.excluded
        job.errors = [f"{e.row}: {e.said(job.locale)}" for e in report.errors[:20]]
        job.notes = [f"{kind}: {n}" for kind, n in report.excluded_event_types]
        if report.dropped_columns:
            job.notes.append(", ".join(report.dropped_columns))
        if report.errors:
            job.rejected_kept = self._write_rejected_rows(job, data_path, report.errors)

    def _rejected_path(self, job: str) -> Path:
        return self._path(job).with_suffix(".rejected.csv")

    def _write_rejected(self, job: ImportJob, data_path: Path,
                        errors: list[Refusal]) -> int:
        """Save the refused rows (line, reason, the row as read) for download; their count."""
        wanted = {e.line: e.said(job.locale) for e in errors}
        rows: dict[int, str] = {}
        with data_path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number in wanted:
                    rows[number] = raw.decode("utf-8", "replace").rstrip("\r\n")
        out = io.StringIO()
        writer = safe_writer(out)
        writer.writerow(["line", "reason", "row"])
        for line, message in wanted.items():
            writer.writerow([line, message, rows.get(line, "")])
        self._rejected_path(job.job).write_text(out.getvalue(), encoding="utf-8")
        return len(wanted)

    def _write_rejected_rows(self, job: ImportJob, data_path: Path,
                             errors: tuple[RowError, ...]) -> int:
        """Save a table's refused rows (row number, reason, the row's cells as CSV)."""
        wanted = {e.row: e.said(job.locale) for e in errors}
        cells: dict[int, str] = {}
        for number, row in open_table(data_path).rows:
            if number in wanted:
                line = io.StringIO()
                csv.writer(line).writerow(row)
                cells[number] = line.getvalue().rstrip("\r\n")
        out = io.StringIO()
        writer = safe_writer(out)
        writer.writerow(["line", "reason", "row"])
        for number, message in wanted.items():
            writer.writerow([number, message, cells.get(number, "")])
        self._rejected_path(job.job).write_text(out.getvalue(), encoding="utf-8")
        return len(wanted)

    def rejected_csv(self, job: str, actor: Actor) -> str:
        """The refused rows of a finished import, as CSV; only its starter may read them."""
        state = self.get(job, actor)
        path = self._rejected_path(state.job)
        if not state.done or not path.is_file():
            raise NotFound(N_("This import has no rejected rows."))
        return path.read_text(encoding="utf-8")

    def get(self, job: str, actor: Actor) -> ImportJob:
        """An import's progress; only the member who started it may read it."""
        path = self._path(job)
        if not path.is_file():
            raise NotFound(N_("There is no such import."))
        state = ImportJob(**json.loads(path.read_text()))
        if state.member_id != actor.member_id:
            raise NotFound(N_("There is no such import."))
        return state

