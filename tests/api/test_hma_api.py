"""The HMA-compatible API (``/hma/``): HMA 2's request shapes in, HMA's response shapes out.

Shapes come from HMA's blueprints and tests (facebook/ThreatExchange,
``hasher-matcher-actioner/src/OpenMediaMatch/``, read at baefb4e) and from how
ROOST's Coop calls them (roostorg/coop ``server/services/hmaService/index.ts``).
Content fetched by URL comes from a loopback file server the allow-list names.
"""

from __future__ import annotations

import functools
import http.server
import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from PIL import Image

from accord.app import create_app
from accord.config import Settings
from accord.signals.pdq import PdqSignal
from accord.signals.video import VideoPdqSignal, to_vpdq_json
from tests.api.conftest import Keys

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
NEAR = PDQ[:-2] + "23"  # 1 bit away
OTHER = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def _image(seed: int, *, shift: int = 0, quality: int | None = None) -> bytes:
    """A smooth random picture (PDQ quality well above 50), PNG or JPEG."""
    small = np.random.default_rng(seed).integers(0, 256, (12, 12, 3), dtype=np.uint8)
    picture = Image.fromarray(small).resize((256, 256), Image.Resampling.BICUBIC)
    if shift:
        picture = Image.fromarray(np.clip(np.asarray(picture, dtype=np.int16) + shift, 0, 255)
                                  .astype(np.uint8))
    out = io.BytesIO()
    picture.save(out, format="JPEG" if quality else "PNG", quality=quality or 95)
    return out.getvalue()


class _Files(http.server.SimpleHTTPRequestHandler):
    """Files from a folder, plus ``/to/<path>`` redirects (``Location`` = the rest)."""

    def do_GET(self) -> None:
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def files(tmp_path: Path) -> Iterator[str]:
    """A loopback file server: original.png, near.jpg (a near-duplicate), other.png."""
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "original.png").write_bytes(_image(1))
    (folder / "near.jpg").write_bytes(_image(1, shift=20, quality=80))
    (folder / "other.png").write_bytes(_image(2))
    (folder / "notes.txt").write_text("not an image " * 100)
    (folder / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 300_000)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Files, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _client(settings: Settings, **extra: object) -> TestClient:
    fast = Settings(home=settings.home, database_url=settings.database_url,
                    refresh_interval_seconds=0.05, **extra)  # type: ignore[arg-type]
    return TestClient(create_app(fast), raise_server_exceptions=False)


@pytest.fixture
def hma(settings: Settings, keys: Keys) -> Iterator[TestClient]:
    """The node's API with 127.0.0.1 on the fetch allow-list and a 200 kB body limit."""
    with _client(settings, fetch_allowed_hosts=("127.0.0.1",), max_file_bytes=200_000) as c:
        yield c


def hma_error(response: Response, status: int) -> str:
    """HMA's error shape, ``{"message": ...}`` (``details``: Accord's hint), inside Accord's
    problem details (a ``+json`` type, which HMA clients read as JSON)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"] == body["detail"]
    assert body["status"] == status and body.get("details") == body.get("hint")
    return str(body["message"])


def eventually(check: Callable[[], bool], seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the change did not reach the index in time"
        time.sleep(0.02)


def new_bank(hma: TestClient, keys: Keys, name: str = "COOP_ORG1_BANK") -> None:
    r = hma.post("/hma/c/banks", headers=keys.curator_a, json={"name": name})
    assert r.status_code == 201, r.text
    assert r.json() == {"name": name, "matching_enabled_ratio": 1.0}


def add_hash(hma: TestClient, keys: Keys, bank: str, value: str = PDQ) -> int:
    r = hma.post(f"/hma/c/bank/{bank}/signal", headers=keys.curator_a, json={"pdq": value})
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


# -- status, authentication ---------------------------------------------------------------


def test_status_is_hmas_plain_text_health_check(hma: TestClient) -> None:
    r = hma.get("/hma/status")
    assert r.status_code == 200 and r.text == "I-AM-ALIVE"


def test_every_other_path_needs_an_accord_key(hma: TestClient) -> None:
    for path in ("/hma/c/banks", "/hma/m/lookup?signal_type=pdq&signal=" + PDQ,
                 "/hma/m/index/status", "/hma/h/hash?url=http://127.0.0.1/x.png"):
        r = hma.get(path)
        assert r.status_code == 401, path
        assert r.headers["content-type"].startswith("application/problem+json")


# -- curation -------------------------------------------------------------------------------


def test_banks_are_created_listed_and_shown_as_hma_does(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    # Coop sends the ratio as a string ("1").
    r = hma.post("/hma/c/banks", headers=keys.curator_a,
                 json={"name": "COOP_ORG1_TWO", "enabled_ratio": "1"})
    assert r.status_code == 201 and r.json()["matching_enabled_ratio"] == 1.0
    for bad in ("01_TEST_BANK", "my_test_bank", "", 5):
        assert "UPPER_WITH_UNDERSCORE" in hma_error(
            hma.post("/hma/c/banks", headers=keys.curator_a, json={"name": bad}), 400)
    assert hma_error(hma.post("/hma/c/banks", headers=keys.curator_a,
                              json={"name": "HALF", "enabled_ratio": 0.5}), 400)
    assert hma_error(hma.post("/hma/c/banks", headers=keys.curator_a,
                              json={"name": "COOP_ORG1_BANK"}), 403) == "Bank already exists"
    assert hma_error(hma.post("/hma/c/banks", headers=keys.curator_a, content=b"[1"), 400)
    listed = hma.get("/hma/c/banks", headers=keys.curator_a)
    assert listed.status_code == 200
    assert {"name": "COOP_ORG1_BANK", "matching_enabled_ratio": 1.0} in listed.json()
    assert all(set(b) == {"name", "matching_enabled_ratio"} for b in listed.json())
    shown = hma.get("/hma/c/bank/COOP_ORG1_BANK", headers=keys.curator_a)
    assert shown.json() == {"name": "COOP_ORG1_BANK", "matching_enabled_ratio": 1.0}
    assert "not found" in hma_error(hma.get("/hma/c/bank/NO_SUCH", headers=keys.curator_a),
                                    404)


def test_a_reader_may_not_create_banks(hma: TestClient, keys: Keys) -> None:
    hma_error(hma.post("/hma/c/banks", headers=keys.reader_b, json={"name": "B_BANK"}), 403)


def test_hashes_are_added_as_signals_and_shown_as_bank_content(
        hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    r = hma.post("/hma/c/bank/COOP_ORG1_BANK/signal", headers=keys.curator_a,
                 json={"pdq": PDQ, "video_md5": MD5, "note": "campaign ABC"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"id", "signals"} and isinstance(body["id"], int)
    assert body["signals"] == {"pdq": PDQ, "video_md5": MD5}
    content = hma.get(f"/hma/c/bank/COOP_ORG1_BANK/content/{body['id']}?include_signals=true",
                      headers=keys.curator_a).json()
    assert content == {"id": body["id"], "disable_until_ts": 1, "original_media_uri": None,
                       "bank": {"name": "COOP_ORG1_BANK", "matching_enabled_ratio": 1.0},
                       "signals": {"pdq": PDQ}, "note": "campaign ABC"}
    plain = hma.get(f"/hma/c/bank/COOP_ORG1_BANK/content/{body['id']}", headers=keys.curator_a)
    assert "signals" not in plain.json()
    hma_error(hma.get("/hma/c/bank/COOP_ORG1_BANK/content/999999", headers=keys.curator_a), 404)
    hma_error(hma.get(f"/hma/c/bank/a-images/content/{body['id']}", headers=keys.curator_a),
              404)


@pytest.mark.parametrize("body", [
    {"pdq": "banana"}, {"no_such_type": PDQ}, {}, {"pdq": 5}, {"pdq": PDQ, "note": "x" * 256},
    {"pdq": PDQ, "note": 7}, ["pdq", PDQ]])
def test_bad_signals_get_hma_400s(hma: TestClient, keys: Keys, body: object) -> None:
    new_bank(hma, keys)
    hma_error(hma.post("/hma/c/bank/COOP_ORG1_BANK/signal", headers=keys.curator_a,
                       json=body), 400)


def test_content_is_added_by_url_or_upload(hma: TestClient, keys: Keys, files: str) -> None:
    new_bank(hma, keys)
    expected = PdqSignal.validate(_pdq_of(hma, keys, f"{files}/original.png"))
    r = hma.post(f"/hma/c/bank/COOP_ORG1_BANK/content?url={files}/original.png"
                 "&content_type=photo", headers=keys.curator_a,
                 json={"metadata": {"content_id": "1197433091", "json": {"a": {}}}})
    assert r.status_code == 200, r.text
    assert r.json() == {"id": r.json()["id"], "signals": {"pdq": expected}}
    up = hma.post("/hma/c/bank/COOP_ORG1_BANK/content", headers=keys.curator_a,
                  files={"photo": ("o.png", _image(3),
                                   "image/png")}, data={"note": "upload"})
    assert up.status_code == 200, up.text
    assert set(up.json()["signals"]) == {"pdq"}
    hma_error(hma.post("/hma/c/bank/COOP_ORG1_BANK/content", headers=keys.curator_a), 400)
    hma_error(hma.post(f"/hma/c/bank/COOP_ORG1_BANK/content?url={files}/other.png",
                       headers=keys.curator_a, json={"metadata": {"invalid_metadata": 5}}),
              400)
    hma_error(hma.post(f"/hma/c/bank/NO_SUCH/content?url={files}/other.png",
                       headers=keys.curator_a), 404)


def _pdq_of(hma: TestClient, keys: Keys, url: str) -> str:
    r = hma.get(f"/hma/h/hash?url={url}", headers=keys.reader_b)
    assert r.status_code == 200, r.text
    return str(r.json()["pdq"])


# -- hashing --------------------------------------------------------------------------------


def test_hash_by_url_answers_signal_type_to_hash(hma: TestClient, keys: Keys,
                                                 files: str) -> None:
    r = hma.get(f"/hma/h/hash?url={files}/original.png", headers=keys.reader_b)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert set(r.json()) == {"pdq"} and len(r.json()["pdq"]) == 64
    typed = hma.get(f"/hma/h/hash?url={files}/original.png&content_type=photo&types=pdq",
                    headers=keys.reader_b)
    assert typed.json() == r.json()
    hma_error(hma.get(f"/hma/h/hash?url={files}/original.png&types=vpdq",
                      headers=keys.reader_b), 400)
    hma_error(hma.get(f"/hma/h/hash?url={files}/original.png&content_type=banana",
                      headers=keys.reader_b), 400)
    assert "ContentType" in hma_error(hma.get(f"/hma/h/hash?url={files}/notes.txt",
                                              headers=keys.reader_b), 400)


def test_hash_of_an_upload_takes_one_file_named_by_content_type(
        hma: TestClient, keys: Keys) -> None:
    png = _image(1)
    r = hma.post("/hma/h/hash", headers=keys.reader_b, files={"photo": ("x.png", png)})
    assert r.status_code == 200 and set(r.json()) == {"pdq"}
    hma_error(hma.post("/hma/h/hash", headers=keys.reader_b, files={"banana": ("x.png", png)}),
              400)
    hma_error(hma.post("/hma/h/hash", headers=keys.reader_b,
                       files=[("photo", ("a.png", png)), ("photo", ("b.png", png))]), 400)
    hma_error(hma.post("/hma/h/hash", headers=keys.reader_b, data={"x": "y"}), 400)


def test_urls_are_fetched_only_from_allowed_public_hosts(
        hma: TestClient, settings: Settings, keys: Keys, files: str) -> None:
    port = files.rsplit(":", 1)[1]
    cases = {
        f"http://localhost:{port}/original.png": "allow-list",  # not on the list
        f"{files}/to/http://localhost:{port}/original.png": "allow-list",  # redirect re-checked
        f"{files}/to/http://169.254.169.254/latest/meta-data/": "allow-list",
        f"ftp://127.0.0.1:{port}/original.png": "http and https",
        f"http://user:pw@127.0.0.1:{port}/original.png": "password",
        "http://127.0.0.1:notaport/x": "malformed",
    }
    for url, words in cases.items():
        assert words in hma_error(hma.get("/hma/h/hash", params={"url": url},
                                          headers=keys.reader_b), 400), url
    assert "HTTP 404" in hma_error(hma.get(f"/hma/h/hash?url={files}/missing.png",
                                           headers=keys.reader_b), 400)
    hma_error(hma.get(f"/hma/h/hash?url={files}/big.png", headers=keys.reader_b), 413)
    redirected = hma.get(f"/hma/h/hash?url={files}/to/{files}/original.png",
                         headers=keys.reader_b)
    assert redirected.status_code == 200, redirected.text
    with _client(settings) as default:  # nothing on the allow-list: every URL is refused
        message = default.get(f"/hma/h/hash?url={files}/original.png", headers=keys.reader_b)
        assert "turned off" in hma_error(message, 400)
        assert "ACCORD_FETCH_ALLOWED_HOSTS" in message.json()["details"]


# -- matching -------------------------------------------------------------------------------


def test_lookup_answers_matches_by_bank(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    content_id = add_hash(hma, keys, "COOP_ORG1_BANK")
    query = {"signal_type": "pdq", "signal": NEAR}

    def found() -> bool:
        return bool(hma.get("/hma/m/lookup", params=query, headers=keys.curator_a).json())

    eventually(found)
    r = hma.get("/hma/m/lookup", params=query, headers=keys.curator_a)
    assert r.json() == {"COOP_ORG1_BANK": [{"bank_content_id": content_id, "distance": "1"}]}
    filtered = hma.get("/hma/m/lookup", params={**query, "banks": "OTHER_BANK"},
                       headers=keys.curator_a)
    assert filtered.json() == {}
    none = hma.get("/hma/m/lookup", params={"signal_type": "pdq", "signal": OTHER},
                   headers=keys.curator_a)
    assert none.status_code == 200 and none.json() == {}
    assert "required" in hma_error(hma.get("/hma/m/lookup?signal_type=pdq",
                                           headers=keys.curator_a), 400)
    hma_error(hma.get("/hma/m/lookup?signal_type=pdq&signal=banana", headers=keys.curator_a),
              400)
    assert "SignalType" in hma_error(
        hma.get(f"/hma/m/lookup?signal_type=nope&signal={PDQ}", headers=keys.curator_a), 400)


def test_exact_matches_print_no_distance(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    hma.post("/hma/c/bank/COOP_ORG1_BANK/signal", headers=keys.curator_a, json={"video_md5": MD5})
    query = {"signal_type": "video_md5", "signal": MD5}
    eventually(lambda: bool(hma.get("/hma/m/lookup", params=query,
                                    headers=keys.curator_a).json()))
    [match] = hma.get("/hma/m/lookup", params=query, headers=keys.curator_a).json()[
        "COOP_ORG1_BANK"]
    assert match["distance"] == "-"


def test_raw_lookup_answers_ids_or_ids_and_distances(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    new_bank(hma, keys, "COOP_ORG1_TWO")
    first = add_hash(hma, keys, "COOP_ORG1_BANK")
    second = add_hash(hma, keys, "COOP_ORG1_TWO")
    query = {"signal_type": "pdq", "signal": PDQ}

    def matches(**extra: object) -> object:
        r = hma.get("/hma/m/raw_lookup", params={**query, **extra}, headers=keys.curator_a)
        assert r.status_code == 200, r.text
        assert set(r.json()) == {"matches"}
        return r.json()["matches"]

    eventually(lambda: len(matches()) == 2)  # type: ignore[arg-type]
    assert sorted(matches()) == sorted([first, second])  # type: ignore[type-var]
    assert matches(banks="COOP_ORG1_TWO") == [second]
    assert matches(banks="NON_EXISTENT_BANK") == []
    with_distance = matches(include_distance="true", banks="COOP_ORG1_BANK")
    assert with_distance == [{"bank_content_id": first, "distance": "0"}]
    # A missing required parameter: 422, as flask-openapi3 answers HMA's own.
    assert hma.get("/hma/m/raw_lookup?signal_type=pdq", headers=keys.curator_a
                   ).status_code == 422
    hma_error(hma.get("/hma/m/raw_lookup?signal_type=pdq&signal=zz", headers=keys.curator_a),
              400)


def test_compare_gives_match_and_distance_per_type(hma: TestClient, keys: Keys) -> None:
    specimen1 = "facd8bcb2a49bcebdec1985298d5fe84bcd006c187c598c720c3c087b3fdb318"
    specimen2 = "facd8bcb2a49bcebdec1985228d5ae84bcd006c187c598c720c2b087b3fdb318"
    r = hma.post("/hma/m/compare", headers=keys.reader_b, json={"pdq": [specimen1, specimen2]})
    assert r.status_code == 200 and r.json() == {"pdq": [True, {"distance": 9}]}
    exact = hma.post("/hma/m/compare", headers=keys.reader_b, json={"video_md5": [MD5, MD5]})
    assert exact.json() == {"video_md5": [True, {}]}
    # HMA's own bad inputs (tests/test_api.py, test_compare_hashes), each a 400.
    for bad in (["banana"], {"pdq": "banana"}, {"pdq": []}, {"pdq": ["banana", "banana"]},
                {"pdq": [specimen1, specimen2, specimen1]}, {"nope": [MD5, MD5]}):
        hma_error(hma.post("/hma/m/compare", headers=keys.reader_b, json=bad), 400)


def test_index_status_per_signal_type(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    add_hash(hma, keys, "COOP_ORG1_BANK")
    eventually(lambda: hma.get("/hma/m/index/status", headers=keys.reader_b)
               .json()["pdq"]["size"] == 1)
    body = hma.get("/hma/m/index/status", headers=keys.reader_b).json()
    assert {"pdq", "video_md5", "vpdq"} <= set(body)
    for status in body.values():
        assert set(status) == {"present", "built_to", "size"}
        assert status["present"] is True and isinstance(status["built_to"], int)
    assert body["pdq"]["built_to"] > time.time() - 600
    only = hma.get("/hma/m/index/status?signal_type=pdq", headers=keys.reader_b).json()
    assert set(only) == {"pdq"}
    hma_error(hma.get("/hma/m/index/status?signal_type=nope", headers=keys.reader_b), 400)


# -- visibility -----------------------------------------------------------------------------


def test_a_partner_never_sees_a_bank_it_may_not_see(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)  # Agency A's, AMBER without a channel: A's alone
    hidden = add_hash(hma, keys, "COOP_ORG1_BANK")
    query = {"signal_type": "pdq", "signal": PDQ}
    eventually(lambda: bool(hma.get("/hma/m/lookup", params=query,
                                    headers=keys.curator_a).json()))
    for key in (keys.reader_b, keys.admin_c):
        assert "COOP_ORG1_BANK" not in [b["name"] for b in
                                        hma.get("/hma/c/banks", headers=key).json()]
        hma_error(hma.get("/hma/c/bank/COOP_ORG1_BANK", headers=key), 404)
        hma_error(hma.get(f"/hma/c/bank/COOP_ORG1_BANK/content/{hidden}", headers=key), 404)
        hma_error(hma.post("/hma/c/bank/COOP_ORG1_BANK/signal", headers=key,
                           json={"pdq": NEAR}), 404)
        assert hma.get("/hma/m/lookup", params=query, headers=key).json() == {}
        assert hma.get("/hma/m/raw_lookup", params=query, headers=key).json() == {"matches": []}
    # A's AMBER bank shared into channel ab: B sees it, C does not, neither may write to it.
    assert hma.get("/hma/c/bank/a-images", headers=keys.reader_b).status_code == 200
    hma_error(hma.get("/hma/c/bank/a-images", headers=keys.admin_c), 404)
    hma_error(hma.post("/hma/c/bank/a-images/signal", headers=keys.admin_b, json={"pdq": NEAR}),
              403)


# -- a Coop-like client ----------------------------------------------------------------------


def test_a_coop_like_flow_banks_by_url_and_matches_a_near_duplicate(
        hma: TestClient, keys: Keys, files: str) -> None:
    """What Coop's HmaService does: createBank, addContentToBank(url), lookupContent."""
    bank = "COOP_ORG1_TERROR_PROPAGANDA"
    created = hma.post("/hma/c/banks", headers=keys.curator_a,
                       json={"name": bank, "enabled_ratio": "1"})
    assert created.status_code == 201
    added = hma.post(f"/hma/c/bank/{bank}/content",
                     params={"url": f"{files}/original.png", "content_id": "post-42",
                             "metadata": '{"source": "coop"}'},
                     headers=keys.curator_a)
    assert added.status_code == 200, added.text
    content_id, banked = added.json()["id"], added.json()["signals"]["pdq"]
    near = hma.get("/hma/h/hash", params={"url": f"{files}/near.jpg"},
                   headers=keys.curator_a).json()["pdq"]
    bits = PdqSignal.distance(banked, near)
    assert 0 < bits <= 16, bits  # a near-duplicate, not the same hash
    query = {"signal_type": "pdq", "signal": near}
    eventually(lambda: bool(hma.get("/hma/m/lookup", params=query,
                                    headers=keys.curator_a).json()))
    lookup = hma.get("/hma/m/lookup", params=query, headers=keys.curator_a).json()
    assert lookup == {bank: [{"bank_content_id": content_id, "distance": str(bits)}]}
    by_url = hma.get("/hma/m/lookup", params={"url": f"{files}/near.jpg",
                                               "content_type": "photo"},
                     headers=keys.curator_a).json()
    assert by_url == {"pdq": lookup}
    assert hma.get(f"/hma/c/bank/{bank}", headers=keys.curator_a).json() == {
        "name": bank, "matching_enabled_ratio": 1.0}
    content = hma.get(f"/hma/c/bank/{bank}/content/{content_id}", headers=keys.curator_a)
    assert content.json()["bank"]["name"] == bank
    # Coop's checkImageMatchWithDetails: the bank is in the answer with matches.
    assert lookup[bank]


def test_lookup_of_an_upload_answers_by_signal_type(hma: TestClient, keys: Keys,
                                                    files: str) -> None:
    new_bank(hma, keys)
    hma.post(f"/hma/c/bank/COOP_ORG1_BANK/content?url={files}/original.png",
             headers=keys.curator_a)
    upload = {"photo": ("near.jpg", _image(1, shift=20, quality=80), "image/jpeg")}

    def answer() -> dict[str, object]:
        r = hma.post("/hma/m/lookup", headers=keys.curator_a, files=upload)
        assert r.status_code == 200, r.text
        return dict(r.json())

    eventually(lambda: bool(answer()["pdq"]))
    assert set(answer()) == {"pdq"} and "COOP_ORG1_BANK" in answer()["pdq"]  # type: ignore[operator]


def test_malformed_requests_never_get_a_500(hma: TestClient, keys: Keys) -> None:
    h = keys.curator_a
    requests = [
        hma.get("/hma/m/lookup?signal_type=pdq&signal=" + "f" * 9000, headers=h),
        hma.get("/hma/m/raw_lookup?signal_type=pdq&signal=%ff&include_distance=maybe",
                headers=h),
        hma.post("/hma/m/compare", headers=h, content=b"\xff\xfe"),
        hma.post("/hma/m/compare", headers=h, json={"pdq": [None, None]}),
        hma.post("/hma/c/banks", headers=h, json={"name": "X" * 500}),
        hma.post("/hma/c/bank/%20/signal", headers=h, json={"pdq": PDQ}),
        hma.get("/hma/c/bank/A/content/99999999999", headers=h),
        hma.get("/hma/h/hash?url=" + "x" * 9000, headers=h),
        hma.get("/hma/h/hash?url=http://[::1/", headers=h),
        hma.post("/hma/m/lookup", headers=h, content=b"--x--",
                 params={"banks": "A"}),
    ]
    for r in requests:
        assert 400 <= r.status_code < 500, (r.request.url, r.status_code, r.text)


def test_vpdq_travels_as_pytx_json_both_ways(hma: TestClient, keys: Keys) -> None:
    frames = to_vpdq_json(VideoPdqSignal.examples()[1])
    new_bank(hma, keys)
    r = hma.post("/hma/c/bank/COOP_ORG1_BANK/signal", headers=keys.curator_a,
                 json={"vpdq": frames})
    assert r.status_code == 200, r.text
    assert r.json()["signals"] == {"vpdq": frames}
    query = {"signal_type": "vpdq", "signal": frames}
    eventually(lambda: bool(hma.get("/hma/m/lookup", params=query,
                                    headers=keys.curator_a).json()))
    [match] = hma.get("/hma/m/lookup", params=query, headers=keys.curator_a).json()[
        "COOP_ORG1_BANK"]
    assert match["bank_content_id"] == r.json()["id"]


def test_what_accord_does_not_serve_is_a_problem_not_a_500(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    content = add_hash(hma, keys, "COOP_ORG1_BANK")
    # HMA's content update (disable_until_ts, note) is not served.
    r = hma.put(f"/hma/c/bank/COOP_ORG1_BANK/content/{content}", headers=keys.curator_a,
                json={"disable_until_ts": 0})
    assert r.status_code == 405
    assert r.headers["content-type"].startswith("application/problem+json")
    again = hma.post("/hma/c/bank/COOP_ORG1_BANK/signal", headers=keys.curator_a,
                     json={"pdq": PDQ})
    assert again.status_code == 409  # HMA defines no answer for a hash already banked
    assert again.headers["content-type"].startswith("application/problem+json")
