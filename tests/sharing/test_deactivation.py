"""Deactivating members and pausing or deleting webhooks: one core function each, the same
through the API (and the CLI and UI, tested beside them), audited."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from accord import audit
from accord.app import create_app
from accord.config import Settings
from accord.errors import Conflict, NotFound, PermissionDenied
from accord.review import webhooks
from accord.sharing import accounts, service
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database

OP = Actor.operator()
PASSWORD = "correct horse battery staple"


def add_webhook(db: Database, partner: str) -> int:
    """A webhook row for ``partner``, written directly (what URL checks allow is not
    what these tests are about)."""
    with db.transaction() as session:
        owner = service.find_partner(session, partner)
        row = m.Webhook(partner_id=owner.id, url="https://receiver.example/hook",
                        secret="whsec_test", events=["*"], active=True, created_at=m.utcnow())
        session.add(row)
        session.flush()
        session.add(m.Delivery(webhook_id=row.id, event="ping", payload="{}",
                               status="pending", attempts=0, created_at=m.utcnow()))
        return row.id


@pytest.fixture
def node(db: Database) -> Database:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    service.member_add(db, OP, "Agency A", "ada", "admin")
    service.member_add(db, OP, "Agency A", "cyd", "curator")
    service.member_add(db, OP, "Platform B", "bob", "admin")
    return db


ADA = Actor("ada", partner_id=1, role=Role.ADMIN, member_id=1)
CYD = Actor("cyd", partner_id=1, role=Role.CURATOR, member_id=2)
BOB = Actor("bob", partner_id=2, role=Role.ADMIN, member_id=3)


def test_a_deactivated_member_can_neither_sign_in_nor_use_its_keys(node: Database) -> None:
    accounts.member_set_password(node, OP, "cyd", PASSWORD)
    secret = service.key_create(node, OP, "cyd").secret
    done = accounts.member_set_active(node, ADA, "cyd", False)
    assert not done.active
    with pytest.raises(PermissionDenied):
        accounts.password_authenticate(node, "cyd", PASSWORD)
    with pytest.raises(PermissionDenied, match="deactivated"):
        service.key_authenticate(node, secret)
    accounts.member_set_active(node, ADA, "cyd", True)
    assert accounts.password_authenticate(node, "cyd", PASSWORD).name == "cyd"
    assert service.key_authenticate(node, secret).name == "cyd"
    actions = [e.action for e in audit.tail(node, 5)]
    assert actions[-2:] == ["member.deactivate", "member.reactivate"]
    assert audit.verify(node).ok


def test_only_the_partners_admins_or_the_operator_deactivate_and_not_themselves(
        node: Database) -> None:
    with pytest.raises(PermissionDenied):
        accounts.member_set_active(node, CYD, "ada", False)
    with pytest.raises(PermissionDenied):
        accounts.member_set_active(node, BOB, "cyd", False)
    with pytest.raises(Conflict, match="itself"):
        accounts.member_set_active(node, ADA, "ada", False)
    with pytest.raises(NotFound):
        accounts.member_set_active(node, OP, "nobody", False)
    assert accounts.member_set_active(node, OP, "ada", False).active is False


def test_a_webhook_is_paused_resumed_and_deleted_with_its_deliveries(node: Database) -> None:
    hook = add_webhook(node, "Agency A")
    assert webhooks.webhook_set_active(node, ADA, hook, False).active is False
    assert webhooks.webhook_set_active(node, ADA, hook, True).active is True
    with pytest.raises(NotFound):
        webhooks.webhook_delete(node, BOB, hook)
    with pytest.raises(PermissionDenied):
        webhooks.webhook_delete(node, CYD, hook)
    webhooks.webhook_delete(node, ADA, hook)
    assert webhooks.webhook_list(node, ADA) == []
    with node.reader() as session:
        assert session.query(m.Delivery).count() == 0
    [deleted] = [e for e in audit.tail(node, 5) if e.action == "webhook.delete"]
    assert deleted.details == {"partner": 1, "url": "https://receiver.example/hook",
                               "deliveries_removed": 1}
    assert "whsec_test" not in str(audit.tail(node, 20))
    with pytest.raises(NotFound):
        webhooks.webhook_delete(node, ADA, hook)


@pytest.fixture
def api(node: Database, settings: Settings) -> Iterator[TestClient]:
    fast = Settings(home=settings.home, database_url=settings.database_url,
                    refresh_interval_seconds=0.05)
    with TestClient(create_app(fast), raise_server_exceptions=False) as client:
        yield client


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _eventually(check: object, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_the_api_deactivates_a_member_whose_key_then_stops_working(
        node: Database, api: TestClient) -> None:
    admin = _bearer(service.key_create(node, OP, "ada").secret)
    curator = _bearer(service.key_create(node, OP, "cyd").secret)
    assert api.get("/api/v1/banks", headers=curator).status_code == 200  # cached now
    answer = api.post("/api/v1/members/cyd/deactivate", headers=admin)
    assert answer.status_code == 200 and answer.json()["active"] is False
    assert _eventually(lambda: api.get("/api/v1/banks", headers=curator).status_code == 401)
    listed = api.get("/api/v1/members", headers=admin).json()
    assert [(x["username"], x["active"]) for x in listed] == [("ada", True), ("cyd", False)]
    assert api.post("/api/v1/members/cyd/reactivate", headers=admin).json()["active"]
    assert _eventually(lambda: api.get("/api/v1/banks", headers=curator).status_code == 200)


def test_the_api_refuses_deactivation_by_non_admins_and_other_partners(
        node: Database, api: TestClient) -> None:
    curator = _bearer(service.key_create(node, OP, "cyd").secret)
    other = _bearer(service.key_create(node, OP, "bob").secret)
    assert api.post("/api/v1/members/ada/deactivate", headers=curator).status_code == 403
    assert api.post("/api/v1/members/cyd/deactivate", headers=other).status_code == 403
    assert api.post("/api/v1/members/nobody/deactivate", headers=other).status_code == 404
    assert api.post("/api/v1/members/cyd/deactivate").status_code == 401


def test_the_api_pauses_resumes_and_deletes_webhooks(node: Database, api: TestClient) -> None:
    admin = _bearer(service.key_create(node, OP, "ada").secret)
    other = _bearer(service.key_create(node, OP, "bob").secret)
    hook = add_webhook(node, "Agency A")
    assert api.post(f"/api/v1/webhooks/{hook}/pause", headers=admin).json()["active"] is False
    assert api.post(f"/api/v1/webhooks/{hook}/resume", headers=admin).json()["active"] is True
    assert api.delete(f"/api/v1/webhooks/{hook}", headers=other).status_code == 404
    assert api.delete(f"/api/v1/webhooks/{hook}", headers=admin).status_code == 200
    assert api.get("/api/v1/webhooks", headers=admin).json() == []
    assert api.delete(f"/api/v1/webhooks/{hook}", headers=admin).status_code == 404
