"""Standard TAXII tools against Accord: taxii2-client, unchanged, pages a 10,000-object
collection; Accord pulls from and pushes to a medallion server."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from taxii2client.v21 import Collection, Server, as_pages

from accord.curation import banks, importer, signals
from accord.curation.signals import SignalInput
from accord.exchange import peers, sync
from accord.exchange.stix_common import ACCORD_NAMESPACE
from tests.federation.conftest import _setup_a
from tests.federation.nodes import OP, Node, free_port, in_process, sqlite_node


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


def _medallion_data(url: str, objects: list[dict[str, object]]) -> dict[str, object]:
    collection = {"id": "91a7b528-80eb-42ed-a74d-c6fbd5a26116", "title": "High value indicators",
                  "description": "", "can_read": True, "can_write": True,
                  "media_types": ["application/stix+json;version=2.1"],
                  "objects": objects,
                  "manifest": [{"id": o["id"], "date_added": o["modified"],
                                "version": o["modified"],
                                "media_type": "application/stix+json;version=2.1"}
                               for o in objects]}
    return {"/discovery": {"title": "medallion", "description": "", "contact": "",
                           "default": f"{url}/trustgroup1/",
                           "api_roots": [f"{url}/trustgroup1/"]},
            "trustgroup1": {"information": {"title": "Trust group 1", "description": "",
                                            "versions": ["application/taxii+json;version=2.1"],
                                            "max_content_length": 9765625},
                            "status": [], "collections": [collection]}}


def _indicator(n: int, value: str, **extra: object) -> dict[str, object]:
    return {"type": "indicator", "spec_version": "2.1",
            "id": f"indicator--{n:08d}-1111-4111-8111-111111111111",
            "created": f"2026-01-01T00:00:0{n}.000Z", "modified": f"2026-01-01T00:00:0{n}.000Z",
            "pattern": f"[file:hashes.MD5 = '{value}']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z", **extra}


@pytest.fixture
def medallion(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    objects = [_indicator(1, "a" * 32), _indicator(2, "b" * 32),
               {"type": "malware", "spec_version": "2.1", "is_family": False,
                "id": "malware--00000003-1111-4111-8111-111111111111", "name": "x",
                "created": "2026-01-01T00:00:03.000Z", "modified": "2026-01-01T00:00:03.000Z"},
               _indicator(4, "c" * 32, pattern="[file:name = 'x']")]
    data = tmp_path / "medallion-data.json"
    data.write_text(json.dumps(_medallion_data(url, objects)))
    config = tmp_path / "medallion.json"
    config.write_text(json.dumps({
        "backend": {"module": "medallion.backends.memory_backend",
                    "module_class": "MemoryBackend", "filename": str(data)},
        "users": {"admin": "Password0"}, "taxii": {"max_page_size": 2}}))
    process = subprocess.Popen([sys.executable, "-m", "medallion.scripts.run", "--port",
                                str(port), str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url + "/taxii2/", timeout=1)
            break
        except requests.ConnectionError:
            assert process.poll() is None, "medallion exited"
            assert time.monotonic() < deadline, "medallion did not start"
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_accord_pulls_from_and_pushes_to_medallion(medallion: str, sqlite_template: Path,
                                                   tmp_path: Path) -> None:
    b = sqlite_node("node-b", sqlite_template, tmp_path / "b")
    from accord.sharing import service

    service.partner_add(b.db, OP, "Platform B", "platform", "IE")
    banks.bank_add(b.db, OP, "from-medallion", "Platform B", default_tlp="AMBER")
    banks.bank_add(b.db, OP, "b-own", "Platform B", default_tlp="GREEN")
    ours = signals.signal_add(b.db, OP, "b-own", SignalInput("sha256", "d" * 64), b.settings)
    signals.signal_add(b.db, OP, "b-own", SignalInput("sha256", "e" * 64, tlp="RED"),
                       b.settings)
    peers.peer_add(b.db, OP, f"{medallion}/taxii2/", "High value indicators",
                   bank="from-medallion", name="med", username="admin", api_key="Password0")

    report = sync.sync_peer(b.db, b.settings, "med")

    assert report.error is None, report
    pulled = {s.value for s in signals.signal_list(b.db, OP, bank="from-medallion")}
    assert pulled == {"a" * 32, "b" * 32}
    assert (report.ignored, report.refused) == (1, 1)  # the malware; the file:name pattern
    assert report.pushed == 1
    collection = Collection(f"{medallion}/trustgroup1/collections/"
                            "91a7b528-80eb-42ed-a74d-c6fbd5a26116/", user="admin",
                            password="Password0")
    on_medallion = json.dumps(list(as_pages(collection.get_objects, per_request=2)))
    assert ours.value in on_medallion
    assert "e" * 64 not in on_medallion  # RED never leaves

    again = sync.sync_peer(b.db, b.settings, "med")
    assert again.error is None and again.added == 0 and again.pushed == 0
    assert {s.value for s in signals.signal_list(b.db, OP, bank="from-medallion")} == pulled
    (listed,) = peers.peer_list(b.db, OP)
    assert listed.state == "ok" and listed.pulled == 2 and listed.pushed == 1


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
                   username="sync-b", api_key=key)

    report = sync.sync_peer(b.db, b.settings, "a")

    assert report.error is None, report
    assert {s.value for s in signals.signal_list(b.db, OP, bank="from-a")} == {"9" * 32}
    b.db.dispose()
