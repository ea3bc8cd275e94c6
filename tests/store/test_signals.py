"""Reading stored signals: the canonical value of a row, and the labels of many signals."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store import signals as stored
from accord.store.database import Database

LONG_URL = "https://media.example.com/" + "/".join(f"part{i:03d}" for i in range(40))


def test_a_short_value_is_its_own_canonical_value() -> None:
    assert stored.canonical_value(SimpleNamespace(value="a" * 32, payload=None)) == "a" * 32


def test_a_value_stored_under_a_key_reads_back_from_its_payload(
    db: Database, settings: Settings
) -> None:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    banks.bank_add(db, op, "urls", "Agency A", default_tlp="GREEN")
    added = signals.signal_add(db, op, "urls", SignalInput("url", LONG_URL), settings)
    with db.reader() as session:
        row = session.get_one(m.Signal, added.id)
        columns = session.execute(select(m.Signal.value, m.Signal.payload)
                                  .where(m.Signal.id == added.id)).one()
        assert row.value.startswith("sha256:")
        assert stored.canonical_value(row) == stored.canonical_value(columns) == LONG_URL


@pytest.fixture
def labelled(db: Database, settings: Settings) -> list[int]:
    """Three signals: labelled b and a, labelled c, and unlabelled."""
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    banks.bank_add(db, op, "hashes", "Agency A", default_tlp="GREEN")
    given = (("a", ("content:video", "content:image")), ("b", ("behaviour:threat",)), ("c", ()))
    return [signals.signal_add(db, op, "hashes", SignalInput("md5", c * 32, labels=labels),
                               settings).id for c, labels in given]


def test_labels_of_gives_every_signal_asked_its_sorted_labels(
    db: Database, labelled: list[int]
) -> None:
    first, second, bare = labelled
    with db.reader() as session:
        found = stored.labels_of(session, [bare, first, second, first])
    assert found == {first: ("content:image", "content:video"), second: ("behaviour:threat",),
                     bare: ()}
    with db.reader() as session:
        assert stored.labels_of(session, []) == {}


def test_labels_of_reads_long_id_lists_in_chunks(
    db: Database, labelled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored, "_CHUNK", 1)
    with db.reader() as session:
        found = stored.labels_of(session, labelled)
    assert [found[i] for i in labelled] == [
        ("content:image", "content:video"), ("behaviour:threat",), ()]
