"""The review desk over HTTP: undo, release, reassign, the prioritised desk, cases, previews."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.api.test_api import add, problem, wait_for


def _matched(api: TestClient, keys: Keys, ref: str, value: str = "a" * 32) -> int:
    query = {"signal_type": "md5", "value": value, "content_ref": ref}
    found: list[Any] = []

    def recorded() -> bool:
        found[:] = api.post("/api/v1/match", headers=keys.reviewer_b,
                            json=query).json().get("match_ids") or []
        return bool(found)
    wait_for(recorded)
    return int(found[0])


def test_a_reviewer_undoes_a_verdict_over_the_api(api: TestClient, keys: Keys) -> None:
    add(api, keys, "md5", "a" * 32)
    match_id = _matched(api, keys, "upload-1")
    verdict = api.post(f"/api/v1/matches/{match_id}/verdict", headers=keys.reviewer_b,
                       json={"decision": "confirm"})
    assert verdict.status_code == 201 and verdict.json()["undo_until"]
    body = problem(api.post(f"/api/v1/matches/{match_id}/undo", headers=keys.admin_b), 403)
    assert "only bea, who decided" in str(body["detail"])
    undone = api.post(f"/api/v1/matches/{match_id}/undo", headers=keys.reviewer_b)
    assert undone.status_code == 200, undone.text
    assert (undone.json()["state"], undone.json()["claimed_by"]) == ("pending", "bea")
    problem(api.post(f"/api/v1/matches/{match_id}/undo", headers=keys.reviewer_b), 409)
    problem(api.post(f"/api/v1/matches/{match_id}/undo", headers=keys.admin_c), 404)


def test_claims_are_released_by_their_holder_and_reassigned_by_an_admin(
    api: TestClient, keys: Keys
) -> None:
    add(api, keys, "md5", "a" * 32)
    match_id = _matched(api, keys, "upload-1")
    claimed = api.post(f"/api/v1/matches/{match_id}/claim", headers=keys.reviewer_b).json()
    assert claimed["claimed_by"] == "bea" and claimed["claimed_until"]
    released = api.post(f"/api/v1/matches/{match_id}/release", headers=keys.reviewer_b)
    assert released.json()["claimed_by"] is None
    problem(api.post(f"/api/v1/matches/{match_id}/reassign", headers=keys.reviewer_b,
                     json={"member": "bea"}), 403)
    moved = api.post(f"/api/v1/matches/{match_id}/reassign", headers=keys.admin_b,
                     json={"member": "bea"})
    assert moved.json()["claimed_by"] == "bea"
    problem(api.post(f"/api/v1/matches/{match_id}/reassign", headers=keys.admin_b,
                     json={"member": "ada"}), 404)  # another partner's member


def test_the_desk_answers_cases_by_priority_and_a_case_is_decided_at_once(
    api: TestClient, keys: Keys
) -> None:
    add(api, keys, "md5", "a" * 32, labels=["behaviour:recruitment"])
    add(api, keys, "md5", "b" * 32, labels=["behaviour:imminent-credible-threat"])
    _matched(api, keys, "calm", "a" * 32)
    _matched(api, keys, "urgent", "b" * 32)
    _matched(api, keys, "urgent", "a" * 32)
    desk = api.get("/api/v1/review/desk", headers=keys.reviewer_b).json()
    assert [c["content_ref"] for c in desk["cases"]] == ["urgent", "calm"]
    assert desk["counts"]["pending"] == 3
    card = desk["cases"][0]["cards"][0]
    assert card["reasons"] == ["behaviour:imminent-credible-threat"]
    assert card["threshold"] == 0 and card["opinions"] == {}
    problem(api.get("/api/v1/review/desk?age=soon", headers=keys.reviewer_b), 400)
    decided = api.post("/api/v1/review/cases/verdict", headers=keys.reviewer_b,
                       json={"content_ref": "urgent", "decision": "confirm"})
    assert decided.status_code == 201 and len(decided.json()) == 2
    after = api.get("/api/v1/review/desk", headers=keys.reviewer_b).json()
    assert [c["content_ref"] for c in after["cases"]] == ["calm"]
    assert after["counts"]["confirmed"] == 2


def test_an_admin_sets_the_content_url_template_and_bad_ones_are_refused(
    api: TestClient, keys: Keys
) -> None:
    url = "/api/v1/review/content-url"
    body = problem(api.put(url, headers=keys.admin_b,
                           json={"template": "http://media.b.example/{content_ref}"}), 400)
    assert "https://" in str(body["detail"])
    problem(api.put(url, headers=keys.reviewer_b,
                    json={"template": "https://media.b.example/{content_ref}"}), 403)
    ok = api.put(url, headers=keys.admin_b,
                 json={"template": "https://media.b.example/{content_ref}"})
    assert ok.json() == {"template": "https://media.b.example/{content_ref}"}
    assert api.get(url, headers=keys.reviewer_b).json() == ok.json()
    add(api, keys, "md5", "a" * 32)
    _matched(api, keys, "x/y")
    [case] = api.get("/api/v1/review/desk", headers=keys.reviewer_b).json()["cases"]
    assert case["cards"][0]["content_url"] == "https://media.b.example/x%2Fy"
    pref = api.put("/api/v1/review/preferences", headers=keys.reviewer_b,
                   json={"reveal_previews": True})
    assert pref.json() == {"reveal_previews": True}
