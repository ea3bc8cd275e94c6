"""Writing signals out in the formats ``accord signal import`` reads back.

``export_signals`` is an export: the file leaves the node, so it holds only what
may leave (``Purpose.LEAVE_NODE`` of the visibility rule, the rule ``accord
export`` and sync apply): RED and AMBER+STRICT signals are never written, the
owner's own and the operator's included. ``backup_signals`` is the operator's
full dump of everything on the node (a backup, which does not leave the
operator's hands); it is refused to anyone else and audited each time.

Every text cell of the CSV goes through ``accord.safeguards.cells`` (no
spreadsheet formulas); ``accord signal import`` undoes that, so a file reads
back as it was.
"""

from __future__ import annotations

import json
from typing import IO

from accord import audit
from accord.curation.signals import signal_list
from accord.errors import PermissionDenied
from accord.safeguards.cells import SafeWriter, safe_writer
from accord.sharing.roles import Actor
from accord.sharing.visibility import Purpose, Viewer, may_see, viewer_of
from accord.store import records as r
from accord.store.database import Database

COLUMNS = ("signal_type", "signal_value", "quality", "labels", "tlp", "rationale",
           "source_ref", "status")
PAGE = 5000


def _row(signal: r.Signal) -> dict[str, str | int | list[str] | None]:
    return {
        "signal_type": signal.signal_type, "signal_value": signal.value,
        "quality": signal.quality, "labels": list(signal.labels), "tlp": signal.tlp,
        "rationale": signal.rationale, "source_ref": signal.source_ref, "status": signal.status,
    }


def _write(out: IO[str], writer: SafeWriter | None, signal: r.Signal) -> None:
    row = _row(signal)
    if writer is not None:
        row["labels"] = ";".join(signal.labels)
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    else:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _dump(db: Database, actor: Actor, out: IO[str], fmt: str, bank: str | int | None,
          include_retracted: bool, viewer: Viewer | None) -> int:
    """Write the signals ``actor`` may see; with ``viewer``, only those that may leave."""
    writer = safe_writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    count = 0
    statuses: list[str | None] = [None] if include_retracted else ["active", "quarantined"]
    for status in statuses:
        after = 0
        while page := signal_list(db, actor, bank=bank, status=status, after_id=after,
                                  limit=PAGE):
            for signal in page:
                if viewer is None or may_see(viewer, signal, Purpose.LEAVE_NODE):
                    _write(out, writer, signal)
                    count += 1
            after = page[-1].id
    return count


def export_signals(
    db: Database, actor: Actor, out: IO[str], *, fmt: str = "csv",
    bank: str | int | None = None, include_retracted: bool = False,
) -> int:
    """Write every signal the actor may see and carry off the node (of one bank, or all);
    returns the count. RED and AMBER+STRICT signals are never written.

    Retracted signals are left out unless asked for; with them, the ``status``
    column lets the reader apply the tombstones.
    """
    with db.reader() as session:
        viewer = viewer_of(session, actor)
    return _dump(db, actor, out, fmt, bank, include_retracted, viewer)


def backup_signals(
    db: Database, actor: Actor, out: IO[str], *, fmt: str = "csv",
    bank: str | int | None = None, include_retracted: bool = True,
) -> int:
    """The operator's full dump of the node's signals, every marking included; audited.

    Only the node operator may take it (``PermissionDenied`` otherwise): it holds RED and
    AMBER+STRICT signals, which no export carries. Returns the count.
    """
    if not actor.is_operator:
        raise PermissionDenied("only the node operator may take a full signal backup",
                               hint="use accord signal export: it writes what may leave "
                                    "the node")
    with db.transaction() as session:
        audit.record(session, actor, audit.AuditAction.SIGNAL_BACKUP, "signals",
                     str(bank) if bank is not None else "*",
                     {"format": fmt, "bank": bank, "include_retracted": include_retracted})
    return _dump(db, actor, out, fmt, bank, include_retracted, None)
