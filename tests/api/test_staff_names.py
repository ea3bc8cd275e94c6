"""Other partners' staff user names are in no API answer (the UI hides them too)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.sharing.service import OTHER_STAFF
from tests.api.conftest import Keys


def _add(api: TestClient, keys: Keys) -> int:
    made = api.post("/api/v1/banks/a-images/signals", headers=keys.curator_a,
                    json={"signal_type": "md5", "value": "a" * 32, "tlp": "AMBER"})
    assert made.status_code == 201, made.text
    assert made.json()["contributor"] == "ada"  # its own partner sees the name
    return int(made.json()["id"])


def test_a_signals_contributor_is_hidden_from_other_partners(api: TestClient,
                                                             keys: Keys) -> None:
    signal_id = _add(api, keys)
    [listed] = api.get("/api/v1/signals", headers=keys.reviewer_b).json()["signals"]
    assert listed["contributor"] == OTHER_STAFF
    one = api.get(f"/api/v1/signals/{signal_id}", headers=keys.reviewer_b).json()
    assert one["contributor"] == OTHER_STAFF and "ada" not in str(one)
    assert api.get(f"/api/v1/signals/{signal_id}", headers=keys.curator_a
                   ).json()["contributor"] == "ada"


def test_an_opinions_author_is_hidden_from_other_partners(api: TestClient, keys: Keys) -> None:
    signal_id = _add(api, keys)
    given = api.post(f"/api/v1/signals/{signal_id}/opinions", headers=keys.reviewer_b,
                     json={"kind": "agree", "note": "seen on our service"})
    assert given.status_code == 201, given.text
    assert given.json()["author"] == "bea"
    [seen_by_a] = api.get(f"/api/v1/signals/{signal_id}/opinions",
                          headers=keys.curator_a).json()
    assert seen_by_a["author"] == OTHER_STAFF and seen_by_a["partner_id"] == given.json()[
        "partner_id"]
    [seen_by_b] = api.get(f"/api/v1/signals/{signal_id}/opinions",
                          headers=keys.reader_b).json()
    assert seen_by_b["author"] == "bea"
