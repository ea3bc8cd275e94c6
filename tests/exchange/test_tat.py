"""TCAP hash-list pages: what python-threatexchange's own TCAP client reads of Accord's export.

pytx runs from its own virtualenv (``tests/tools/venvs.py``): its ``TATHashListAPI`` parses
Accord's page with its own code, first handed the file, then fetching it over loopback HTTP
from a stand-in for TCAP's API (token endpoint and hash list), as it would from TCAP.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.signals import SignalInput
from accord.exchange import files
from accord.exchange.formats import read_tat_json, tat, write_tat_json
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.taxonomy import load_taxonomy
from tests.tools.venvs import tool_venv

OP = Actor.operator()
MD5 = "d41d8cd98f00b204e9800998ecf8427e"
MD5_2 = "0cc175b9c0f1b6a831c399e269772661"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ_2 = "0000f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
SIGNALS = [
    SignalInput("pdq", PDQ, labels=("content:image", "ideology:neo-nazi"), source_ref="tat:2821"),
    SignalInput("md5", MD5, labels=("content:video", "ideology:violent-theocratic")),
    SignalInput("md5", MD5_2, labels=("content:image",)),
    SignalInput("sha256", SHA256, labels=("ideology:violent-separatist",)),
    SignalInput("pdq", PDQ_2),
    SignalInput("url", "https://example.org/a"),  # no TCAP algorithm: left out
]

# pytx's TCAP client and exchange, against a page it is handed or a TCAP it is pointed at.
PYTX = """
import dataclasses, json, sys
from threatexchange.exchanges.clients.techagainstterrorism import api
from threatexchange.exchanges.impl.techagainstterrorism_api import TATSignalExchangeAPI
mode, where = sys.argv[1], sys.argv[2]
if mode == "file":
    page = json.load(open(where))
    api.TATHashListAPI.get_auth_token = lambda self, user, password: "token"
    api.TATHashListAPI._get = lambda self, full_url=None, auth_token=None, **params: page
else:
    api.TATHashListAPI.BASE_URL = where
client = api.TATHashListAPI("analyst", "secret")
pages = list(client.fetch_hashes_iter(""))
exchange = TATSignalExchangeAPI("analyst", "secret")
deltas = list(exchange.fetch_iter([], None))
print(json.dumps({
    "pages": len(pages), "count": pages[-1].count, "checkpoint": pages[-1].checkpoint,
    "entries": [dataclasses.asdict(e) for p in pages for e in p.results],
    "ideologies": [e.value for e in api.TATIdeology],
    "updates": sorted(f"{k[0]} {k[1]}" for d in deltas for k, v in d.updates.items()
                      if v is not None),
    "progress": deltas[-1].checkpoint.get_progress_timestamp(),
}, default=str))
"""


def _pytx(mode: str, where: str) -> dict[str, Any]:
    result = tool_venv("threatexchange").python_code(PYTX, mode, where, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def _page(tmp_path: Path) -> Path:
    out = io.StringIO()
    assert write_tat_json(SIGNALS, out) == 5
    path = tmp_path / "tcap.json"
    path.write_text(out.getvalue())
    return path


def _check_what_pytx_read(read: dict[str, Any]) -> None:
    entries = read["entries"]
    assert read["pages"] == 1 and read["count"] == len(entries) == 5
    assert {e["hash_digest"] for e in entries} == {PDQ, MD5, MD5_2, SHA256, PDQ_2}
    assert all(e["created_on"] and e["updated_on"] for e in entries)
    by_digest = {e["hash_digest"]: e for e in entries}
    assert by_digest[PDQ]["ideology"] == "far-right" and by_digest[PDQ]["id"] == 2821
    assert by_digest[MD5]["ideology"] == "islamist" and by_digest[MD5]["file_type"] == "mp4"
    assert {e["ideology"] for e in entries} - {None} <= set(read["ideologies"])
    assert all(e["id"] < 0 for e in entries if e["hash_digest"] != PDQ)
    # pytx takes PDQ and video MD5s; an image MD5 and SHA-256 are not types it has
    assert read["updates"] == sorted([f"pdq {PDQ}", f"pdq {PDQ_2}", f"video_md5 {MD5}"])
    last = entries[-1]
    assert read["checkpoint"] == f"{last['updated_on']},{last['id']}"
    assert read["progress"] == int(last["updated_on"])


def test_pytx_parses_every_entry_of_accords_tcap_page(tmp_path: Path) -> None:
    _check_what_pytx_read(_pytx("file", str(_page(tmp_path))))


class _FakeTcap(BaseHTTPRequestHandler):
    """TCAP's two endpoints as pytx calls them: a token for a password, then the list."""

    page = b""
    token = "t0ken"
    logins: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        if self.path != "/token-auth/tcap/":
            self._answer(404, b"{}")
            return
        self.logins.append(parse_qs(body))
        self._answer(200, json.dumps({"token": self.token, "user": {"id": 1}}).encode())

    def do_GET(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self._answer(401, b'{"detail": "no token"}')
        elif self.path.split("?")[0] != "/api/hash-list/v2/all":
            self._answer(404, b"{}")
        else:
            self._answer(200, self.page)

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_tcap() -> Iterator[tuple[str, type[_FakeTcap]]]:
    handler = type("Tcap", (_FakeTcap,), {"logins": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler
    finally:
        server.shutdown()
        server.server_close()


def _export(db: Database, settings: Settings) -> bytes:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    banks.bank_add(db, OP, "a-hashes", "Agency A", default_tlp="GREEN")
    for given in SIGNALS:
        signals.signal_add(db, OP, "a-hashes", given, settings)
    body, count = files.export_bytes(db, OP, "a-hashes", "tat", settings)
    assert count == 5
    return body


def test_pytx_tcap_client_fetches_every_entry_of_accords_export_over_http(
        db: Database, settings: Settings,
        fake_tcap: tuple[str, type[_FakeTcap]]) -> None:
    base, handler = fake_tcap
    handler.page = _export(db, settings)
    read = _pytx("http", base)
    _check_what_pytx_read(read)
    assert handler.logins and handler.logins[0]["username"] == ["analyst"]
    stored = {s.value: s for s in signals.signal_list(db, OP, bank="a-hashes")}
    for entry in read["entries"]:  # the signal's own dates, not the export's
        created = stored[entry["hash_digest"]].created_at
        assert entry["created_on"] == created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_ids_are_content_derived_negative_and_the_same_on_every_export() -> None:
    first = tat.tat_page(SIGNALS, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    again = tat.tat_page(reversed(SIGNALS), now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    ids = {e["hash_digest"]: e["id"] for e in first["results"]}
    assert ids == {e["hash_digest"]: e["id"] for e in again["results"]}
    assert ids[MD5] == tat.accord_entry_id("md5", MD5) and ids[PDQ] == 2821
    assert all(-(2 ** 52) <= i < 0 for d, i in ids.items() if d != PDQ)
    assert len(set(ids.values())) == len(ids)
    # a signal that was numbered 1 (as before) and a real TCAP entry 1 can no longer clash
    one = tat.tat_page([SignalInput("md5", MD5_2, source_ref="tat:1"), SignalInput("md5", MD5)])
    assert sorted(e["id"] for e in one["results"]) == sorted([1, tat.accord_entry_id("md5", MD5)])


def test_a_clash_of_ids_within_one_file_moves_the_later_signal_down(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tat, "accord_entry_id", lambda kind, value: -7)
    page = tat.tat_page([SignalInput("md5", MD5), SignalInput("md5", MD5_2),
                         SignalInput("pdq", PDQ, source_ref="tat:5"),
                         SignalInput("pdq", PDQ_2, source_ref="tat:5")])
    assert {e["hash_digest"]: e["id"] for e in page["results"]} == {
        MD5: -7, MD5_2: -8, PDQ: 5, PDQ_2: -9}


def test_accord_ids_are_not_taken_for_tcap_references_on_import() -> None:
    page = tat.tat_page([SignalInput("md5", MD5), SignalInput("md5", MD5_2,
                                                              source_ref="tat:2819")])
    read = [item for _, item in read_tat_json(io.StringIO(json.dumps(page)))]
    assert {s.value: s.source_ref for s in read if isinstance(s, SignalInput)} == {
        MD5: "", MD5_2: "tat:2819"}


def test_every_ideology_of_the_taxonomy_has_a_tcap_mapping() -> None:
    values = {e.value for e in load_taxonomy().entries("ideology")}
    assert set(tat.TCAP_IDEOLOGY_OF) == values
    assert set(tat.TCAP_IDEOLOGY_OF.values()) == {*tat.TCAP_IDEOLOGIES, None}
    for name, label in tat.IDEOLOGY_LABELS.items():  # read back into the taxonomy...
        assert label.removeprefix("ideology:") in values
        assert tat.tcap_ideology([label]) == name  # ...and written as the same name


@pytest.mark.parametrize(("labels", "ideology"), [
    (("ideology:accelerationist",), "far-right"),
    (("ideology:racially-motivated-violent", "ideology:neo-nazi"), "far-right"),
    (("ideology:violent-theocratic", "content:video"), "islamist"),
    (("ideology:violent-far-left",), None),
    (("ideology:violent-far-right", "ideology:violent-theocratic"), None),  # a conflict
    ((), None),
])
def test_taxonomy_ideologies_are_written_as_tcap_names(labels: tuple[str, ...],
                                                       ideology: str | None) -> None:
    [entry] = tat.tat_page([SignalInput("md5", MD5, labels=labels)])["results"]
    assert entry["ideology"] == ideology


def test_a_real_tcap_page_imports() -> None:
    # the fields and values of TCAP's v2 page, as in pytx's own TCAP client tests
    page = {"count": 3, "next": "https://app.terrorismanalytics.org/api/hash-list/v2/all?"
            "limit=3&offset=3", "previous": None, "checkpoint": "1724856487.709035,10594",
            "results": [
                {"hash_digest": MD5, "algorithm": "MD5", "ideology": "islamist",
                 "file_type": "mp4", "deleted": False, "updated_on": 1704901040.222779,
                 "created_on": "2025-03-03T23:05:22.587000Z", "id": 2819},
                {"hash_digest": PDQ, "algorithm": "PDQ", "ideology": "far-right",
                 "file_type": "gif", "deleted": False, "updated_on": 1704901040.25555,
                 "created_on": "2025-03-03T23:05:22.587000Z", "id": 2821},
                {"hash_digest": SHA256, "algorithm": "SHA256", "ideology": "far-right",
                 "file_type": "png", "deleted": True, "updated_on": 1704901041.0,
                 "created_on": "2025-03-03T23:05:22.587000Z", "id": 2822},
            ]}
    read = [item for _, item in read_tat_json(io.StringIO(json.dumps(page)))]
    assert read == [
        SignalInput("md5", MD5, labels=("content:video", "ideology:violent-theocratic"),
                    source_ref="tat:2819"),
        SignalInput("pdq", PDQ, labels=("content:image", "ideology:violent-far-right"),
                    source_ref="tat:2821"),
    ]
