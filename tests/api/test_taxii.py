"""The TAXII 2.1 server at /taxii2/: what a partner may read, paging, writing, errors."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import update

from accord.config import Settings
from accord.curation import banks, importer, signals
from accord.curation.signals import SignalInput
from accord.exchange.stix_common import ACCORD_NAMESPACE, EXTENSION_ID
from accord.exchange.taxii import MEDIA_TYPE_TAXII
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.api.conftest import Keys

ROOT = "/taxii2/api/"
TAXII = {"Accept": MEDIA_TYPE_TAXII}


def _get(api: TestClient, path: str, key: dict[str, str], **params: object) -> dict[str, object]:
    response = api.get(path, headers={**key, **TAXII}, params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII
    body: dict[str, object] = response.json()
    return body


def _collections(api: TestClient, key: dict[str, str]) -> dict[str, str]:
    body = _get(api, ROOT + "collections/", key)
    return {c["title"]: c["id"] for c in body["collections"]}  # type: ignore[attr-defined, index]


def _objects(api: TestClient, key: dict[str, str], collection: str,
             **params: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    cursor = None
    while True:
        extra = {**params, **({"next": cursor} if cursor else {})}
        page = _get(api, f"{ROOT}collections/{collection}/objects/", key, **extra)
        found += page.get("objects", [])  # type: ignore[arg-type]
        if not page["more"]:
            return found
        cursor = page["next"]


def _add(db: Database, settings: Settings, value: str, tlp: str | None = None,
         bank: str = "a-images") -> int:
    return signals.signal_add(db, Actor.operator(), bank, SignalInput("md5", value, tlp=tlp),
                              settings).id


def _values(objects: list[dict[str, object]]) -> set[str]:
    return {str(o["pattern"]).split("'")[1] for o in objects}


def test_discovery_and_api_root_answer_with_basic_or_bearer_auth(api: TestClient,
                                                                 keys: Keys) -> None:
    basic = "Basic " + base64.b64encode(f"ben:{keys.reader_b['Authorization'][7:]}"
                                        .encode()).decode()
    discovery = _get(api, "/taxii2/", {"Authorization": basic})
    assert discovery["default"] == f"{api.base_url}{ROOT}"
    root = _get(api, ROOT, keys.reader_b)
    assert root["versions"] == [MEDIA_TYPE_TAXII]


def test_each_partner_sees_the_collections_of_its_channels_only(api: TestClient,
                                                                keys: Keys) -> None:
    assert "Channel ab" in _collections(api, keys.reader_b)
    assert "Channel ab" not in _collections(api, keys.admin_c)
    assert {"TLP:CLEAR signals", "TLP:GREEN signals"} <= set(_collections(api, keys.admin_c))


def test_amber_signals_reach_channel_members_and_red_or_strict_never_leave(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    _add(db, settings, "a" * 32)
    _add(db, settings, "b" * 32, tlp="RED")
    _add(db, settings, "c" * 32, tlp="AMBER+STRICT")
    _add(db, settings, "d" * 32, tlp="GREEN")
    seen: set[str] = set()
    for key in (keys.reader_b, keys.curator_a, keys.admin_c):
        for collection in _collections(api, key).values():
            seen |= _values(_objects(api, key, collection))
    assert {"a" * 32, "d" * 32} <= seen
    assert not {"b" * 32, "c" * 32} & seen
    channel = _collections(api, keys.reader_b)["Channel ab"]
    assert _values(_objects(api, keys.reader_b, channel)) == {"a" * 32}
    response = api.get(f"{ROOT}collections/{channel}/objects/", headers=keys.admin_c)
    assert response.status_code == 404
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII


def test_paging_by_next_never_repeats_or_skips_objects_that_share_a_timestamp(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    rows = "signal_type,signal_value\n" + "".join(f"md5,{i:032x}\n" for i in range(1, 251))
    importer.import_signals(db, Actor.operator(), "a-images", io.BytesIO(rows.encode()),
                            settings, fmt="csv")
    channel = _collections(api, keys.reader_b)["Channel ab"]
    found = _objects(api, keys.reader_b, channel, limit=30)
    ids = [o["id"] for o in found]
    assert len(ids) == len(set(ids)) == 250
    assert len({o["created"] for o in found}) == 1  # one batch, one timestamp


def test_a_retraction_comes_after_the_cursor_as_a_revoked_version(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    first = _add(db, settings, "e" * 32)
    _add(db, settings, "f" * 32)
    channel = _collections(api, keys.reader_b)["Channel ab"]
    page = _get(api, f"{ROOT}collections/{channel}/objects/", keys.reader_b)
    signals.signal_retract(db, Actor.operator(), first, "mistake")
    later = _get(api, f"{ROOT}collections/{channel}/objects/", keys.reader_b,
                 next=page["next"])
    assert [o.get("revoked") for o in later["objects"]] == [True]  # type: ignore[union-attr]
    assert _values(later["objects"]) == {"e" * 32}  # type: ignore[arg-type]


def test_manifest_versions_and_object_lookup_agree(api: TestClient, keys: Keys, db: Database,
                                                   settings: Settings) -> None:
    _add(db, settings, "1" * 32)
    channel = _collections(api, keys.reader_b)["Channel ab"]
    base = f"{ROOT}collections/{channel}/"
    (entry,) = _get(api, base + "manifest/", keys.reader_b)["objects"]  # type: ignore[misc]
    (obj,) = _get(api, base + f"objects/{entry['id']}/", keys.reader_b)["objects"]  # type: ignore[misc]
    versions = _get(api, base + f"objects/{entry['id']}/versions/", keys.reader_b)
    assert entry["version"] == obj["modified"] == versions["versions"][0]  # type: ignore[index]
    only_type = _get(api, base + "objects/", keys.reader_b, **{"match[type]": "identity"})
    assert "objects" not in only_type


def test_a_curator_posts_indicators_into_its_channel_bank_and_gets_a_status(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    banks.bank_add(db, Actor.operator(), "b-inbox", "Platform B", default_tlp="AMBER",
                   channel="ab")
    channel = _collections(api, keys.admin_b)["Channel ab"]
    assert _get(api, f"{ROOT}collections/{channel}/", keys.admin_b)["can_write"] is True
    assert _get(api, f"{ROOT}collections/{channel}/", keys.reader_b)["can_write"] is False
    good = {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "pattern": "[file:hashes.MD5 = '" + "7" * 32 + "']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z"}
    bad = {**good, "id": "indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "pattern": "[x"}
    envelope = {"objects": [good, bad, {"type": "x-unknown-thing", "id": "x-unknown-thing--1"}]}
    headers = {**keys.admin_b, **TAXII, "Content-Type": MEDIA_TYPE_TAXII}
    response = api.post(f"{ROOT}collections/{channel}/objects/", headers=headers,
                        content=json.dumps(envelope))
    assert response.status_code == 202, response.text
    status = response.json()
    assert (status["total_count"], status["failure_count"]) == (3, 1)
    assert status["failures"][0]["id"] == bad["id"]
    again = _get(api, f"{ROOT}status/{status['id']}/", keys.admin_b)
    assert again["success_count"] == 2
    stored = signals.signal_list(db, Actor.operator(), bank="b-inbox")
    assert [s.value for s in stored] == ["7" * 32]
    replay = api.post(f"{ROOT}collections/{channel}/objects/", headers=headers,
                      content=json.dumps(envelope))
    assert replay.status_code == 202
    assert len(signals.signal_list(db, Actor.operator(), bank="b-inbox")) == 1


@pytest.mark.parametrize(("body", "status"), [
    (b"{not json", 400), (b'{"objects": 5}', 400), (b"[1, 2]", 400),
    (b'{"objects": []' + b" " * (17 * 1024 * 1024) + b"}", 413),
])
def test_a_bad_or_oversize_envelope_is_a_taxii_error_and_stores_nothing(
        api: TestClient, keys: Keys, db: Database, body: bytes, status: int) -> None:
    banks.bank_add(db, Actor.operator(), "b-inbox", "Platform B", default_tlp="AMBER",
                   channel="ab")
    channel = _collections(api, keys.admin_b)["Channel ab"]
    response = api.post(f"{ROOT}collections/{channel}/objects/", content=body,
                        headers={**keys.admin_b, **TAXII, "Content-Type": MEDIA_TYPE_TAXII})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII
    assert response.json()["http_status"] == str(status)
    assert signals.signal_list(db, Actor.operator(), bank="b-inbox") == []


def test_taxii_errors_are_taxii_messages(api: TestClient, keys: Keys) -> None:
    unauthenticated = api.get(ROOT + "collections/", headers=TAXII)
    assert unauthenticated.status_code == 401
    assert "Basic" in unauthenticated.headers["www-authenticate"]
    assert unauthenticated.headers["content-type"] == MEDIA_TYPE_TAXII
    channel = _collections(api, keys.reader_b)["Channel ab"]
    bad_cursor = api.get(f"{ROOT}collections/{channel}/objects/", params={"next": "abc"},
                         headers={**keys.reader_b, **TAXII})
    assert bad_cursor.status_code == 400
    assert "next" in bad_cursor.json()["description"]
    wrong_user = "Basic " + base64.b64encode(
        f"ada:{keys.reader_b['Authorization'][7:]}".encode()).decode()
    assert api.get(ROOT, headers={"Authorization": wrong_user}).status_code == 401
    reader_post = api.post(f"{ROOT}collections/{channel}/objects/", content=b'{"objects":[]}',
                           headers={**keys.reader_b, "Content-Type": MEDIA_TYPE_TAXII})
    assert reader_post.status_code == 403


def test_a_posted_revocation_retracts_the_signal_it_revokes(
        api: TestClient, keys: Keys, db: Database) -> None:
    banks.bank_add(db, Actor.operator(), "b-inbox", "Platform B", default_tlp="AMBER",
                   channel="ab")
    channel = _collections(api, keys.admin_b)["Channel ab"]
    indicator = {"type": "indicator", "spec_version": "2.1",
                 "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                 "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
                 "pattern": "[file:hashes.MD5 = '" + "8" * 32 + "']", "pattern_type": "stix",
                 "valid_from": "2026-01-01T00:00:00Z"}
    revoked = {**indicator, "modified": "2026-01-02T00:00:00.000Z", "revoked": True}
    headers = {**keys.admin_b, **TAXII, "Content-Type": MEDIA_TYPE_TAXII}
    url = f"{ROOT}collections/{channel}/objects/"
    for envelope in ({"objects": [indicator]}, {"objects": [revoked]}, {"objects": [revoked]}):
        response = api.post(url, headers=headers, content=json.dumps(envelope))
        assert response.status_code == 202 and response.json()["failure_count"] == 0
    assert signals.signal_list(db, Actor.operator(), bank="b-inbox") == []
    (tombstone,) = signals.signal_list(db, Actor.operator(), bank="b-inbox", status="retracted")
    assert tombstone.value == "8" * 32


def test_a_posted_quarantined_version_quarantines_and_a_later_active_one_lifts(
        api: TestClient, keys: Keys, db: Database) -> None:
    banks.bank_add(db, Actor.operator(), "b-inbox", "Platform B", default_tlp="AMBER",
                   channel="ab")
    channel = _collections(api, keys.admin_b)["Channel ab"]
    ext = {"extension_type": "property-extension", "signal_type": "md5", "value": "9" * 32}
    indicator = {**_ACCORD_MD5, "pattern": "[file:hashes.MD5 = '" + "9" * 32 + "']",
                 "extensions": {EXTENSION_ID: {**ext, "status": "quarantined"}}}
    lifted = {**indicator, "modified": "2024-01-02T00:00:00Z",
              "extensions": {EXTENSION_ID: {**ext, "status": "active"}}}
    headers = {**keys.admin_b, **TAXII, "Content-Type": MEDIA_TYPE_TAXII}
    url = f"{ROOT}collections/{channel}/objects/"
    for envelope, status in (({"objects": [indicator]}, "quarantined"),
                             ({"objects": [lifted]}, "active")):
        response = api.post(url, headers=headers, content=json.dumps(envelope))
        assert response.status_code == 202 and response.json()["failure_count"] == 0
        (held,) = signals.signal_list(db, Actor.operator(), bank="b-inbox", status=status)
        assert held.value == "9" * 32


def test_a_quarantined_signal_is_served_to_a_peer_only_as_a_version_saying_so(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    disputed = _add(db, settings, "5" * 32, tlp="GREEN")
    _add(db, settings, "6" * 32, tlp="GREEN")
    with db.transaction() as session:  # as a dispute leaves it (curation's policy decides when)
        session.execute(update(m.Signal).where(m.Signal.id == disputed)
                        .values(status=signals.Status.QUARANTINED.value))
    green = _collections(api, keys.admin_c)["TLP:GREEN signals"]
    served = {str(o["pattern"]).split("'")[1]: o for o in _objects(api, keys.admin_c, green)}
    assert set(served) == {"5" * 32, "6" * 32}
    statuses = {v: o["extensions"][EXTENSION_ID]["status"]  # type: ignore[index]
                for v, o in served.items()}
    assert statuses == {"5" * 32: "quarantined", "6" * 32: "active"}
    assert "revoked" not in served["5" * 32]  # disputed, not withdrawn
    manifest = _get(api, f"{ROOT}collections/{green}/manifest/", keys.admin_c)
    versions = {o["id"]: o["version"] for o in manifest["objects"]}  # type: ignore[attr-defined]
    assert versions[served["5" * 32]["id"]] == served["5" * 32]["modified"]


_ACCORD_MD5 = {"type": "indicator", "spec_version": "2.1",
               "id": "indicator--11111111-1111-4111-8111-111111111111",
               "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
               "pattern": "[file:hashes.MD5 = '" + "a" * 32 + "']", "pattern_type": "stix",
               "valid_from": "2024-01-01T00:00:00Z",
               "extensions": {EXTENSION_ID: {"extension_type": "property-extension",
                                             "signal_type": "md5", "value": "a" * 32}}}


@pytest.mark.parametrize("broken", [
    {"object_marking_refs": 5}, {"extensions": 5}, {"object_marking_refs": 5, "extensions": None},
    {"extensions": {EXTENSION_ID: 5}},
], ids=["refs-not-list", "extensions-not-object", "plain-refs-not-list", "extension-not-object"])
def test_a_malformed_object_in_a_post_is_refused_by_id_and_never_a_server_error(
        api: TestClient, keys: Keys, db: Database, broken: dict[str, object]) -> None:
    banks.bank_add(db, Actor.operator(), "b-inbox", "Platform B", default_tlp="AMBER",
                   channel="ab")
    channel = _collections(api, keys.admin_b)["Channel ab"]
    good = {**_ACCORD_MD5, "id": "indicator--22222222-2222-4222-8222-222222222222",
            "pattern": "[file:hashes.MD5 = '" + "b" * 32 + "']",
            "extensions": {EXTENSION_ID: {"extension_type": "property-extension",
                                          "signal_type": "md5", "value": "b" * 32}}}
    bad = {k: v for k, v in {**_ACCORD_MD5, **broken}.items() if v is not None}
    response = api.post(f"{ROOT}collections/{channel}/objects/",
                        content=json.dumps({"objects": [bad, good]}),
                        headers={**keys.admin_b, **TAXII, "Content-Type": MEDIA_TYPE_TAXII})
    assert response.status_code == 202, response.text
    status = response.json()
    assert [f["id"] for f in status["failures"]] == [bad["id"]]
    assert [s.value for s in signals.signal_list(db, Actor.operator(), bank="b-inbox")] == [
        "b" * 32]


@pytest.mark.parametrize("params", [
    {"limit": "²"}, {"next": "²"}, {"limit": "99999999999999999999"},
    {"next": "99999999999999999999"}, {"limit": "-1"},
])
def test_a_limit_or_cursor_that_is_no_plain_number_is_a_taxii_400(
        api: TestClient, keys: Keys, params: dict[str, str]) -> None:
    channel = _collections(api, keys.reader_b)["Channel ab"]
    for resource in ("objects", "manifest"):
        response = api.get(f"{ROOT}collections/{channel}/{resource}/", params=params,
                           headers={**keys.reader_b, **TAXII})
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == MEDIA_TYPE_TAXII
        assert next(iter(params)) in response.json()["description"]


def test_collection_ids_are_stable_version_4_uuids_and_their_old_uuid5_ids_still_answer(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    _add(db, settings, "2" * 32)
    ids = _collections(api, keys.reader_b)
    for found in ids.values():  # TAXII 2.1: a collection id is a UUIDv4
        assert (uuid.UUID(found).version, uuid.UUID(found).variant) == (4, uuid.RFC_4122)
    # Stable and deterministic (peers store them): uuid5's bytes, version nibble 4.
    old = uuid.uuid5(ACCORD_NAMESPACE, f"{settings.resolved_node_id()}:collection:channel-ab")
    assert ids["Channel ab"] == str(uuid.UUID(bytes=old.bytes, version=4))
    assert _collections(api, keys.reader_b) == ids
    # A peer configured with the uuid5 id served before keeps working.
    assert _get(api, f"{ROOT}collections/{old}/", keys.reader_b)["id"] == ids["Channel ab"]
    assert _values(_objects(api, keys.reader_b, str(old))) == {"2" * 32}
    assert _values(_objects(api, keys.reader_b, ids["Channel ab"])) == {"2" * 32}
    other = uuid.uuid5(ACCORD_NAMESPACE, "someone-else:collection:channel-ab")
    response = api.get(f"{ROOT}collections/{other}/", headers={**keys.reader_b, **TAXII})
    assert response.status_code == 404
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII


_MICROSECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_date_added_has_microseconds_so_added_after_resumes_exactly_after_a_page(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    stamp = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    for n, value in enumerate(("3" * 32, "4" * 32, "5" * 32), start=1):
        sid = _add(db, settings, value)
        with db.transaction() as session:  # three versions within one millisecond
            session.execute(update(m.Signal).where(m.Signal.id == sid).values(
                updated_at=stamp + dt.timedelta(microseconds=100 * n)))
    channel = _collections(api, keys.reader_b)["Channel ab"]
    url = f"{ROOT}collections/{channel}/"
    first = api.get(url + "objects/", params={"limit": 2}, headers={**keys.reader_b, **TAXII})
    assert first.status_code == 200, first.text
    assert first.headers["X-TAXII-Date-Added-First"] == "2026-03-01T12:00:00.000100Z"
    assert first.headers["X-TAXII-Date-Added-Last"] == "2026-03-01T12:00:00.000200Z"
    (entry, *_) = _get(api, url + "manifest/", keys.reader_b)["objects"]  # type: ignore[misc]
    assert _MICROSECONDS.match(entry["date_added"]), entry
    # The client passes the last date_added back: what follows, and nothing of that page.
    rest = _objects(api, keys.reader_b, channel,
                    added_after=first.headers["X-TAXII-Date-Added-Last"])
    assert _values(rest) == {"5" * 32}


@pytest.mark.parametrize("content_type", [
    "application/json", "application/json; charset=utf-8", "text/plain", "",
    "application/taxii+json;version=2.0", "application/stix+json;version=2.1",
])
def test_a_post_that_is_not_taxii_json_is_refused_with_a_taxii_415(
        api: TestClient, keys: Keys, db: Database, content_type: str) -> None:
    banks.bank_add(db, Actor.operator(), "b-inbox", "Platform B", default_tlp="AMBER",
                   channel="ab")
    channel = _collections(api, keys.admin_b)["Channel ab"]
    envelope = {"objects": [{**_ACCORD_MD5, "id": "indicator--33333333-3333-4333-8333-"
                             "333333333333"}]}
    response = api.post(f"{ROOT}collections/{channel}/objects/", content=json.dumps(envelope),
                        headers={**keys.admin_b, **TAXII, "Content-Type": content_type})
    assert response.status_code == 415, response.text
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII
    assert response.json()["http_status"] == "415"
    assert MEDIA_TYPE_TAXII in response.json()["description"]
    assert signals.signal_list(db, Actor.operator(), bank="b-inbox") == []
    for accepted in ("application/taxii+json;version=2.1", "application/taxii+json",
                     'Application/TAXII+json; version="2.1"'):
        ok = api.post(f"{ROOT}collections/{channel}/objects/", content=json.dumps(envelope),
                      headers={**keys.admin_b, **TAXII, "Content-Type": accepted})
        assert ok.status_code == 202, (accepted, ok.text)
        assert _MICROSECONDS.match(ok.json()["request_timestamp"])


def _taxii_error(response: Response, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE_TAXII
    body: dict[str, str] = response.json()
    assert body["http_status"] == str(status) and body["title"] and body["description"]
    return body


def test_delete_and_every_other_unserved_request_get_taxii_errors_not_problem_json(
        api: TestClient, keys: Keys, db: Database, settings: Settings) -> None:
    _add(db, settings, "6" * 32)
    channel = _collections(api, keys.reader_b)["Channel ab"]
    base = f"{ROOT}collections/{channel}/"
    (entry,) = _get(api, base + "manifest/", keys.reader_b)["objects"]  # type: ignore[misc]
    headers = {**keys.curator_a, **TAXII}
    refused = _taxii_error(api.delete(base + f"objects/{entry['id']}/", headers=headers), 403)
    assert "revoked" in refused["description"]
    assert _values(_objects(api, keys.reader_b, channel)) == {"6" * 32}  # still there
    _taxii_error(api.delete(base + f"objects/{entry['id']}/", headers=TAXII), 401)
    _taxii_error(api.delete(base + f"objects/{entry['id']}/", headers={**keys.admin_c,
                                                                       **TAXII}), 404)
    not_allowed = api.delete(base + "objects/", headers=headers)
    _taxii_error(not_allowed, 405)
    assert not_allowed.headers["allow"] == "GET, POST"
    _taxii_error(api.put(ROOT + "collections/", headers=headers), 405)
    _taxii_error(api.get("/taxii2/nothing-here/", headers=headers), 404)
    # Methods no route lists, and URLs the front door refuses, answer as TAXII too
    # (both were problem+json, found by tests/api/test_schemathesis_taxii.py).
    _taxii_error(api.request("TRACE", "/taxii2/", headers=headers), 405)
    _taxii_error(api.get(base + "objects/?match%5Bid%5D=a%00b", headers=headers), 400)
    redirect = api.get(ROOT + "collections", headers=headers, follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"].endswith(ROOT + "collections/")


@pytest.mark.parametrize("resource", ["objects", "manifest"])
def test_limit_0_is_a_taxii_400_never_every_object(
        api: TestClient, keys: Keys, db: Database, settings: Settings, resource: str) -> None:
    _add(db, settings, "7" * 32)
    _add(db, settings, "8" * 32)
    channel = _collections(api, keys.reader_b)["Channel ab"]
    url = f"{ROOT}collections/{channel}/{resource}/"
    body = _taxii_error(api.get(url, params={"limit": "0"},
                                headers={**keys.reader_b, **TAXII}), 400)
    assert "limit" in body["description"]
    one = _get(api, url, keys.reader_b, limit=1)
    assert len(one["objects"]) == 1 and one["more"] is True  # type: ignore[arg-type]
