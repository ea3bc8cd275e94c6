"""A partner admin's audit view shows its own staff's events, chosen by member identity:
never the operator's, the node's jobs' or another partner's, whatever names they carry."""

from __future__ import annotations

import pytest

from accord import audit
from accord.curation import banks
from accord.errors import Invalid
from accord.sharing import service
from accord.sharing.roles import SYSTEM_NAMES, Actor
from accord.store.database import Database
from tests.web.conftest import Browser


@pytest.mark.parametrize("name", sorted(SYSTEM_NAMES))
def test_no_member_may_take_a_name_the_node_acts_under(web: Browser, name: str) -> None:
    with pytest.raises(Invalid, match="reserved for the node itself"):
        service.member_add(web.db, Actor.operator(), "Agency A", name, "reader")


def test_the_audit_page_lists_the_partners_staff_only(web: Browser) -> None:
    op = Actor.operator()
    banks.bank_add(web.db, op, "op-secret-bank", "Platform B")          # the operator
    banks.bank_add(web.db, Actor.operator("demo"), "demo-bank", "Platform B")
    web.sign_in("ada")
    web.post("/banks", {"name": "ada-own-bank", "default_tlp": "GREEN"}, from_page="/banks")
    page = web.client.get("/audit").text
    assert "ada-own-bank" in page                   # A's own staff's events are there
    assert "op-secret-bank" not in page and "demo-bank" not in page


def test_events_are_selected_by_member_id_not_by_the_name_written(db: Database) -> None:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform B", "platform", "IE")
    ada = service.member_add(db, op, "Agency A", "ada", "admin")
    bea = service.member_add(db, op, "Platform B", "bea", "admin")
    # An event written under the name "ada" by someone who is not A's member ada.
    with db.transaction() as session:
        audit.record(session, Actor(name="ada"), audit.AuditAction.BANK_ADD, "bank", 1)
        audit.record(session, Actor(name="ada", partner_id=1, member_id=ada.id),
                     audit.AuditAction.BANK_ADD, "bank", 2)
        audit.record(session, Actor(name="bea", partner_id=2, member_id=bea.id),
                     audit.AuditAction.BANK_ADD, "bank", 3)
    mine = audit.recent(db, members=[ada.id])
    assert [e.object_id for e in mine] == ["2"]
    assert {e.object_id for e in audit.recent(db)} >= {"1", "2", "3"}
    assert audit.verify(db).ok
