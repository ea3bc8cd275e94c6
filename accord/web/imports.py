"""Bulk imports started from the UI: run in a thread, progress kept in a small file.

The progress file (``HOME/web-imports/<job>.json``) is what the page polls, so
any worker of the node can answer the poll, whichever one runs the import.
The uploaded file is kept beside it until the import ends.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from accord.config import Settings
from accord.curation.formats import detect_format
from accord.curation.importer import import_signals
from accord.curation.report import Refusal
from accord.errors import AccordError, NotFound
from accord.safeguards.cells import safe_writer
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.web.i18n import N_

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

    @property
    def percent(self) -> int:
        """How much of the file is read, 0-100."""
        if self.done:
            return 100
        return min(99, int(100 * self.bytes_read / self.size)) if self.size else 0


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

    def start(self, actor: Actor, bank: str, filename: str, data_path: Path) -> ImportJob:
        """Run the import of ``data_path`` (a file this module owns) in a thread."""
        detect_format(filename, None)  # refuse a file of unknown format before starting
        job = ImportJob(secrets.token_urlsafe(12), actor.member_id, bank, filename,
                        data_path.stat().st_size)
        self._write(job)
        worker = threading.Thread(target=self._run, args=(actor, job, data_path),
                                  name=f"accord-import-{job.job}", daemon=True)
        worker.start()
        return job

    def upload_path(self) -> Path:
        """A fresh file to save an upload into."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"upload-{secrets.token_urlsafe(12)}"

    def _run(self, actor: Actor, job: ImportJob, data_path: Path) -> None:
        last = [0.0]

        def progress(bytes_read: int, rows: int) -> None:
            job.bytes_read, job.rows = bytes_read, rows
            now = time.monotonic()
            if now - last[0] > 0.2:
                last[0] = now
                self._write(job)

        try:
            with data_path.open("rb") as handle:
                report = import_signals(self.db, actor, job.bank, handle, self.settings,
                                        fmt=detect_format(job.filename, None), progress=progress,
                                        filename=job.filename, job=job.job)
            job.rows, job.imported, job.duplicates = report.rows, report.imported, report.duplicates
            job.error_count = report.error_count
            job.errors = [f"{e.line}: {e.message}" for e in report.errors[:20]]
            if report.errors:
                job.rejected_kept = self._write_rejected(job, data_path, report.errors)
        except AccordError as error:
            job.failure = error.message
        except Exception as error:  # a thread has no caller to raise to: show it on the page
            job.failure = f"the import stopped: {type(error).__name__}"
        finally:
            job.done = True
            self._write(job)
            data_path.unlink(missing_ok=True)

    def _rejected_path(self, job: str) -> Path:
        return self._path(job).with_suffix(".rejected.csv")

    def _write_rejected(self, job: ImportJob, data_path: Path,
                        errors: list[Refusal]) -> int:
        """Save the refused rows (line, reason, the row as read) for download; their count."""
        wanted = {e.line: e.message for e in errors}
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

