"""HMA's bank updates and deletes (``PUT``/``DELETE /hma/c/bank/<name>``, ``DELETE
/hma/c/bank/<name>/content/<id>``) in HMA's shapes, over Accord's core: a rename, the
matching switch (HMA's ``enabled_ratio`` 1 or 0), deletion of a bank that never held a
signal, and retraction of content; each audited, and a bank the caller may not see
answers as a missing one."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord import audit
from accord.store.database import Database
from tests.api.conftest import Keys
from tests.api.test_hma_api import NEAR, PDQ, add_hash, eventually, hma, hma_error, new_bank

__all__ = ["hma"]  # the fixture, used by name
BANK = "COOP_ORG1_BANK"


def _lookup(hma: TestClient, keys: Keys) -> object:
    return hma.get("/hma/m/lookup", params={"signal_type": "pdq", "signal": NEAR},
                   headers=keys.curator_a).json()


def _actions(db: Database) -> list[str]:
    return [e.action for e in audit.recent(db, limit=20)]


def test_put_switches_matching_off_and_on_and_renames(
        hma: TestClient, keys: Keys, db: Database) -> None:
    new_bank(hma, keys)
    content = add_hash(hma, keys, BANK)
    eventually(lambda: bool(_lookup(hma, keys)))

    off = hma.put(f"/hma/c/bank/{BANK}", headers=keys.curator_a, json={"enabled_ratio": 0.0})
    assert off.status_code == 200 and off.json() == {"name": BANK, "matching_enabled_ratio": 0.0}
    eventually(lambda: _lookup(hma, keys) == {})  # its signals stay, none matches
    assert hma.get(f"/hma/c/bank/{BANK}", headers=keys.curator_a).json()[
        "matching_enabled_ratio"] == 0.0
    raw = hma.get("/hma/m/raw_lookup", params={"signal_type": "pdq", "signal": PDQ},
                  headers=keys.curator_a)
    assert raw.json() == {"matches": []}

    on = hma.put(f"/hma/c/bank/{BANK}", headers=keys.curator_a,
                 json={"name": "COOP_RENAMED", "enabled": True})
    assert on.status_code == 200
    assert on.json() == {"name": "COOP_RENAMED", "matching_enabled_ratio": 1.0}
    hma_error(hma.get(f"/hma/c/bank/{BANK}", headers=keys.curator_a), 404)
    eventually(lambda: _lookup(hma, keys) == {
        "COOP_RENAMED": [{"bank_content_id": content, "distance": "1"}]})
    assert {"bank.rename", "bank.matching"} <= set(_actions(db))


def test_bad_updates_get_hmas_errors(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    new_bank(hma, keys, "COOP_ORG1_TWO")
    put = "/hma/c/bank/" + BANK
    assert "not supported" in hma_error(
        hma.put(put, headers=keys.curator_a, json={"enabled_ratio": 0.5}), 400)
    assert "UPPER_WITH_UNDERSCORE" in hma_error(
        hma.put(put, headers=keys.curator_a, json={"name": "lower_case"}), 400)
    assert hma_error(hma.put(put, headers=keys.curator_a, json={"name": "COOP_ORG1_TWO"}),
                     403) == "Bank name already exists"
    hma_error(hma.put(put, headers=keys.curator_a, content=b"[1"), 400)
    hma_error(hma.put(put, headers=keys.curator_a, json=["name"]), 400)
    hma_error(hma.put(put, headers=keys.curator_a, json={"enabled_ratio": True}), 400)
    hma_error(hma.put("/hma/c/bank/NO_SUCH", headers=keys.curator_a, json={}), 404)
    # Nothing was changed by the refused updates.
    assert hma.get(put, headers=keys.curator_a).json() == {
        "name": BANK, "matching_enabled_ratio": 1.0}


def test_a_bank_the_caller_may_not_see_answers_like_a_missing_one(
        hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)  # Agency A's, AMBER without a channel: A's alone
    content = add_hash(hma, keys, BANK)
    missing = hma_error(hma.put("/hma/c/bank/NO_SUCH", headers=keys.admin_c, json={}), 404)
    for method, path in (("PUT", f"/hma/c/bank/{BANK}"), ("DELETE", f"/hma/c/bank/{BANK}"),
                         ("DELETE", f"/hma/c/bank/{BANK}/content/{content}")):
        message = hma_error(hma.request(method, path, headers=keys.admin_c,
                                        json={"enabled": False}), 404)
        assert message == missing.replace("NO_SUCH", BANK)
    # A's bank shared into channel ab: B sees it but may not change or delete it.
    for method in ("PUT", "DELETE"):
        hma_error(hma.request(method, "/hma/c/bank/a-images", headers=keys.admin_b,
                              json={"enabled": False}), 403)
    assert hma.get(f"/hma/c/bank/{BANK}", headers=keys.curator_a).status_code == 200


def test_delete_removes_an_empty_bank_and_retracts_content(
        hma: TestClient, keys: Keys, db: Database) -> None:
    new_bank(hma, keys, "COOP_EMPTY")
    gone = hma.delete("/hma/c/bank/COOP_EMPTY", headers=keys.curator_a)
    assert gone.status_code == 200 and gone.json() == {"message": "Done"}
    hma_error(hma.get("/hma/c/bank/COOP_EMPTY", headers=keys.curator_a), 404)
    assert "bank.delete" in _actions(db)

    new_bank(hma, keys)
    content = add_hash(hma, keys, BANK)
    eventually(lambda: bool(_lookup(hma, keys)))
    kept = hma.delete(f"/hma/c/bank/{BANK}", headers=keys.curator_a)
    assert kept.status_code == 409 and "retract" in kept.json()["hint"]
    assert kept.headers["content-type"].startswith("application/problem+json")

    path = f"/hma/c/bank/{BANK}/content/{content}"
    removed = hma.delete(path, headers=keys.curator_a)
    assert removed.status_code == 200 and removed.json() == {"deleted": 1}
    eventually(lambda: _lookup(hma, keys) == {})
    assert hma.delete(path, headers=keys.curator_a).json() == {"deleted": 0}
    assert hma.delete(f"/hma/c/bank/{BANK}/content/999999",
                      headers=keys.curator_a).json() == {"deleted": 0}
    shown = hma.get(path, headers=keys.curator_a).json()
    assert shown["disable_until_ts"] == 0  # the tombstone stays
    assert "signal.retract" in _actions(db)
    # A bank that held a signal is kept even once all are retracted.
    assert hma.delete(f"/hma/c/bank/{BANK}", headers=keys.curator_a).status_code == 409
    hma_error(hma.delete(path, headers=keys.reader_b), 404)


def test_a_bank_created_with_ratio_zero_starts_with_matching_off(
        hma: TestClient, keys: Keys) -> None:
    r = hma.post("/hma/c/banks", headers=keys.curator_a,
                 json={"name": "COOP_QUIET", "enabled_ratio": 0})
    assert r.status_code == 201 and r.json() == {"name": "COOP_QUIET",
                                                  "matching_enabled_ratio": 0.0}
    add_hash(hma, keys, "COOP_QUIET")
    new_bank(hma, keys)
    add_hash(hma, keys, BANK)
    eventually(lambda: bool(_lookup(hma, keys)))
    assert set(_lookup(hma, keys)) == {BANK}  # type: ignore[arg-type]


def test_api_v1_switches_the_same_matching(hma: TestClient, keys: Keys) -> None:
    new_bank(hma, keys)
    add_hash(hma, keys, BANK)
    r = hma.patch(f"/api/v1/banks/{BANK}", headers=keys.curator_a,
                  json={"matching_enabled": False})
    assert r.status_code == 200 and r.json()["matching_enabled"] is False
    assert hma.get(f"/hma/c/bank/{BANK}", headers=keys.curator_a).json()[
        "matching_enabled_ratio"] == 0.0
    eventually(lambda: _lookup(hma, keys) == {})
