"""Standard TAXII tools against Accord: taxii2-client, unchanged, pages a 10,000-object
collection; Accord's client pages Accord's server. (Against medallion:
``test_medallion.py``.)"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from taxii2client.v21 import Server, as_pages

from accord.curation import banks, importer, signals
from accord.curation.signals import SignalInput
from accord.exchange import peers, sync
from accord.exchange.stix_common import ACCORD_NAMESPACE
from tests.federation.conftest import _setup_a
from tests.federation.nodes import OP, Node, in_process, pull_notes, sqlite_node


@pytest.fixture
def node_a(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Node, str]]:
    a = sqlite_node("node-a", sqlite_template, tmp_path / "a")
    key = _setup_a(a)
    with in_process(a):
        yield a, key
    a.db.dispose()


def test_taxii2_client_pages_10000_objects_100_at_a_time_without_duplicate_or_gap(
        node_a: tuple[Node, str]) -> None:
    a, key = node_a
    rows = "signal_type,signal_value\n" + "".join(f"md5,{i:032x}\n" for i in range(1, 10_001))
    importer.import_signals(a.db, OP, "a-images", io.BytesIO(rows.encode()), a.settings,
                            fmt="csv")
    server = Server(a.taxii, user="sync-b", password=key)
    (root,) = server.api_roots
    titles = {c.title: c for c in root.collections}
    assert {"TLP:CLEAR signals", "TLP:GREEN signals", "Channel ab"} <= set(titles)
    seen: list[str] = []
    pages = 0
    for envelope in as_pages(titles["Channel ab"].get_objects, per_request=100):
        pages += 1
        seen += [o["pattern"].split("'")[1] for o in envelope.get("objects", [])]
    assert pages == 100
    assert len(seen) == len(set(seen)) == 10_000
    assert set(seen) == {f"{i:032x}" for i in range(1, 10_001)}


def test_a_peer_configured_with_a_uuid5_collection_id_of_before_still_syncs(
        node_a: tuple[Node, str], sqlite_template: Path, tmp_path: Path) -> None:
    a, key = node_a
    signals.signal_add(a.db, OP, "a-images", SignalInput("md5", "9" * 32), a.settings)
    old = uuid.uuid5(ACCORD_NAMESPACE, f"{a.settings.resolved_node_id()}:collection:channel-ab")
    b = sqlite_node("node-b", sqlite_template, tmp_path / "b")
    from accord.sharing import service

    service.partner_add(b.db, OP, "Platform B", "platform", "IE")
    banks.bank_add(b.db, OP, "from-a", "Platform B", default_tlp="AMBER")
    peers.peer_add(b.db, OP, a.taxii, str(old), bank="from-a", name="a",
                   username="sync-b", api_key=key, settings=b.settings)

    report = sync.sync_peer(b.db, b.settings, "a")

    assert report.error is None, report
    assert {s.value for s in signals.signal_list(b.db, OP, bank="from-a")} == {"9" * 32}
    b.db.dispose()


def test_accord_pages_an_accord_peer_by_next_with_its_filter_and_resumes_exactly(
        node_a: tuple[Node, str], sqlite_template: Path, tmp_path: Path) -> None:
    """The paging that medallion needs works against Accord's own server too: pages of
    two, a bulk import (one time for every row), then five new signals over three pages."""
    a, key = node_a

    def bulk(first: int) -> None:
        rows = "signal_type,signal_value\n" + "".join(
            f"md5,{i:032x}\n" for i in range(first, first + 5))
        importer.import_signals(a.db, OP, "a-images", io.BytesIO(rows.encode()), a.settings,
                                fmt="csv")

    bulk(1)
    b = sqlite_node("node-b", sqlite_template, tmp_path / "b")
    b.settings = b.settings.replace(sync_page_size=2)
    from accord.sharing import service

    service.partner_add(b.db, OP, "Platform B", "platform", "IE")
    banks.bank_add(b.db, OP, "from-a", "Platform B", default_tlp="AMBER")
    peers.peer_add(b.db, OP, a.taxii, "Channel ab", bank="from-a", name="a",
                   username="sync-b", api_key=key, settings=b.settings)

    first = sync.sync_peer(b.db, b.settings, "a")
    assert first.error is None and first.added == 5 and not pull_notes(first), first
    bulk(11)
    later = sync.sync_peer(b.db, b.settings, "a")
    assert later.error is None and later.added == 5 and not pull_notes(later), later
    assert later.pages == 3  # after the saved next: 2 + 2 + 1
    quiet = sync.sync_peer(b.db, b.settings, "a")
    assert quiet.error is None and quiet.added == 0 and quiet.received == 0, quiet
    pulled = {s.value for s in signals.signal_list(b.db, OP, bank="from-a")}
    assert pulled == {f"{i:032x}" for i in (*range(1, 6), *range(11, 16))}
    b.db.dispose()
