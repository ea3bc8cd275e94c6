"""The match engine: exact and radius matching, visibility, and live updates from the store."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from accord.config import Settings
from accord.curation import banks, importer, opinions, signals
from accord.curation.signals import SignalInput
from accord.errors import Invalid
from accord.matching.engine import MatchEngine
from accord.matching.service import match_value, parse_query, viewer_of
from accord.sharing import service
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

BASE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def flipped(value: str, bits: int, seed: int = 1) -> str:
    """``value`` with ``bits`` distinct bits flipped."""
    number = int(value, 16)
    for bit in random.Random(seed).sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


@pytest.fixture
def node(db: Database) -> dict[str, Actor]:
    op = Actor.operator()
    for name, kind in (("Agency A", "agency"), ("Agency B", "agency"), ("Platform P", "platform")):
        service.partner_add(db, op, name, kind, "FR")
    service.channel_add(db, op, "ab", "Agency A")
    service.channel_join(db, op, "ab", "Agency B")
    banks.bank_add(db, op, "a-amber", "Agency A", default_tlp="AMBER", channel="ab")
    banks.bank_add(db, op, "a-legit", "Agency A", default_tlp="GREEN", negative=True)
    actors = {}
    for partner, user, role in (("Agency A", "alice", Role.CURATOR),
                                ("Agency B", "bob", Role.REVIEWER),
                                ("Platform P", "pia", Role.REVIEWER)):
        mem = service.member_add(db, op, partner, user, role.value)
        actors[user] = Actor(mem.username, mem.partner_id, role, mem.id)
    return actors


def _add(db: Database, settings: Settings, bank: str, kind: str, value: str, **kw: object) -> int:
    return signals.signal_add(db, Actor.operator(), bank, SignalInput(kind, value, **kw),  # type: ignore[arg-type]
                              settings).id


def test_pdq_matches_everything_within_the_radius_and_nothing_beyond(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    near = {d: _add(db, settings, "a-amber", "pdq", flipped(BASE, d, d)) for d in (0, 1, 17, 31)}
    far = _add(db, settings, "a-amber", "pdq", flipped(BASE, 32, 5))
    engine = MatchEngine.load(db, settings)
    result = match_value(engine, None, "pdq", BASE)
    assert {(mt.signal_id, mt.distance) for mt in result.matches} == {
        (sid, d) for d, sid in near.items()}
    assert far not in {mt.signal_id for mt in result.matches}
    assert [mt.distance for mt in result.matches] == sorted(mt.distance for mt in result.matches)


def test_a_partner_only_matches_what_it_may_see(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    amber = _add(db, settings, "a-amber", "md5", "a" * 32)
    red = _add(db, settings, "a-amber", "md5", "b" * 32, tlp="RED")
    engine = MatchEngine.load(db, settings)
    seen = {}
    for who in ("Agency A", "Agency B", "Platform P"):
        viewer = viewer_of(db, who)
        seen[who] = {mt.signal_id for q in ("a" * 32, "b" * 32)
                     for mt in match_value(engine, viewer, "md5", q).matches}
    assert seen == {"Agency A": {amber, red}, "Agency B": {amber}, "Platform P": set()}


def test_hits_in_negative_banks_are_flagged(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    _add(db, settings, "a-legit", "url", "https://news.example/report")
    engine = MatchEngine.load(db, settings)
    result = match_value(engine, viewer_of(db, "Platform P"), "url",
                         "HTTPS://NEWS.example/report#top")
    assert [(mt.bank, mt.negative) for mt in result.matches] == [("a-legit", True)]


def test_low_quality_pdq_signals_are_not_matched(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    lax = Settings(home=settings.home, database_url=settings.database_url, pdq_min_quality=0)
    _add(db, lax, "a-amber", "pdq", BASE, quality=10)
    engine = MatchEngine.load(db, settings)
    assert match_value(engine, None, "pdq", BASE).matches == ()


def test_changes_reach_the_next_query_after_a_refresh(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    engine = MatchEngine.load(db, settings)
    assert match_value(engine, None, "sha256", "c" * 64).matches == ()
    sid = _add(db, settings, "a-amber", "sha256", "c" * 64)
    engine.refresh()
    assert [mt.signal_id for mt in match_value(engine, None, "sha256", "c" * 64).matches] == [sid]
    signals.signal_retract(db, Actor.operator(), sid)
    engine.refresh()
    assert match_value(engine, None, "sha256", "c" * 64).matches == ()


def test_bulk_imports_and_quarantines_reach_the_engine(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    engine = MatchEngine.load(db, settings)
    rows = "signal_type,signal_value,tlp\n" + "".join(
        f"pdq,{flipped(BASE, 40 + i, i)},GREEN\n" for i in range(20)) + f"pdq,{BASE},GREEN\n"
    importer.import_signals(db, node["alice"], "a-amber", io.BytesIO(rows.encode()), settings,
                            fmt="csv")
    engine.refresh()
    [hit] = match_value(engine, None, "pdq", BASE).matches
    for who in ("bob", "pia"):
        opinions.opinion_set(db, node[who], hit.signal_id, "disagree", "", settings)
    engine.refresh()
    assert match_value(engine, None, "pdq", BASE).matches == ()
    signals.signal_reactivate(db, node["alice"], hit.signal_id)
    engine.refresh()
    assert [mt.signal_id for mt in match_value(engine, None, "pdq", BASE).matches] == [
        hit.signal_id]


def test_a_bank_can_narrow_its_pdq_threshold(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    banks.bank_add(db, Actor.operator(), "strict", "Agency A", default_tlp="GREEN",
                   pdq_threshold=10)
    _add(db, settings, "strict", "pdq", flipped(BASE, 20, 3))
    close = _add(db, settings, "strict", "pdq", flipped(BASE, 5, 4))
    engine = MatchEngine.load(db, settings)
    assert [mt.signal_id for mt in match_value(engine, None, "pdq", BASE).matches] == [close]


def test_video_matches_by_the_share_of_frames_both_ways(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    frames = [flipped(BASE, 64, seed) for seed in range(10)]
    video = ";".join(f"{i * 30}:90:{h}" for i, h in enumerate(frames))
    sid = _add(db, settings, "a-amber", "video_pdq", video)
    engine = MatchEngine.load(db, settings)
    same = ";".join(f"{i * 25}:80:{flipped(h, 3, i)}" for i, h in enumerate(frames))
    [hit] = match_value(engine, None, "video_pdq", same).matches
    assert (hit.signal_id, hit.distance) == (sid, 0)
    half = ";".join(f"{i * 25}:80:{h}" for i, h in enumerate(frames[:5]))
    assert match_value(engine, None, "video_pdq", half).matches == ()
    assert match_value(engine, None, "video_pdq", half, threshold=50).matches[0].distance == 50


def test_text_matches_under_a_tlsh_distance(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    from accord.signals.text import TextTlshSignal

    text = " ".join(f"paragraph {i} of a generated propaganda magazine issue" for i in range(40))
    sid = _add(db, settings, "a-amber", "text_tlsh", TextTlshSignal.hash_text(text))
    engine = MatchEngine.load(db, settings)
    edited = TextTlshSignal.hash_text(text.replace("paragraph 3 ", "section 3 "))
    assert [mt.signal_id for mt in match_value(engine, None, "text_tlsh", edited).matches] == [sid]


@pytest.mark.parametrize(("query", "message"), [
    ("pdq:xyz", "invalid pdq value"),
    ("pdq:" + "a" * 63, "expected 64 hex digits, got 63"),
    ("sha1:" + "a" * 40, "unknown signal type 'sha1'"),
    ("no-separator", "should be TYPE:VALUE"),
])
def test_malformed_queries_are_refused_clearly(query: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_query(query)


def test_a_snapshot_reloads_and_catches_up_with_the_store(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    kept = _add(db, settings, "a-amber", "pdq", BASE)
    url = _add(db, settings, "a-amber", "url", "https://example.org/a")
    MatchEngine.load(db, settings).save(tmp_path / "index")
    later = _add(db, settings, "a-amber", "pdq", flipped(BASE, 3, 9))
    signals.signal_retract(db, Actor.operator(), url)
    engine = MatchEngine.from_snapshot(db, settings, tmp_path / "index")
    engine.refresh()
    assert {mt.signal_id for mt in match_value(engine, None, "pdq", BASE).matches} == {
        kept, later}
    assert match_value(engine, None, "url", "https://example.org/a").matches == ()


def test_a_snapshot_of_another_database_is_not_used(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    _add(db, settings, "a-amber", "md5", "d" * 32)
    MatchEngine.load(db, settings).save(tmp_path / "index")
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    from accord.store.schema import upgrade

    upgrade(other)
    for _ in range(3):
        with other.transaction() as session:
            from accord import audit

            audit.record(session, Actor.operator(), "test", "x", 1)
    with pytest.raises(Invalid, match="another database"):
        MatchEngine.from_snapshot(other, settings, tmp_path / "index")
    other.dispose()
