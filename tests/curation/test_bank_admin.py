"""Renaming a bank, switching its matching off, and the rule for deleting one: only a
bank that never held a signal and that nothing uses; all audited."""

from __future__ import annotations

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.errors import Conflict, NotFound, PermissionDenied
from accord.matching.engine import MatchEngine
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from tests.conftest import CliRun
from tests.migrations import migrate

OP = Actor.operator()
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


MEMBERS: dict[str, Actor] = {}


def _member(db: Database, partner: str, username: str, role: str) -> Actor:
    mem = service.member_add(db, OP, partner, username, role)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def owner(db: Database) -> Actor:
    service.partner_add(db, OP, "Agency A", "agency", "FR")
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    MEMBERS["bo"] = _member(db, "Platform B", "bo", "admin")
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="GREEN")
    return _member(db, "Agency A", "ada", "curator")


def _actor(db: Database, username: str) -> Actor:
    return MEMBERS[username]


def test_a_rename_keeps_the_bank_and_refuses_a_taken_name(db: Database, owner: Actor) -> None:
    banks.bank_add(db, OP, "a-video", "Agency A")
    renamed = banks.bank_rename(db, owner, "a-images", "a-pictures")
    assert renamed.name == "a-pictures"
    with pytest.raises(NotFound):
        banks.bank_rename(db, owner, "a-images", "again")
    with pytest.raises(Conflict, match="already exists"):
        banks.bank_rename(db, owner, "a-pictures", "a-video")
    with pytest.raises(NotFound):  # another partner's bank it may not see: as a missing one
        banks.bank_rename(db, _actor(db, "bo"), "a-pictures", "b-owned")
    (event,) = [e for e in audit.recent(db, limit=10) if e.action == "bank.rename"]
    assert event.details == {"from": "a-images", "to": "a-pictures"}


def test_a_bank_with_matching_off_keeps_its_signals_and_matches_nothing(
        db: Database, owner: Actor, settings: Settings) -> None:
    signals.signal_add(db, owner, "a-images", signals.SignalInput("pdq", PDQ), settings)
    engine = MatchEngine.load(db, settings)
    assert len(engine.lookup(Viewer.operator(), "pdq", PDQ)) == 1
    off = banks.bank_set_matching(db, owner, "a-images", enabled=False)
    assert off.matching_enabled is False and off.signal_count == 1
    engine.refresh()
    assert engine.lookup(Viewer.operator(), "pdq", PDQ) == []
    banks.bank_set_matching(db, owner, "a-images", enabled=True)
    engine.refresh()
    assert len(engine.lookup(Viewer.operator(), "pdq", PDQ)) == 1
    assert MatchEngine.load(db, settings).size()["pdq"] == 1


def test_only_a_bank_that_never_held_a_signal_is_deleted(
        db: Database, owner: Actor, settings: Settings) -> None:
    banks.bank_add(db, OP, "a-empty", "Agency A")
    with pytest.raises(NotFound):
        banks.bank_delete(db, _actor(db, "bo"), "a-empty")
    service.channel_add(db, OP, "ab", "Agency A")
    service.channel_join(db, OP, "ab", "Platform B")
    banks.bank_add(db, OP, "a-shared", "Agency A", channel="ab")
    with pytest.raises(PermissionDenied):  # one it may see, not its own
        banks.bank_delete(db, _actor(db, "bo"), "a-shared")
    banks.bank_delete(db, owner, "a-empty")
    assert "a-empty" not in [b.name for b in banks.bank_list(db)]
    assert "bank.delete" in [e.action for e in audit.recent(db, limit=5)]
    added = signals.signal_add(db, owner, "a-images", signals.SignalInput("pdq", PDQ), settings)
    signals.signal_retract(db, owner, added.id, "test")
    with pytest.raises(Conflict, match="holds 1 signal") as refused:
        banks.bank_delete(db, owner, "a-images")
    assert "retract" in (refused.value.hint or "")


def test_migration_0016_downgrades_and_upgrades_again(db: Database) -> None:
    from sqlalchemy import inspect

    def columns() -> set[str]:
        return {c["name"] for c in inspect(db.engine).get_columns("banks")}

    assert "matching_enabled" in columns()
    migrate(db, "0016_peer_key_sealing", down=True)
    assert "matching_enabled" not in columns()
    migrate(db, "head")
    assert "matching_enabled" in columns()


def test_the_cli_renames_switches_and_deletes(cli: CliRun, database_url: str) -> None:
    db = Database(database_url)
    try:
        service.partner_add(db, OP, "Agency A", "agency", "FR")
        banks.bank_add(db, OP, "a-images", "Agency A")
    finally:
        db.dispose()
    assert cli("bank", "rename", "a-images", "a-pictures").exit_code == 0
    off = cli("bank", "set", "a-pictures", "--no-matching")
    assert off.exit_code == 0 and "matching off" in off.stdout
    assert cli("bank", "delete", "a-pictures").exit_code == 0
    gone = cli("bank", "delete", "a-pictures")
    assert gone.exit_code == 2 and "no bank 'a-pictures'" in gone.stderr
