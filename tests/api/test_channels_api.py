"""Channel invitations over the API: Agency A invites Outsider C into ``ab``; only C's
admin lets C in; Platform B (in ``ab``, but not party to the invitation) cannot tell it
exists."""

from __future__ import annotations

from fastapi.testclient import TestClient

from accord.sharing import service
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.api.conftest import Keys
from tests.api.test_api import problem


def _bearer(db: Database, partner: str, username: str, role: str) -> dict[str, str]:
    service.member_add(db, Actor.operator(), partner, username, role)
    return {"Authorization": f"Bearer {service.key_create(db, Actor.operator(), username).secret}"}


def _channel_id(api: TestClient, keys: Keys) -> int:
    listed = api.get("/api/v1/channels", headers=keys.admin_b).json()
    return int(next(c["id"] for c in listed if c["name"] == "ab"))


def test_an_invited_partner_joins_only_when_its_admin_accepts(api: TestClient, keys: Keys,
                                                               db: Database) -> None:
    admin_a = _bearer(db, "Agency A", "aya", "admin")
    channel = _channel_id(api, keys)
    assert api.get("/api/v1/channels", headers=keys.admin_c).json() == []
    made = api.post(f"/api/v1/channels/{channel}/invitations", headers=admin_a,
                    json={"partner": "Outsider C"})
    assert made.status_code == 201, made.text
    invitation = made.json()
    assert (invitation["channel_name"], invitation["state"]) == ("ab", "pending")
    seen = api.get("/api/v1/channel-invitations", headers=keys.admin_c).json()
    assert [(i["id"], i["channel_name"], i["invited_by"]) for i in seen] == [
        (invitation["id"], "ab", "another partner")]
    assert api.get("/api/v1/channels", headers=keys.admin_c).json() == []
    reader_c = _bearer(db, "Outsider C", "cyd", "reader")
    problem(api.post(f"/api/v1/channel-invitations/{invitation['id']}/accept",
                     headers=reader_c), 403)
    accepted = api.post(f"/api/v1/channel-invitations/{invitation['id']}/accept",
                        headers=keys.admin_c)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert [c["name"] for c in api.get("/api/v1/channels", headers=keys.admin_c).json()] == [
        "ab"]


def test_an_invitation_answers_others_exactly_as_a_missing_one(api: TestClient, keys: Keys,
                                                               db: Database) -> None:
    admin_a = _bearer(db, "Agency A", "aya", "admin")
    made = api.post(f"/api/v1/channels/{_channel_id(api, keys)}/invitations",
                    headers=admin_a, json={"partner": "Outsider C"}).json()
    assert api.get("/api/v1/channel-invitations", headers=keys.admin_b).json() == []
    for step in ("accept", "decline", "withdraw"):
        hidden = problem(api.post(f"/api/v1/channel-invitations/{made['id']}/{step}",
                                  headers=keys.admin_b), 404)
        missing = problem(api.post(f"/api/v1/channel-invitations/{made['id'] + 99}/{step}",
                                   headers=keys.admin_b), 404)
        for body in (hidden, missing):
            body.pop("request_id")
            body.pop("instance", None)
        assert str(hidden).replace(str(made["id"]), "N") == str(missing).replace(
            str(made["id"] + 99), "N")


def test_a_second_invitation_is_a_conflict_and_the_inviter_withdraws(
    api: TestClient, keys: Keys, db: Database
) -> None:
    admin_a = _bearer(db, "Agency A", "aya", "admin")
    path = f"/api/v1/channels/{_channel_id(api, keys)}/invitations"
    made = api.post(path, headers=admin_a, json={"partner": "Outsider C"}).json()
    body = problem(api.post(path, headers=admin_a, json={"partner": "Outsider C"}), 409)
    assert "already has a pending invitation" in str(body["detail"])
    problem(api.post(path, headers=admin_a, json={"partner": "Platform B"}), 409)  # a member
    problem(api.post(path, headers=keys.admin_b, json={"partner": "Outsider C"}), 403)
    problem(api.post(f"/api/v1/channel-invitations/{made['id']}/withdraw",
                     headers=keys.admin_c), 403)
    withdrawn = api.post(f"/api/v1/channel-invitations/{made['id']}/withdraw", headers=admin_a)
    assert withdrawn.json()["state"] == "withdrawn"
    assert api.get("/api/v1/channel-invitations?state=pending",
                   headers=keys.admin_c).json() == []
    problem(api.get("/api/v1/channel-invitations?state=maybe", headers=keys.admin_c), 422)
