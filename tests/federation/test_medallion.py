"""Accord's TAXII client against medallion, OASIS's TAXII 2.1 server, run as its own
process from its own virtualenv (``tests/federation/medallion.py``), with pages of two.

medallion holds a ``next`` to the query that issued it (TAXII 2.1 pagination: a request with
``next`` repeats the original filters; any other filter is HTTP 400), forgets it when the
query ends, and answers objects in ``date_added`` order, with the same ``next`` for every
page of one query.
"""

from __future__ import annotations

import json
from pathlib import Path

from taxii2client.v21 import Collection, as_pages

from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.exchange import peers, sync
from accord.sharing import service
from tests.federation.medallion import (
    COLLECTION_ID,
    COLLECTION_TITLE,
    PASSWORD,
    USER,
    Medallion,
    indicator,
    md5,
    medallion,
)
from tests.federation.nodes import OP, Node, pull_notes, sqlite_node


def _node(template: Path, folder: Path, server: Medallion) -> Node:
    """Node B with a bank ``from-medallion`` that peer ``med`` pulls into."""
    b = sqlite_node("node-b", template, folder)
    service.partner_add(b.db, OP, "Platform B", "platform", "IE")
    banks.bank_add(b.db, OP, "from-medallion", "Platform B", default_tlp="AMBER")
    peers.peer_add(b.db, OP, server.discovery, COLLECTION_TITLE, bank="from-medallion",
                   name="med", username=USER, api_key=PASSWORD, settings=b.settings)
    return b


def _pulled(b: Node) -> set[str]:
    return {s.value for s in signals.signal_list(b.db, OP, bank="from-medallion")}


def _initial() -> list[dict[str, object]]:
    return [indicator(n, md5(n)) for n in range(1, 5)]


def test_accord_pulls_from_and_pushes_to_medallion(sqlite_template: Path,
                                                   tmp_path: Path) -> None:
    objects = [indicator(1, "a" * 32), indicator(2, "b" * 32),
               {"type": "malware", "spec_version": "2.1", "is_family": False,
                "id": "malware--00000003-1111-4111-8111-111111111111", "name": "x",
                "created": "2026-01-01T00:00:03.000Z", "modified": "2026-01-01T00:00:03.000Z"},
               indicator(4, "c" * 32, pattern="[file:name = 'x']")]
    with medallion(tmp_path / "med", objects) as server:
        b = _node(sqlite_template, tmp_path / "b", server)
        banks.bank_add(b.db, OP, "b-own", "Platform B", default_tlp="GREEN")
        ours = signals.signal_add(b.db, OP, "b-own", SignalInput("sha256", "d" * 64),
                                  b.settings)
        signals.signal_add(b.db, OP, "b-own", SignalInput("sha256", "e" * 64, tlp="RED"),
                           b.settings)

        report = sync.sync_peer(b.db, b.settings, "med")

        assert report.error is None, report
        assert _pulled(b) == {"a" * 32, "b" * 32}
        assert (report.ignored, report.refused) == (1, 1)  # the malware; the file:name one
        assert report.pushed == 1
        collection = Collection(f"{server.url}/trustgroup1/collections/{COLLECTION_ID}/",
                                user=USER, password=PASSWORD)
        on_medallion = json.dumps(list(as_pages(collection.get_objects, per_request=2)))
        assert ours.value in on_medallion
        assert "e" * 64 not in on_medallion  # RED never leaves

        again = sync.sync_peer(b.db, b.settings, "med")
        assert again.error is None and again.added == 0 and again.pushed == 0
        assert _pulled(b) == {"a" * 32, "b" * 32}
        (listed,) = peers.peer_list(b.db, OP)
        assert listed.state == "ok" and listed.pulled == 2 and listed.pushed == 1
        b.db.dispose()


def test_a_later_sync_follows_next_with_its_added_after_and_gets_what_is_new(
        sqlite_template: Path, tmp_path: Path) -> None:
    with medallion(tmp_path / "med", _initial()) as server:
        b = _node(sqlite_template, tmp_path / "b", server)
        first = sync.sync_peer(b.db, b.settings, "med")
        assert first.error is None and first.added == 4, first
        for n in (5, 6, 7):  # each its own request: three date_added values
            server.add([indicator(n, md5(n))])

        later = sync.sync_peer(b.db, b.settings, "med")

        assert later.error is None, later  # today: HTTP 400, params changed
        assert later.added == 3 and later.pages >= 2
        assert _pulled(b) == {md5(n) for n in range(1, 8)}
        b.db.dispose()


def test_an_incremental_pull_of_five_new_objects_over_several_pages_gets_all_five(
        sqlite_template: Path, tmp_path: Path) -> None:
    with medallion(tmp_path / "med", _initial()) as server:
        b = _node(sqlite_template, tmp_path / "b", server)
        assert sync.sync_peer(b.db, b.settings, "med").added == 4
        for n in range(11, 16):
            server.add([indicator(n, md5(n))])

        report = sync.sync_peer(b.db, b.settings, "med")

        assert report.error is None, report
        assert report.added == 5 and report.pages >= 3
        assert _pulled(b) >= {md5(n) for n in range(11, 16)}
        quiet = sync.sync_peer(b.db, b.settings, "med")
        assert quiet.error is None and quiet.added == 0 and not pull_notes(quiet), quiet
        (listed,) = peers.peer_list(b.db, OP)
        assert listed.state == "ok" and listed.pulled == 9
        b.db.dispose()


def test_more_than_a_page_of_objects_sharing_one_date_added_all_arrive_once(
        sqlite_template: Path, tmp_path: Path) -> None:
    same = "2026-01-01T00:00:00.000000Z"
    objects = [indicator(n, md5(n)) for n in range(1, 6)]
    with medallion(tmp_path / "med", objects,
                   date_added={str(o["id"]): same for o in objects}) as server:
        b = _node(sqlite_template, tmp_path / "b", server)

        report = sync.sync_peer(b.db, b.settings, "med")

        assert report.error is None and not pull_notes(report), report
        assert report.added == 5 and report.pages == 3
        again = sync.sync_peer(b.db, b.settings, "med")
        assert again.error is None and again.added == 0 and not pull_notes(again), again
        assert _pulled(b) == {md5(n) for n in range(1, 6)}
        b.db.dispose()


def test_new_objects_sharing_one_date_added_past_a_page_arrive_and_the_peer_stays_ok(
        sqlite_template: Path, tmp_path: Path) -> None:
    with medallion(tmp_path / "med", _initial()) as server:
        b = _node(sqlite_template, tmp_path / "b", server)
        assert sync.sync_peer(b.db, b.settings, "med").added == 4
        server.add([indicator(n, md5(n)) for n in range(21, 26)])  # one request: one time

        report = sync.sync_peer(b.db, b.settings, "med")
        assert report.error is None and report.added == 5, report
        for _ in range(2):  # resumed at the shared time: every page of it again, no more
            again = sync.sync_peer(b.db, b.settings, "med")
            assert again.error is None and again.added == 0 and not pull_notes(again), again
        assert _pulled(b) == {md5(n) for n in (*range(1, 5), *range(21, 26))}
        (listed,) = peers.peer_list(b.db, OP)
        assert listed.state == "ok" and listed.pulled == 9
        b.db.dispose()


def test_local_signals_in_the_peers_own_bank_are_pushed_and_pulled_ones_never_echoed(
        sqlite_template: Path, tmp_path: Path) -> None:
    with medallion(tmp_path / "med", [indicator(1, md5(1)), indicator(2, md5(2))]) as server:
        b = _node(sqlite_template, tmp_path / "b", server)
        # A curator's own signals, in the bank that pulls from medallion land in.
        mine = signals.signal_add(b.db, OP, "from-medallion",
                                  SignalInput("sha256", "d" * 64, tlp="GREEN"), b.settings)
        signals.signal_add(b.db, OP, "from-medallion",
                           SignalInput("sha256", "e" * 64, tlp="RED"), b.settings)

        report = sync.sync_peer(b.db, b.settings, "med")

        assert report.error is None and report.added == 2, report
        assert report.pushed == 1  # today: 0, and nothing says why
        assert report.not_pushed == {"may-not-leave": 1, "pulled": 2}
        on_medallion = json.dumps(server.all_objects())
        assert mine.value in on_medallion and "e" * 64 not in on_medallion
        again = sync.sync_peer(b.db, b.settings, "med")
        assert again.error is None and again.pushed == 0 and again.not_pushed == {}
        signals.signal_add(b.db, OP, "from-medallion",
                           SignalInput("md5", "f" * 32, tlp="GREEN"), b.settings)
        # The two pulled signals change after the last push (a curator retracts them).
        for pulled in signals.signal_list(b.db, OP, bank="from-medallion"):
            if pulled.value in (md5(1), md5(2)):
                signals.signal_retract(b.db, OP, pulled.id, "not ours to keep")
        third = sync.sync_peer(b.db, b.settings, "med")
        assert third.pushed == 1 and third.not_pushed == {"pulled": 2}, third
        assert any("pulled from a peer" in n for n in third.notes)
        assert [o for o in server.all_objects() if o.get("revoked")] == []  # never echoed
        (listed,) = peers.peer_list(b.db, OP)
        assert listed.last_error is None and listed.pushed == 2
        b.db.dispose()
