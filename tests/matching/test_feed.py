"""The change feed: what a refresh applies, from single changes to bulk imports."""

from __future__ import annotations

import io
from types import SimpleNamespace

from accord.config import Settings
from accord.curation import importer, opinions, signals
from accord.matching.engine import MatchEngine
from accord.matching.feed import changed
from accord.matching.service import match_value
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from tests.matching.helpers import BASE, add, flipped

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node


def test_changes_reach_the_next_query_after_a_refresh(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    engine = MatchEngine.load(db, settings)
    assert match_value(engine, OPERATOR, "sha256", "c" * 64).matches == ()
    sid = add(db, settings, "a-amber", "sha256", "c" * 64)
    engine.refresh()
    found = match_value(engine, OPERATOR, "sha256", "c" * 64).matches
    assert [mt.signal_id for mt in found] == [sid]
    signals.signal_retract(db, Actor.operator(), sid)
    engine.refresh()
    assert match_value(engine, OPERATOR, "sha256", "c" * 64).matches == ()


def test_bulk_imports_and_quarantines_reach_the_engine(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    engine = MatchEngine.load(db, settings)
    rows = "signal_type,signal_value,tlp\n" + "".join(
        f"pdq,{flipped(BASE, 40 + i, i)},GREEN\n" for i in range(20)) + f"pdq,{BASE},GREEN\n"
    importer.import_signals(db, node["alice"], "a-amber", io.BytesIO(rows.encode()), settings,
                            fmt="csv")
    engine.refresh()
    [hit] = match_value(engine, OPERATOR, "pdq", BASE).matches
    for who in ("bob", "pia"):
        opinions.opinion_set(db, node[who], hit.signal_id, "disagree", "", settings)
    engine.refresh()
    assert match_value(engine, OPERATOR, "pdq", BASE).matches == ()
    signals.signal_reactivate(db, node["alice"], hit.signal_id)
    engine.refresh()
    assert [mt.signal_id for mt in match_value(engine, OPERATOR, "pdq", BASE).matches] == [
        hit.signal_id]


def test_the_events_name_the_signals_and_import_ranges_they_touched() -> None:
    def event(action: str, object_type: str, object_id: str, details: str = "{}") -> object:
        return SimpleNamespace(action=action, object_type=object_type, object_id=object_id,
                               details=details)

    events = [event("signal.add", "signal", "7"), event("signal.retract", "signal", "9"),
              event("signal.import", "bank", "3", '{"first_id": 10, "last_id": 20}'),
              event("partner.add", "partner", "1")]
    assert changed(events) == ({7, 9}, [(3, 10, 20)], False)
    assert changed([*events, event("bank.update", "bank", "3")])[2] is True


def test_listeners_hear_the_actions_of_each_refresh(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    engine = MatchEngine.load(db, settings)
    heard: list[list[str]] = []
    engine.listeners.append(heard.append)
    assert engine.refresh() == 0
    add(db, settings, "a-amber", "md5", "f" * 32)
    assert engine.refresh() == 1
    assert heard == [["signal.add"]]
