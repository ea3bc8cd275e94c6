"""What ``accord sync`` pushes to a peer: a quarantined (disputed) signal only as a version
saying so, never as an active one."""

from __future__ import annotations

from sqlalchemy import update

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput, Status
from accord.exchange import sync
from accord.exchange.indicator import IndicatorRenderer
from accord.exchange.stix_common import EXTENSION_ID
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

OP = Actor.operator()


def test_a_quarantined_signal_is_pushed_as_a_quarantined_version_beside_active_and_retracted(
        db: Database, settings: Settings) -> None:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    bank = banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="GREEN")
    ids = {status: signals.signal_add(db, OP, "a-images", SignalInput("md5", char * 32),
                                      settings).id
           for status, char in (("active", "1"), ("quarantined", "2"), ("retracted", "3"))}
    with db.transaction() as session:  # as a dispute leaves it
        session.execute(update(m.Signal).where(m.Signal.id == ids["quarantined"])
                        .values(status=Status.QUARANTINED.value))
    signals.signal_retract(db, OP, ids["retracted"], "mistake")
    rows, _ = sync._push_rows(db, bank.id, None, 0, 100)
    assert {(r.value, r.status) for r in rows} == {("1" * 32, "active"),
                                                   ("2" * 32, "quarantined"),
                                                   ("3" * 32, "retracted")}
    renderer = IndicatorRenderer("node-a")
    sent = {r.value: renderer.indicator(r) for r in rows}
    assert "revoked" not in sent["2" * 32]
    assert sent["2" * 32]["extensions"][EXTENSION_ID]["status"] == "quarantined"
    assert sent["3" * 32]["revoked"] is True
