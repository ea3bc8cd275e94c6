"""What an exchange peer pulls reaches a running node's match index through the change
feed (the node never restarts): new signals, deletes upstream and upstream's false
positives."""

from __future__ import annotations

from accord.config import Settings
from accord.exchange import sync
from accord.matching.engine import MatchEngine
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from tests.exchange.pytx_servers import ThreatExchangeServer, te_update
from tests.exchange.test_exchange_peers import _add_te, bank, pdq, te, token

__all__ = ["bank", "te", "token"]  # fixtures, used by name
SEES_ALL = Viewer.operator()


def _matches(engine: MatchEngine, value: str) -> int:
    engine.refresh()  # as the node's change-feed refresher does
    return len(engine.lookup(SEES_ALL, "pdq", value))


def test_a_running_nodes_index_follows_what_an_exchange_peer_pulls(
        db: Database, settings: Settings, bank: str, te: ThreatExchangeServer,
        token: str) -> None:
    engine = MatchEngine.load(db, settings)  # loaded before the peer's first sync
    te.updates = [te_update(pdq(1), 100), te_update(pdq(2), 110), te_update(pdq(3), 120)]
    _add_te(db, settings, te, token)
    assert sync.sync_peer(db, settings, "gifct").added == 3
    assert [_matches(engine, pdq(n)) for n in (1, 2, 3)] == [1, 1, 1]

    te.updates = [te_update(pdq(1), 200, delete=True),
                  te_update(pdq(2), 210, status="NON_MALICIOUS")]
    report = sync.sync_peer(db, settings, "gifct")
    assert (report.retracted, report.quarantined) == (1, 1)
    assert [_matches(engine, pdq(n)) for n in (1, 2, 3)] == [0, 0, 1]
