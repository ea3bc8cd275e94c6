"""The crisis protocol: criteria checklist, sharing at once, expiry, debrief, audit."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.errors import Conflict, Invalid
from accord.incidents import crisis, service
from accord.incidents.tables import text_table
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database

PDQ = "f" * 63 + "{}"


@pytest.fixture
def node(partners: Database, settings: Settings) -> tuple[Database, int, Actor]:
    """Agency A's crisis bank (own channel "a-only"), an incident, the "ab" crisis channel."""
    op = Actor.operator()
    sharing.channel_add(partners, op, "a-only", "Agency A")
    banks.bank_add(partners, op, "crisis-bank", "Agency A", default_tlp="AMBER",
                   channel="a-only")
    service.incident_import(partners, op, text_table(
        "eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt\n"
        "1,2024,3,15,Freedonia,Armed Assault,Religious Figures/Institutions\n"),
        service.Sharing("Agency A", "GREEN"))
    curator = sharing.member_add(partners, op, "Agency A", "ada", "curator")
    return partners, 1, Actor("ada", curator.partner_id, Role.CURATOR, curator.id)


def _add_signal(db: Database, actor: Actor, settings: Settings, n: int) -> int:
    return signals.signal_add(db, actor, "crisis-bank",
                              signals.SignalInput("pdq", PDQ.format(n), 100), settings).id


def _b_sees(db: Database, signal_id: int) -> bool:
    return any(s.id == signal_id for s in signals.signal_list(db, Actor("bea", partner_id=2)))


def test_new_signals_of_the_crisis_bank_reach_the_crisis_channel_at_once(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    before = _add_signal(db, ada, settings, 0)
    assert not _b_sees(db, before)
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["mass-casualty"])
    during = _add_signal(db, ada, settings, 1)
    assert _b_sees(db, during) and not _b_sees(db, before)
    assert made.state == "active" and made.criteria == ("mass-casualty",)


def test_activation_needs_known_criteria_and_a_time_box(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    with pytest.raises(Invalid, match="at least one criterion"):
        crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", [])
    with pytest.raises(Invalid, match="unknown crisis criteria: 'bad-vibes'"):
        crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["bad-vibes"])
    with pytest.raises(Invalid, match="at most 72 hours"):
        crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["rapid-spread"],
                        hours=500)


def test_a_crisis_expires_on_its_own_and_sharing_stops(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["rapid-spread"],
                           hours=1)
    late = made.expires_at + dt.timedelta(minutes=1)
    assert [c.id for c in crisis.expire_due(db, late)] == [made.id]
    after = _add_signal(db, ada, settings, 2)
    assert not _b_sees(db, after)
    [listed] = crisis.crisis_list(db, ada)
    assert listed.state == "expired"
    expiry = [e for e in audit.events(db, object_type="crisis") if e.action == "crisis.expire"]
    assert [e.actor for e in expiry] == [crisis.EXPIRY_ACTOR.name]


def test_replicas_expiring_at_the_same_moment_expire_a_crisis_once(
        node: tuple[Database, int, Actor], settings: Settings, database_url: str) -> None:
    # Every replica's refresher calls expire_due; on a shared database they race.
    db, incident, ada = node
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["rapid-spread"],
                           hours=1)
    late = made.expires_at + dt.timedelta(minutes=1)
    replicas = [Database(database_url) for _ in range(4)]
    start = threading.Barrier(len(replicas))
    expired: list[list[int]] = []

    def refresher(replica: Database) -> None:
        start.wait()
        expired.append([c.id for c in crisis.expire_due(replica, late)])

    threads = [threading.Thread(target=refresher, args=(r,)) for r in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for replica in replicas:
        replica.dispose()
    assert sorted(expired) == [[], [], [], [made.id]]
    expiry = [e for e in audit.events(db, object_type="crisis") if e.action == "crisis.expire"]
    assert len(expiry) == 1
    assert audit.verify(db).ok


def test_closing_requires_a_debrief_and_everything_is_audited(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["mass-casualty"])
    with pytest.raises(Invalid, match="needs a debrief"):
        crisis.close(db, ada, made.id, "done")
    closed = crisis.close(db, ada, made.id, "Shared 1 hash with ab for 3 hours; no leaks.")
    assert closed.state == "closed" and closed.closed_by == "ada"
    assert not _b_sees(db, _add_signal(db, ada, settings, 3))
    with pytest.raises(Conflict):
        crisis.close(db, ada, made.id, "Shared 1 hash with ab for 3 hours; no leaks.")
    actions = [e.action for e in audit.events(db) if e.object_type == "crisis"]
    assert actions == ["crisis.activate", "crisis.close"]


def test_one_bank_serves_one_active_crisis(node: tuple[Database, int, Actor],
                                           settings: Settings) -> None:
    db, incident, ada = node
    crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["mass-casualty"])
    with pytest.raises(Conflict, match="already serves an active crisis"):
        crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["mass-casualty"])


def test_signals_added_after_the_expiry_time_are_moved_back_and_audited(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["rapid-spread"])
    with db.transaction() as session:  # past the expiry, before anything noticed it
        session.get_one(m.Crisis, made.id).expires_at = m.utcnow() - dt.timedelta(seconds=1)
    late = _add_signal(db, ada, settings, 4)
    assert _b_sees(db, late)
    crisis.expire_due(db)
    assert not _b_sees(db, late)
    moved = [e.action for e in audit.events(db, object_type="signal", object_id=str(late))]
    assert moved == ["signal.add", "signal.channel"]


def test_other_partners_see_that_a_crisis_exists_but_not_who_or_its_debrief(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["mass-casualty"])
    crisis.close(db, ada, made.id, "Shared 4 hashes with ab for 3 hours; no leaks seen.")
    [own] = crisis.crisis_list(db, ada)
    [member] = crisis.crisis_list(db, Actor("bea", partner_id=2))
    [outsider] = crisis.crisis_list(db, Actor("cam", partner_id=3))
    assert own.activated_by == own.closed_by == "ada" and own.debrief
    for seen in (member, outsider):
        assert seen.activated_by is None and seen.closed_by is None
        assert (seen.state, seen.criteria, seen.started_at) == (own.state, own.criteria,
                                                                own.started_at)
    assert (member.bank_id, member.debrief) == (own.bank_id, own.debrief)
    assert outsider.bank_id is None and outsider.channel_id is None
    assert outsider.debrief is None


def test_a_debrief_naming_a_person_is_refused_and_the_crisis_stays_open(
        node: tuple[Database, int, Actor], settings: Settings) -> None:
    db, incident, ada = node
    made = crisis.activate(db, ada, settings, incident, "crisis-bank", "ab", ["mass-casualty"])
    with pytest.raises(Invalid, match="personal data"):
        crisis.close(db, ada, made.id, "Informant John Smith (john.smith@example.com) "
                                       "gave us the lead.")
    [still] = crisis.crisis_list(db, ada)
    assert still.state == "active" and still.debrief is None
