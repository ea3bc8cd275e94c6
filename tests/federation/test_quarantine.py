"""A quarantine travels to peers, both ways: node A's disputed signal stops matching on
node B after B's next sync, and matches again once A's owner lifts the quarantine.

A serves its API from a thread of this process; B syncs from it with ``accord sync``'s
own code. Both nodes use the backend under test (SQLite, PostgreSQL)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.config import Settings
from accord.curation import opinions, signals
from accord.curation.signals import SignalInput
from accord.exchange import peers, sync
from accord.matching.engine import MatchEngine
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from tests.conftest import _fresh_postgres
from tests.federation.conftest import _setup_a, _setup_b
from tests.federation.nodes import OP, Node, in_process

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node

DISPUTED = "d" * 32


def _second_database(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> str:
    """Another fresh database on the same backend as ``database_url``."""
    if database_url.startswith("sqlite"):
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "b.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    return _fresh_postgres(request)


@pytest.fixture
def nodes(db: Database, database_url: str, request: pytest.FixtureRequest,
          tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    """A (one dispute quarantines) serving channel ``ab``; B with A as peer ``node-a``."""
    a = Node("node-a", db, Settings(home=tmp_path / "a", database_url=database_url,
                                    node_id="node-a", dispute_quarantine_partners=1))
    b_url = _second_database(request, database_url, tmp_path)
    b = Node("node-b", Database(b_url), Settings(home=tmp_path / "b", database_url=b_url,
                                                 node_id="node-b"))
    key = _setup_a(a)
    _setup_b(b)
    with in_process(a):
        peers.peer_add(b.db, OP, a.taxii, "Channel ab", bank="from-a", name="node-a",
                       username="sync-b", api_key=key, settings=b.settings)
        yield a, b
    b.db.dispose()


def _dispute(a: Node, signal_id: int) -> None:
    """B's partner, a member on A, calls A's signal a false positive (enough to quarantine)."""
    member = service.member_add(a.db, OP, "Platform B", "reviewer-b", "reviewer")
    reviewer = Actor(member.username, member.partner_id, Role.REVIEWER, member.id)
    opinions.opinion_set(a.db, reviewer, signal_id, "false-positive", "news footage", a.settings)
    assert signals.signal_get(a.db, OP, signal_id).status == "quarantined"


def _sync(b: Node) -> sync.SyncReport:
    report = sync.sync_peer(b.db, b.settings, "node-a")
    assert report.error is None and report.refused == 0, report
    return report


def _status_on_b(b: Node) -> str:
    (held,) = [s for status in ("active", "quarantined", "retracted")
               for s in signals.signal_list(b.db, OP, bank="from-a", status=status)
               if s.value == DISPUTED]
    return held.status


def test_b_stops_matching_a_signal_a_quarantines_and_matches_it_again_once_lifted(
        nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    signal_id = signals.signal_add(a.db, OP, "a-images", SignalInput("md5", DISPUTED),
                                   a.settings).id
    assert _sync(b).added == 1
    engine = MatchEngine.load(b.db, b.settings)
    assert len(engine.lookup(OPERATOR, "md5", DISPUTED)) == 1

    _dispute(a, signal_id)
    report = _sync(b)
    assert (report.quarantined, report.added) == (1, 0)
    assert _status_on_b(b) == "quarantined"
    engine.refresh()  # as B's server does: the audited change reloads the signal
    assert engine.lookup(OPERATOR, "md5", DISPUTED) == []

    signals.signal_reactivate(a.db, OP, signal_id, "checked: it is the propaganda video")
    assert _sync(b).lifted == 1
    assert _status_on_b(b) == "active"
    engine.refresh()
    assert len(engine.lookup(OPERATOR, "md5", DISPUTED)) == 1
    again = _sync(b)  # nothing new: nothing changes
    assert (again.received, again.quarantined, again.lifted) == (0, 0, 0)


def test_a_signal_quarantined_before_b_ever_pulled_it_arrives_quarantined_never_active(
        nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    signal_id = signals.signal_add(a.db, OP, "a-images", SignalInput("md5", DISPUTED),
                                   a.settings).id
    signals.signal_add(a.db, OP, "a-images", SignalInput("md5", "e" * 32), a.settings)
    _dispute(a, signal_id)
    engine = MatchEngine.load(b.db, b.settings)  # loaded before: it must follow the sync

    report = _sync(b)
    assert (report.added, report.quarantined) == (2, 1)
    assert _status_on_b(b) == "quarantined"
    engine.refresh()
    assert engine.lookup(OPERATOR, "md5", DISPUTED) == []
    assert len(engine.lookup(OPERATOR, "md5", "e" * 32)) == 1
    assert MatchEngine.load(b.db, b.settings).lookup(OPERATOR, "md5", DISPUTED) == []
