"""The server's refresher expires crises on time: the crisis bank's sharing narrows back to
its own channel without anyone reading crises or running ``accord crisis expire``."""

from __future__ import annotations

import datetime as dt
import time

from fastapi.testclient import TestClient

from accord.config import Settings
from accord.curation import banks
from accord.incidents import crisis, service
from accord.incidents.tables import text_table
from accord.node import Node
from accord.sharing import service as sharing
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.api.conftest import Keys

OP = Actor.operator()


def _crisis_past_expiry(db: Database, settings: Settings) -> int:
    """A crisis on A's crisis bank (own channel "a-only") that should have ended a minute
    ago; returns the bank id."""
    sharing.channel_add(db, OP, "a-only", "Agency A")
    bank = banks.bank_add(db, OP, "crisis-bank", "Agency A", channel="a-only")
    service.incident_import(db, OP, text_table(
        "eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
        "1,2026,3,1,Freedonia,Armed Assault,Business\n"), service.Sharing("Agency A", "GREEN"))
    made = crisis.activate(db, OP, settings, 1, "crisis-bank", "ab", ["rapid-spread"])
    with db.transaction() as session:
        session.get_one(m.Crisis, made.id).expires_at = m.utcnow() - dt.timedelta(minutes=1)
    return bank.id


def _state(db: Database, bank_id: int) -> tuple[bool, str]:
    with db.reader() as session:
        expired = session.get_one(m.Crisis, 1).expired_at is not None
        channel = session.get_one(m.Channel, session.get_one(m.Bank, bank_id).channel_id)
        return expired, channel.name


def test_a_refresher_pass_expires_a_crisis_that_is_due(
    db: Database, settings: Settings, keys: Keys
) -> None:
    bank_id = _crisis_past_expiry(db, settings)
    assert _state(db, bank_id) == (False, "ab")
    Node(settings, db).refresh_once()
    assert _state(db, bank_id) == (True, "a-only")


def test_the_running_server_expires_it_within_a_few_refresh_intervals(
    db: Database, settings: Settings, api: TestClient
) -> None:
    bank_id = _crisis_past_expiry(db, settings)
    deadline = time.monotonic() + 10
    while _state(db, bank_id) != (True, "a-only") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(db, bank_id) == (True, "a-only")
