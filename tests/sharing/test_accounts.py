"""Passwords for the web UI (argon2, never stored in the clear) and the admin listings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.errors import Invalid, PermissionDenied
from accord.sharing import accounts, service
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database
from tests.conftest import CliRun

PASSWORD = "correct horse battery staple"


@pytest.fixture
def node(db: Database) -> Database:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.partner_add(db, op, "Platform B", "platform", "IE")
    service.member_add(db, op, "Agency A", "ada", "admin")
    service.member_add(db, op, "Agency A", "cyd", "curator")
    service.member_add(db, op, "Platform B", "bea", "reviewer")
    return db


def test_a_password_signs_in_and_is_stored_only_as_an_argon2_hash(node: Database) -> None:
    accounts.member_set_password(node, Actor.operator(), "cyd", PASSWORD)
    actor = accounts.password_authenticate(node, "CYD ", PASSWORD)
    assert (actor.name, actor.role) == ("cyd", Role.CURATOR)
    with node.reader() as session:
        stored = session.execute(select(m.Member.password_hash)
                                 .where(m.Member.username == "cyd")).scalar_one()
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(PermissionDenied, match="username or password is wrong"):
        accounts.password_authenticate(node, "cyd", PASSWORD + "!")
    with pytest.raises(PermissionDenied, match="username or password is wrong"):
        accounts.password_authenticate(node, "nobody", PASSWORD)


def test_only_the_member_or_its_admins_set_a_password(node: Database) -> None:
    admin = Actor("ada", partner_id=1, role=Role.ADMIN, member_id=1)
    accounts.member_set_password(node, admin, "cyd", PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.member_set_password(node, Actor("cyd", 1, Role.CURATOR, 2), "ada", PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.member_set_password(node, admin, "bea", PASSWORD)
    with pytest.raises(Invalid, match="characters"):
        accounts.member_set_password(node, admin, "cyd", "short")


def test_members_and_keys_are_listed_for_their_own_partner(node: Database) -> None:
    op = Actor.operator()
    service.key_create(node, op, "cyd", "uploads")
    service.key_create(node, op, "bea", "platform")
    admin = Actor("ada", partner_id=1, role=Role.ADMIN, member_id=1)
    assert [m.username for m in accounts.member_list(node, admin, "Agency A")] == ["ada", "cyd"]
    assert [(u, k.label) for u, k in accounts.key_list(node, admin, "Agency A")] == \
        [("cyd", "uploads")]
    with pytest.raises(PermissionDenied):
        accounts.member_list(node, admin, "Platform B")


def test_the_cli_sets_a_password(cli: CliRun) -> None:
    assert cli("init").exit_code == 0
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR").exit_code == 0
    assert cli("member", "add", "Agency A", "cyd", "--role", "curator").exit_code == 0
    done = cli("member", "password", "cyd", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0 and "Password set for cyd" in done.stdout
    short = cli("member", "password", "cyd", "--password", "short")
    assert short.exit_code == 2 and "characters" in short.stderr
