"""The change sequence TAXII pages by: every insert and update gets the next number."""

from __future__ import annotations

import io

from sqlalchemy import select

from accord.config import Settings
from accord.curation import banks, importer, signals
from accord.curation.signals import SignalInput
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

OP = Actor.operator()


def _seqs(db: Database) -> dict[int, int]:
    with db.reader() as session:
        rows = session.execute(select(m.Signal.id, m.Signal.sync_seq)).all()
    return {i: s for i, s in rows}


def test_inserts_and_updates_take_increasing_unique_numbers(db: Database,
                                                            settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a", "Agency A", default_tlp="GREEN")
    first = signals.signal_add(db, OP, "a", SignalInput("md5", "1" * 32), settings).id
    rows = "signal_type,signal_value\n" + "".join(f"md5,{i:032x}\n" for i in range(2, 502))
    importer.import_signals(db, OP, "a", io.BytesIO(rows.encode()), settings, fmt="csv")
    before = _seqs(db)
    assert None not in before.values()
    assert len(set(before.values())) == len(before) == 501
    assert sorted(before, key=before.__getitem__) == sorted(before)  # numbered in id order

    signals.signal_retract(db, OP, first, "mistake")
    after = _seqs(db)
    assert after[first] > max(before.values())  # the new version comes after everything
    assert {k: v for k, v in after.items() if k != first} == {
        k: v for k, v in before.items() if k != first}
