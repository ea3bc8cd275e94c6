"""The change sequence TAXII pages by: every insert and update gets the next number."""

from __future__ import annotations

import io
import threading
import time

from sqlalchemy import select, text

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


def test_a_writer_that_commits_later_never_gets_a_lower_number(db: Database,
                                                               settings: Settings) -> None:
    """A cursor never skips a row committed late: numbers are handed out in commit order,
    so a second writer waits for the first to commit before it takes one."""
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a", "Agency A", default_tlp="GREEN")
    signals.signal_add(db, OP, "a", SignalInput("md5", "1" * 32), settings)
    committed: list[str] = []

    def second() -> None:
        signals.signal_add(db, OP, "a", SignalInput("md5", "3" * 32), settings)
        committed.append("3" * 32)

    with db.transaction() as session:
        session.execute(text(
            "INSERT INTO signals (bank_id, owner_partner_id, signal_type, value, tlp, "
            "contributor, rationale, source_ref, status, created_at, updated_at) VALUES "
            "(1, 1, 'md5', :v, 'GREEN', 'x', '', '', 'active', :t, :t)"),
            {"v": "2" * 32, "t": m.utcnow()})
        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.5)
        assert committed == []  # the second writer waits for this one
    worker.join(timeout=30)
    with db.reader() as session:
        order = session.execute(select(m.Signal.value).order_by(m.Signal.sync_seq)).scalars()
        assert list(order) == ["1" * 32, "2" * 32, "3" * 32]
