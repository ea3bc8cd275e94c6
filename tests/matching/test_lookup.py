"""Lookup: visibility, negative banks, bank thresholds, and batches equal to single lookups."""

from __future__ import annotations

from accord.config import Settings
from accord.curation import banks
from accord.matching.engine import MatchEngine
from accord.matching.service import match_value, partner_viewer
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from tests.matching.helpers import BASE, add, flipped

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node


def test_a_partner_only_matches_what_it_may_see(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    amber = add(db, settings, "a-amber", "md5", "a" * 32)
    red = add(db, settings, "a-amber", "md5", "b" * 32, tlp="RED")
    engine = MatchEngine.load(db, settings)
    seen = {}
    for who in ("Agency A", "Agency B", "Platform P"):
        viewer = partner_viewer(db, who)
        seen[who] = {mt.signal_id for q in ("a" * 32, "b" * 32)
                     for mt in match_value(engine, viewer, "md5", q).matches}
    assert seen == {"Agency A": {amber, red}, "Agency B": {amber}, "Platform P": set()}


def test_hits_in_negative_banks_are_flagged(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    add(db, settings, "a-legit", "url", "https://news.example/report")
    engine = MatchEngine.load(db, settings)
    result = match_value(engine, partner_viewer(db, "Platform P"), "url",
                         "HTTPS://NEWS.example/report#top")
    assert [(mt.bank, mt.negative) for mt in result.matches] == [("a-legit", True)]


def test_a_bank_can_narrow_its_pdq_threshold(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    banks.bank_add(db, Actor.operator(), "strict", "Agency A", default_tlp="GREEN",
                   pdq_threshold=10)
    add(db, settings, "strict", "pdq", flipped(BASE, 20, 3))
    close = add(db, settings, "strict", "pdq", flipped(BASE, 5, 4))
    engine = MatchEngine.load(db, settings)
    assert [mt.signal_id for mt in match_value(engine, OPERATOR, "pdq", BASE).matches] == [close]


def test_a_batch_lookup_equals_one_lookup_per_value(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    banks.bank_add(db, Actor.operator(), "strict", "Agency A", default_tlp="GREEN",
                   pdq_threshold=10)
    for d in (0, 5, 20):
        add(db, settings, "strict" if d else "a-amber", "pdq", flipped(BASE, d, d))
    add(db, settings, "a-amber", "md5", "a" * 32)
    engine = MatchEngine.load(db, settings)
    viewer = partner_viewer(db, "Agency B")
    for kind, values in (("pdq", [BASE, flipped(BASE, 2, 7), "0" * 64]),
                         ("md5", ["a" * 32, "b" * 32])):
        assert engine.lookup_many(viewer, kind, values) == [
            engine.lookup(viewer, kind, v) for v in values]
        assert engine.lookup_many(OPERATOR, kind, values, threshold=25) == [
            engine.lookup(OPERATOR, kind, v, threshold=25) for v in values]
