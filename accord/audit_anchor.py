"""Anchoring the audit chain outside the database: signed checkpoints and witnesses.

The chain in ``accord.audit`` catches an edit, a deletion or a reordering, but not
someone holding the database who cuts events from the end and rewinds the head row,
or edits an event and recomputes every later hash. A checkpoint states "the chain had
event ``seq`` with hash ``hash`` at ``at``", signed with HMAC-SHA256 under a key the
database does not hold (ACCORD_AUDIT_KEY or a 0600 file, HOME/audit-anchor.key by
default). Checkpoints are stored in ``audit_checkpoints`` and appended to witness files
(JSON lines, outside the database); ``verify`` checks their signatures and the chain
against them. What each protects against, and what not: docs/audit.md.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import audit
from accord.audit import GENESIS, Pin, VerifyReport
from accord.config import Settings
from accord.errors import IntegrityError, Invalid
from accord.store import models as m
from accord.store.database import Database

NO_CHECKPOINT = ("no signed checkpoint yet (run `accord audit checkpoint`): events cut from "
                 "the end with the head row rewound, or an edit with every later hash "
                 "recomputed, cannot be detected")
NO_WITNESS = ("no witness outside the database: a rewrite of the whole chain by someone "
              "holding the database (who can also delete its checkpoints) cannot be detected")
KEY_MIN_CHARS = 32
_DOMAIN = "accord-audit-checkpoint/1"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the chain had event ``seq`` with ``hash`` at time ``at``."""

    seq: int
    hash: str
    at: dt.datetime
    key_id: str
    signature: str
    source: str = "database"

    def pin(self) -> Pin:
        """This checkpoint's hash as ``audit.verify`` checks it, named for a report."""
        return Pin(self.seq, self.hash, f"the checkpoint signed {self.at:%Y-%m-%d %H:%M:%S} "
                                        f"UTC ({self.source})")

    def to_json(self) -> str:
        """One witness-file line (without the newline)."""
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at.isoformat(),
                           "key_id": self.key_id, "signature": self.signature},
                          sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str, source: str) -> Checkpoint:
        """Read a witness-file line; IntegrityError if it is not a checkpoint."""
        try:
            data = json.loads(line)
            return cls(int(data["seq"]), str(data["hash"]),
                       dt.datetime.fromisoformat(data["at"]).astimezone(dt.UTC),
                       str(data["key_id"]), str(data["signature"]), source)
        except (ValueError, KeyError, TypeError) as exc:
            raise IntegrityError("{source} is not a checkpoint ({kind})",
                                 hint="witness files hold one JSON checkpoint per line, as "
                                      "`accord audit checkpoint` appends them", source=source,
                                 kind=type(exc).__name__) from exc


@dataclass(frozen=True, slots=True)
class AnchorKey:
    """The HMAC-SHA256 key checkpoints are signed with; never stored in the database."""

    secret: bytes

    @property
    def key_id(self) -> str:
        """A short public name of the key (not the key): which key signed a checkpoint."""
        return hashlib.sha256(b"accord-audit-key-id\n" + self.secret).hexdigest()[:16]

    def sign(self, seq: int, head_hash: str, at: dt.datetime) -> str:
        """The signature over a checkpoint's fields."""
        message = "\n".join((_DOMAIN, str(seq), head_hash, at.astimezone(dt.UTC).isoformat(),
                             self.key_id))
        return hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()

    def signed(self, cp: Checkpoint) -> bool:
        """True when ``cp`` carries this key's valid signature."""
        return cp.key_id == self.key_id and hmac.compare_digest(
            cp.signature, self.sign(cp.seq, cp.hash, cp.at))


@dataclass(frozen=True, slots=True)
class Anchors:
    """What ``verify`` checks the chain against: the key and the witness files."""

    key: AnchorKey | None
    witnesses: tuple[Path, ...] = ()
    key_source: str = "ACCORD_AUDIT_KEY"


def key_path(settings: Settings) -> Path:
    """Where the checkpoint key file is: ACCORD_AUDIT_KEY_FILE or HOME/audit-anchor.key."""
    return settings.audit_key_file or Path(settings.home) / "audit-anchor.key"


def load_key(settings: Settings, *, create: bool = False) -> AnchorKey | None:
    """The checkpoint key from ACCORD_AUDIT_KEY or its file; None when there is none.

    ``create``: make a random key file (mode 0600) first if it does not exist yet.
    """
    if settings.audit_key:
        return _checked_key(settings.audit_key, "ACCORD_AUDIT_KEY")
    path = key_path(settings)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    try:
        for _ in range(50):  # another worker may be writing it this very moment
            text = path.read_text().strip()
            if text:
                break
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Invalid("the audit checkpoint key file {path} cannot be read: {strerror}",
                      hint="make it readable by the user running Accord (mode 0600)", path=path,
                      strerror=exc.strerror) from exc
    return _checked_key(text, str(path))


def _checked_key(text: str, source: str) -> AnchorKey:
    if len(text.strip()) < KEY_MIN_CHARS:
        raise Invalid("the audit checkpoint key in {source} is shorter than {key_min_chars} "
                      "characters", hint="use a long random secret, e.g. `openssl rand -hex 32`",
                      source=source, key_min_chars=KEY_MIN_CHARS)
    return AnchorKey(text.strip().encode())


def witness_files(settings: Settings, extra: Sequence[Path] = ()) -> tuple[Path, ...]:
    """ACCORD_AUDIT_WITNESS_FILE (if set) and ``extra``, each once."""
    files = [settings.audit_witness_file] if settings.audit_witness_file else []
    return tuple(dict.fromkeys([*files, *extra]))


def anchors_for(settings: Settings, witnesses: Sequence[Path] = ()) -> Anchors:
    """The key (never created here) and the witness files: the setting's and ``witnesses``."""
    source = "ACCORD_AUDIT_KEY" if settings.audit_key else str(key_path(settings))
    return Anchors(load_key(settings), witness_files(settings, witnesses), source)


def checkpoint(db: Database, key: AnchorKey, *, witnesses: Sequence[Path] = ()) -> Checkpoint:
    """Sign the chain's head into the database and append it to each witness file.

    Only a chain that holds is signed: the events since the last checkpoint signed with
    this key (or all of them, the first time) are checked first; IntegrityError if not.
    """
    with db.transaction() as session:
        head = session.get(m.AuditHead, 1)
        if head is None:
            raise IntegrityError("the audit log's head row is missing",
                                 hint="the database was not created by `accord init`")
        reason = _holds_since(session, key, head)
        if reason is not None:
            raise IntegrityError("not checkpointing a broken audit log: {reason}",
                                 hint="run `accord audit verify` and restore from a backup",
                                 reason=reason)
        at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        cp = Checkpoint(head.seq, head.hash, at, key.key_id, key.sign(head.seq, head.hash, at))
        session.add(m.AuditCheckpoint(seq=cp.seq, hash=cp.hash, at=cp.at, key_id=cp.key_id,
                                      signature=cp.signature))
    for path in witnesses:
        append_witness(path, cp)
    return cp


def append_witness(path: Path, cp: Checkpoint) -> None:
    """Append one checkpoint line to a witness file (made if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(cp.to_json() + "\n")


def read_witness(path: Path) -> list[Checkpoint]:
    """The checkpoints a witness file holds (none when it does not exist yet)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise Invalid("the witness file {path} cannot be read: {strerror}",
                      hint="check --witness or ACCORD_AUDIT_WITNESS_FILE", path=path,
                      strerror=exc.strerror) from exc
    return [Checkpoint.from_json(line, f"witness {path.name} line {n}")
            for n, line in enumerate(lines, 1) if line.strip()]


def checkpoints(db: Database) -> list[Checkpoint]:
    """The checkpoints stored in the database, oldest first."""
    with db.reader() as session:
        rows = session.execute(select(m.AuditCheckpoint).order_by(
            m.AuditCheckpoint.seq, m.AuditCheckpoint.id)).scalars().all()
        return [Checkpoint(r.seq, r.hash, r.at.astimezone(dt.UTC), r.key_id, r.signature)
                for r in rows]


def checkpoint_due(db: Database, settings: Settings) -> bool:
    """True when the node should checkpoint now: new events since the last checkpoint and
    ACCORD_AUDIT_CHECKPOINT_EVENTS of them, or the last one older than _SECONDS."""
    every, seconds = settings.audit_checkpoint_events, settings.audit_checkpoint_seconds
    if not every and not seconds:
        return False
    with db.reader() as session:
        head = session.get(m.AuditHead, 1)
        last = session.execute(select(m.AuditCheckpoint).order_by(
            m.AuditCheckpoint.seq.desc()).limit(1)).scalar_one_or_none()
        if head is None or head.seq == 0:
            return False
        if last is None:
            return True
        new, age = head.seq - last.seq, dt.datetime.now(dt.UTC) - last.at
    return new > 0 and ((every > 0 and new >= every)
                        or (seconds > 0 and age.total_seconds() >= seconds))


def _holds_since(session: Session, key: AnchorKey, head: m.AuditHead) -> str | None:
    """Why the chain from the last checkpoint signed with ``key`` up to ``head`` breaks."""
    rows = session.execute(select(m.AuditCheckpoint).where(
        m.AuditCheckpoint.key_id == key.key_id).order_by(
        m.AuditCheckpoint.seq.desc(), m.AuditCheckpoint.id.desc())).scalars()
    start, prev = 0, GENESIS
    for row in rows:
        cp = Checkpoint(row.seq, row.hash, row.at.astimezone(dt.UTC), row.key_id,
                        row.signature)
        if key.signed(cp):
            if cp.seq > head.seq:
                return (f"a checkpoint records event {cp.seq}, but the head records event "
                        f"{head.seq}: events were cut from the end")
            start, prev = cp.seq, cp.hash
            break
    if start:
        at_start = session.get(m.AuditEvent, start)
        if at_start is None or at_start.hash != prev:
            return f"event {start} no longer matches the checkpoint signed for it"
    expected = start
    for event in session.execute(select(m.AuditEvent).where(m.AuditEvent.seq > start)
                                 .order_by(m.AuditEvent.seq)).scalars():
        reason = audit.check_link(event, expected + 1, prev)
        if reason is not None:
            return reason
        expected, prev = event.seq, event.hash
    if (expected, prev) != (head.seq, head.hash):
        return f"the log ends at event {expected} but its head records event {head.seq}"
    return None


def _gather(db: Database, anchors: Anchors) -> list[Checkpoint]:
    found = checkpoints(db)
    for path in anchors.witnesses:
        found.extend(read_witness(path))
    return found


def _require_key(anchors: Anchors) -> AnchorKey:
    if anchors.key is None:
        raise Invalid("signed audit checkpoints exist but the key is missing ({key_source}), so "
                      "they cannot be checked",
                      hint="restore the key file the node signs with, or set ACCORD_AUDIT_KEY or "
                           "ACCORD_AUDIT_KEY_FILE to it (docs/audit.md)",
                      key_source=anchors.key_source)
    return anchors.key


def _first_forged(found: Sequence[Checkpoint], key: AnchorKey) -> tuple[Checkpoint, str] | None:
    for cp in found:
        if not key.signed(cp):
            why = ("it was signed with another key (id " + cp.key_id + ")"
                   if cp.key_id != key.key_id else "its signature is wrong")
            return cp, (f"the checkpoint for event {cp.seq} ({cp.source}) is forged or "
                        f"altered: {why}")
    return None


def _warnings(found: Sequence[Checkpoint], checked: int, anchored: int) -> tuple[str, ...]:
    notes: list[str] = []
    if not found:
        notes.append(NO_CHECKPOINT)
    if not any(cp.source != "database" for cp in found):
        notes.append(NO_WITNESS)
    if found and anchored < checked:
        notes.append(f"events {anchored + 1} to {checked} come after the last checkpoint: "
                     "only the chain protects them until the next one")
    return tuple(notes)


def verify(db: Database, anchors: Anchors) -> VerifyReport:
    """``audit.verify`` against every checkpoint in the database and the witness files.

    Each checkpoint's signature is checked first (a forged one breaks the log); the report
    is ok when the chain also holds against all of them, and its ``warnings`` then say
    what could not be detected (no checkpoint, no witness outside the database, events
    after the last checkpoint).
    """
    found = checkpoints(db)
    for path in anchors.witnesses:
        found.extend(read_witness(path))
    if found:
        forged = _first_forged(found, _require_key(anchors))
        if forged is not None:
            return VerifyReport(0, forged[0].seq, forged[1], len(found))
    report = audit.verify(db, [cp.pin() for cp in found])
    if not report.ok:
        return report
    return replace(report, warnings=_warnings(found, report.events_checked,
                                              report.anchored_seq))
