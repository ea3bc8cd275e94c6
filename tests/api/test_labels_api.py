"""Fixing labels over HTTP: edits and history, a dispute's label and thread, proposals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.api.test_api import problem


def _signal(api: TestClient, keys: Keys, tlp: str = "GREEN") -> int:
    made = api.post("/api/v1/banks/a-images/signals", headers=keys.curator_a, json={
        "signal_type": "md5", "value": ("a" if tlp == "GREEN" else "b") * 32,
        "labels": ["content:video", "behaviour:recruitment"], "tlp": tlp})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_the_owner_edits_labels_and_everyone_who_may_see_reads_the_history(
        api: TestClient, keys: Keys) -> None:
    sid = _signal(api, keys)
    edited = api.put(f"/api/v1/signals/{sid}/labels", headers=keys.curator_a,
                     json={"labels": ["content:image"], "reason": "a still"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["labels"] == ["content:image"]
    history = api.get(f"/api/v1/signals/{sid}/labels/history", headers=keys.reviewer_b).json()
    assert [(v["version"], v["labels"], v["reason"]) for v in history] == [
        (1, ["behaviour:recruitment", "content:video"], ""), (2, ["content:image"], "a still")]
    assert problem(api.put(f"/api/v1/signals/{sid}/labels", headers=keys.reviewer_b,
                           json={"labels": ["content:video"]}), 403)
    assert "nonsense" in str(problem(api.put(
        f"/api/v1/signals/{sid}/labels", headers=keys.curator_a,
        json={"labels": ["behaviour:nonsense"]}), 400)["detail"])
    red = _signal(api, keys, "RED")
    for path in (f"/api/v1/signals/{red}/labels/history", "/api/v1/signals/99999/labels/history"):
        assert problem(api.get(path, headers=keys.reviewer_b), 404)["detail"].startswith(
            "no signal")
    hidden = problem(api.put(f"/api/v1/signals/{red}/labels", headers=keys.reviewer_b,
                             json={"labels": ["content:image"]}), 404)
    assert hidden["detail"] == f"no signal {red}"


def test_a_dispute_names_a_label_and_its_thread_is_the_two_partners_own(
        api: TestClient, keys: Keys) -> None:
    sid = _signal(api, keys)
    dispute = api.post(f"/api/v1/signals/{sid}/opinions", headers=keys.reviewer_b, json={
        "kind": "disagree", "note": "", "label": "behaviour:recruitment"})
    assert dispute.status_code == 201, dispute.text
    assert dispute.json()["label"] == "behaviour:recruitment"
    problem(api.post(f"/api/v1/signals/{sid}/opinions", headers=keys.reviewer_b, json={
        "kind": "disagree", "label": "behaviour:threat"}), 400)
    did = dispute.json()["id"]
    reply = api.post(f"/api/v1/disputes/{did}/messages", headers=keys.curator_a,
                     json={"text": "The end card recruits."})
    assert reply.status_code == 201, reply.text
    api.post(f"/api/v1/disputes/{did}/messages", headers=keys.reviewer_b, json={"text": "Seen."})
    thread = api.get(f"/api/v1/disputes/{did}/messages", headers=keys.reviewer_b).json()
    assert [(t["author"], t["text"]) for t in thread] == [
        ("another partner", "The end card recruits."), ("bea", "Seen.")]
    for outsider in (keys.admin_c,):
        assert problem(api.get(f"/api/v1/disputes/{did}/messages", headers=outsider),
                       404)["detail"] == f"no dispute {did}"
    problem(api.post(f"/api/v1/disputes/{did}/messages", headers=keys.curator_a,
                     json={"text": ""}), 400)


def test_a_proposal_is_made_listed_accepted_and_its_outcome_seen(
        api: TestClient, keys: Keys) -> None:
    sid = _signal(api, keys)
    made = api.post(f"/api/v1/signals/{sid}/proposals", headers=keys.reviewer_b, json={
        "add": ["content:image"], "remove": ["content:video"], "reason": "a still image"})
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    listed = api.get("/api/v1/proposals", headers=keys.curator_a).json()
    assert [p["id"] for p in listed] == [pid]
    assert api.get("/api/v1/proposals", headers=keys.admin_c).json() == []
    problem(api.post(f"/api/v1/proposals/{pid}/accept", headers=keys.reviewer_b, json={}), 403)
    problem(api.post(f"/api/v1/proposals/{pid}/accept", headers=keys.admin_c, json={}), 404)
    done = api.post(f"/api/v1/proposals/{pid}/accept", headers=keys.curator_a, json={})
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    labels = api.get(f"/api/v1/signals/{sid}", headers=keys.reviewer_b).json()["labels"]
    assert labels == ["behaviour:recruitment", "content:image"]
    seen = api.get("/api/v1/proposals", headers=keys.reviewer_b, params={"status": "all"})
    assert [p["status"] for p in seen.json()] == ["accepted"]
    problem(api.post(f"/api/v1/proposals/{pid}/refuse", headers=keys.curator_a,
                     json={"reason": "no"}), 409)
    again = api.post(f"/api/v1/signals/{sid}/proposals", headers=keys.reviewer_b, json={
        "add": ["behaviour:threat"], "reason": "a threat"}).json()["id"]
    problem(api.post(f"/api/v1/proposals/{again}/refuse", headers=keys.curator_a,
                     json={"reason": ""}), 400)
    refused = api.post(f"/api/v1/proposals/{again}/refuse", headers=keys.curator_a,
                       json={"reason": "no threat in it"}).json()
    assert (refused["status"], refused["answer"]) == ("refused", "no threat in it")
