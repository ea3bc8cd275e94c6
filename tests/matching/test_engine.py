"""The match engine facade: each signal type matched by its index kind, queries parsed."""

from __future__ import annotations

import pytest

from accord.config import Settings
from accord.errors import Invalid
from accord.matching.engine import MatchEngine
from accord.matching.service import match_value, parse_query
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer
from accord.store.database import Database
from tests.matching.helpers import BASE, add, flipped

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node


def test_pdq_matches_everything_within_the_radius_and_nothing_beyond(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    near = {d: add(db, settings, "a-amber", "pdq", flipped(BASE, d, d)) for d in (0, 1, 17, 31)}
    far = add(db, settings, "a-amber", "pdq", flipped(BASE, 32, 5))
    engine = MatchEngine.load(db, settings)
    result = match_value(engine, OPERATOR, "pdq", BASE)
    assert {(mt.signal_id, mt.distance) for mt in result.matches} == {
        (sid, d) for d, sid in near.items()}
    assert far not in {mt.signal_id for mt in result.matches}
    assert [mt.distance for mt in result.matches] == sorted(mt.distance for mt in result.matches)


def test_low_quality_pdq_signals_are_not_matched(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    lax = Settings(home=settings.home, database_url=settings.database_url, pdq_min_quality=0)
    add(db, lax, "a-amber", "pdq", BASE, quality=10)
    engine = MatchEngine.load(db, settings)
    assert match_value(engine, OPERATOR, "pdq", BASE).matches == ()


def test_video_matches_by_the_share_of_frames_both_ways(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    frames = [flipped(BASE, 64, seed) for seed in range(10)]
    video = ";".join(f"{i * 30}:90:{h}" for i, h in enumerate(frames))
    sid = add(db, settings, "a-amber", "video_pdq", video)
    engine = MatchEngine.load(db, settings)
    same = ";".join(f"{i * 25}:80:{flipped(h, 3, i)}" for i, h in enumerate(frames))
    [hit] = match_value(engine, OPERATOR, "video_pdq", same).matches
    assert (hit.signal_id, hit.distance) == (sid, 0)
    half = ";".join(f"{i * 25}:80:{h}" for i, h in enumerate(frames[:5]))
    assert match_value(engine, OPERATOR, "video_pdq", half).matches == ()
    assert match_value(engine, OPERATOR, "video_pdq", half, threshold=50).matches[0].distance == 50


def test_text_matches_under_a_tlsh_distance(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    from accord.signals.text import TextTlshSignal

    text = " ".join(f"paragraph {i} of a generated propaganda magazine issue" for i in range(40))
    sid = add(db, settings, "a-amber", "text_tlsh", TextTlshSignal.hash_text(text))
    engine = MatchEngine.load(db, settings)
    edited = TextTlshSignal.hash_text(text.replace("paragraph 3 ", "section 3 "))
    found = match_value(engine, OPERATOR, "text_tlsh", edited).matches
    assert [mt.signal_id for mt in found] == [sid]


@pytest.mark.parametrize(("query", "message"), [
    ("pdq:xyz", "invalid pdq value"),
    ("pdq:" + "a" * 63, "expected 64 hex digits, got 63"),
    ("sha1:" + "a" * 40, "unknown signal type 'sha1'"),
    ("no-separator", "should be TYPE:VALUE"),
])
def test_malformed_queries_are_refused_clearly(query: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_query(query)
