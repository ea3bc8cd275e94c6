"""An NCMEC peer: python-threatexchange's own NCMEC client pulls from a local server that
speaks NCMEC's hash sharing XML (``/v2/entries`` paged by ``nextUrl``, tombstones,
``/v2/status``), pointed there with ``--endpoint`` (``accord.exchange.pytx_peers``'s
``_ncmec_at``). pytx's NCMEC module runs on a simulated clock: its fetch ranges end at
"now - 5 s", so time is moved instead of waited for."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from threatexchange.exchanges.clients.ncmec.hash_api import NCMECEnvironment
from threatexchange.exchanges.impl import ncmec_api

from accord.config import Settings
from accord.exchange import peers, pytx_peers, sync
from accord.store.database import Database
from tests.exchange.pytx_servers import (
    NCMEC_ESP,
    NCMEC_PASSWORD,
    NCMEC_USER,
    NCMECEntry,
    NCMECServer,
    serving_ncmec,
)
from tests.exchange.test_exchange_peers import OP, _bank, _peer, _provenance, bank, pdq

__all__ = ["bank"]  # the bank fixture, used by name
NOW = 1_000_000  # the simulated clock's start (Unix seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """pytx's NCMEC module's clock: ``clock[0]`` is now."""
    now = [NOW]
    monkeypatch.setattr(ncmec_api, "time", SimpleNamespace(time=lambda: now[0]))
    return now


@pytest.fixture
def ncmec() -> Iterator[NCMECServer]:
    backend = NCMECServer()
    with serving_ncmec(backend):
        yield backend


def _add(db: Database, settings: Settings, server: NCMECServer) -> peers.PeerRecord:
    creds = settings.home / "ncmec-credentials"
    creds.parent.mkdir(parents=True, exist_ok=True)
    creds.write_text(f"{NCMEC_USER}:{NCMEC_PASSWORD}\n")  # pytx's format: user:password
    creds.chmod(0o400)
    given = peers.ExchangePeerSettings(
        exchange="ncmec", collab=json.dumps({"environment": NCMECEnvironment.Industry.value}),
        credentials_file=str(creds), endpoint=server.url, tlp="AMBER",
        tag_map=json.dumps({"A1": "behaviour:recruitment"}))
    return peers.exchange_peer_add(db, OP, "ncmec", given, bank="gifct", settings=settings)


def _checkpoint(db: Database) -> ncmec_api.NCMECCheckpoint:
    found = pytx_peers.load_checkpoint(ncmec_api.NCMECSignalExchangeAPI, _peer(db, "ncmec").cursor)
    assert isinstance(found, ncmec_api.NCMECCheckpoint)
    return found


def md5(n: int) -> str:
    return hashlib.md5(f"video-{n}".encode()).hexdigest()


def test_a_full_then_incremental_ncmec_fetch_with_a_delete_and_the_skip_ledger(
        db: Database, settings: Settings, bank: str, ncmec: NCMECServer,
        clock: list[int]) -> None:
    ncmec.entries = [
        NCMECEntry("i1", NOW - 5000, {"pdq": pdq(1), "md5": md5(91)}),
        NCMECEntry("i2", NOW - 4000, {"pdq": pdq(2)}, member=43, classification="B2"),
        NCMECEntry("v1", NOW - 3000, {"md5": md5(1)}, kind="video"),
        NCMECEntry("zero", NOW - 2000, {"pdq": "0" * 64}),
        NCMECEntry("short", NOW - 1900, {"pdq": "abc"}),  # pytx would drop it with a log line
        NCMECEntry("md5only", NOW - 1800, {"md5": md5(2)}),  # an image's MD5: no Accord type
    ]
    _add(db, settings, ncmec)
    report = sync.sync_peer(db, settings, "ncmec")
    assert report.error is None, report.error
    assert (report.received, report.added, report.refused) == (6, 3, 3)
    stored = _bank(db)
    assert set(stored) == {pdq(1), pdq(2), md5(1)}
    assert stored[pdq(1)].labels == ("behaviour:recruitment",) and stored[pdq(2)].labels == ()
    assert (stored[md5(1)].signal_type, stored[md5(1)].tlp) == ("md5", "AMBER")
    origin = _provenance(db, pdq(2))
    assert origin.record_key == "43-i2" and origin.exchange == "ncmec"
    assert origin.owners == ["43"] and origin.unmapped_tags == ["B2"]
    ledger = {s.record_key: s.reason for s in peers.peer_skipped(db, OP, "ncmec")}
    assert set(ledger) == {f"{NCMEC_ESP}-zero", f"{NCMEC_ESP}-short", f"{NCMEC_ESP}-md5only"}
    assert "every digit is '0'" in ledger[f"{NCMEC_ESP}-zero"]
    assert "expected 64 hex digits" in ledger[f"{NCMEC_ESP}-short"]
    assert "holds no signal of a type Accord stores" in ledger[f"{NCMEC_ESP}-md5only"]
    assert _peer(db, "ncmec").skipped == 3
    done = _checkpoint(db)
    assert (done.get_entries_max_ts, done.paging_info) == (NOW - 5, None)

    # An hour later: one new entry, and i1 deleted upstream (its tombstone replaces it).
    clock[0] = NOW + 3600
    ncmec.entries[0] = NCMECEntry("i1", NOW + 100, deleted=True)
    ncmec.entries.append(NCMECEntry("i3", NOW + 200, {"pdq": pdq(3)}))
    ncmec.asked.clear()
    again = sync.sync_peer(db, settings, "ncmec")
    assert again.error is None, again.error
    assert ncmec.asked[0]["from"] == _when(NOW - 5)  # from the checkpoint, not the start
    assert (again.received, again.added, again.retracted, again.refused) == (2, 1, 1, 0)
    assert _bank(db, "retracted")[pdq(1)].status == "retracted"
    assert set(_bank(db, "active")) == {pdq(2), pdq(3), md5(1)}
    assert len(peers.peer_skipped(db, OP, "ncmec")) == 3


def _when(seconds: int) -> str:
    from datetime import datetime
    return datetime.fromtimestamp(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_endpoint_serves_every_call_of_pytxs_client(
        settings: Settings, ncmec: NCMECServer) -> None:
    api = pytx_peers.find_exchange("ncmec")
    collab = pytx_peers.parse_collab(api, "ncmec", json.dumps(
        {"environment": NCMECEnvironment.Industry.value}))
    creds = settings.home / "c"
    creds.parent.mkdir(parents=True, exist_ok=True)
    creds.write_text(f"{NCMEC_USER}:{NCMEC_PASSWORD}")
    exchange = pytx_peers.open_exchange(api, collab, f"file:{creds}", ncmec.url)
    assert isinstance(exchange, ncmec_api.NCMECSignalExchangeAPI)
    assert exchange.get_client(NCMECEnvironment.Industry).status().esp_id == NCMEC_ESP


HOT = NOW - 3000  # one second holding more entries than a page


def _hot_entries() -> list[NCMECEntry]:
    return [NCMECEntry("a0", NOW - 6000, {"pdq": pdq(100)}),
            *(NCMECEntry(f"h{n}", HOT, {"pdq": pdq(n)}) for n in range(1, 8)),
            NCMECEntry("z9", NOW - 1000, {"pdq": pdq(200)})]


def test_a_second_with_many_pages_resumes_from_the_paging_url_after_a_truncated_page(
        db: Database, settings: Settings, bank: str, ncmec: NCMECServer,
        clock: list[int]) -> None:
    # HMA's tracker (ThreatExchange #1679): records all in one second. Every page of a
    # range carries the same progress time (the range's start): it is not a repeat nor
    # a rewind; pytx keeps the paging URL in the checkpoint to resume mid-range.
    ncmec.entries = _hot_entries()
    ncmec.garble_with = "h7"  # sorted by id it is never on a range's first page
    _add(db, settings, ncmec)
    report = sync.sync_peer(db, settings, "ncmec")
    assert report.error is not None and "not XML (truncated or garbled)" in report.error
    assert NCMEC_PASSWORD not in report.error
    held = _checkpoint(db)
    assert held.paging_info is not None and "start=" in held.paging_info.paging_url
    assert held.get_entries_max_ts < HOT <= held.paging_info.paging_end_ts
    assert _peer(db, "ncmec").state == "failed"
    before = set(_bank(db))
    assert {pdq(n) for n in range(1, 7)} <= before and pdq(7) not in before

    ncmec.garble_with = None
    ncmec.asked.clear()
    clock[0] = NOW + 60  # the next sync, a minute later
    again = sync.sync_peer(db, settings, "ncmec")
    assert again.error is None, again.error
    assert "start" in ncmec.asked[0]  # resumed from the paging URL, not the range's start
    assert set(_bank(db)) == {pdq(100), pdq(200), *(pdq(n) for n in range(1, 8))}
    assert peers.peer_skipped(db, OP, "ncmec") == []
    done = _checkpoint(db)
    assert (done.get_entries_max_ts, done.paging_info) == (NOW + 55, None)


def test_a_paging_url_that_loops_stops_the_run_and_keeps_what_came_before(
        db: Database, settings: Settings, bank: str, ncmec: NCMECServer,
        clock: list[int]) -> None:
    ncmec.entries, ncmec.stuck_paging = _hot_entries(), True
    _add(db, settings, ncmec)
    report = sync.sync_peer(db, settings, "ncmec")
    assert report.error is not None and "same page again" in report.error
    assert {pdq(n) for n in range(1, 4)} <= set(_bank(db))
    assert _checkpoint(db).get_entries_max_ts < HOT
