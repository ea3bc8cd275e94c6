"""Writing signals out in the formats ``accord signal import`` reads back."""

from __future__ import annotations

import csv
import json
from typing import IO

from accord.curation.signals import signal_list
from accord.sharing.roles import Actor
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


def export_signals(
    db: Database, actor: Actor, out: IO[str], *, fmt: str = "csv",
    bank: str | int | None = None, include_retracted: bool = False,
) -> int:
    """Write every signal the actor may see (of one bank, or all); returns the count.

    Retracted signals are left out unless asked for; with them, the ``status``
    column lets the reader apply the tombstones.
    """
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    count, after = 0, 0
    statuses: list[str | None] = [None] if include_retracted else ["active", "quarantined"]
    for status in statuses:
        after = 0
        while page := signal_list(db, actor, bank=bank, status=status, after_id=after,
                                  limit=PAGE):
            for signal in page:
                row = _row(signal)
                if writer is not None:
                    row["labels"] = ";".join(signal.labels)
                    writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
                else:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += len(page)
            after = page[-1].id
    return count
