"""Engine snapshots: reload and catch up, and refuse what does not fit this node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.config import Settings
from accord.curation import signals
from accord.errors import Invalid
from accord.matching.engine import SNAPSHOT_META, MatchEngine, snapshot_folder
from accord.matching.service import match_value
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer
from accord.signals import get_signal_type, signal_type_names
from accord.store.database import Database
from tests.matching.helpers import BASE, add, flipped

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node


def test_a_snapshot_reloads_and_catches_up_with_the_store(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    kept = add(db, settings, "a-amber", "pdq", BASE)
    url = add(db, settings, "a-amber", "url", "https://example.org/a")
    MatchEngine.load(db, settings).save(tmp_path / "index")
    later = add(db, settings, "a-amber", "pdq", flipped(BASE, 3, 9))
    signals.signal_retract(db, Actor.operator(), url)
    engine = MatchEngine.from_snapshot(db, settings, tmp_path / "index")
    engine.refresh()
    assert {mt.signal_id for mt in match_value(engine, OPERATOR, "pdq", BASE).matches} == {
        kept, later}
    assert match_value(engine, OPERATOR, "url", "https://example.org/a").matches == ()


def test_a_snapshot_of_another_database_is_not_used(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    add(db, settings, "a-amber", "md5", "d" * 32)
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


def _version_one(folder: Path) -> None:
    """Rewrite a snapshot's header as the version before per-type indexes wrote it."""
    meta = json.loads((folder / SNAPSHOT_META).read_text())
    meta["version"] = 1
    (folder / SNAPSHOT_META).write_text(json.dumps(meta))


def test_a_version_1_snapshot_is_refused_with_the_rebuild_command(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    MatchEngine.load(db, settings).save(tmp_path / "index")
    _version_one(tmp_path / "index")
    with pytest.raises(Invalid, match="is version 1; this Accord reads version 2") as caught:
        MatchEngine.from_snapshot(db, settings, tmp_path / "index")
    assert caught.value.hint == "rebuild it with: accord index build"


def test_open_rebuilds_from_the_store_when_the_snapshot_is_unusable(
    db: Database, settings: Settings, node: dict[str, Actor]
) -> None:
    sid = add(db, settings, "a-amber", "md5", "e" * 32)
    MatchEngine.load(db, settings).save(snapshot_folder(settings))
    _version_one(snapshot_folder(settings))
    engine = MatchEngine.open(db, settings)
    assert [mt.signal_id for mt in match_value(engine, OPERATOR, "md5", "e" * 32).matches] == [sid]


def test_a_snapshot_taken_with_other_signal_types_is_refused(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    MatchEngine.load(db, settings).save(tmp_path / "index")
    meta = json.loads((tmp_path / "index" / SNAPSHOT_META).read_text())
    del meta["indexes"]["url"]
    (tmp_path / "index" / SNAPSHOT_META).write_text(json.dumps(meta))
    with pytest.raises(Invalid, match="other signal types"):
        MatchEngine.from_snapshot(db, settings, tmp_path / "index")


def test_each_signal_type_is_saved_as_its_own_index(
    db: Database, settings: Settings, node: dict[str, Actor], tmp_path: Path
) -> None:
    add(db, settings, "a-amber", "pdq", BASE)
    engine = MatchEngine.load(db, settings)
    engine.save(tmp_path / "index")
    meta = json.loads((tmp_path / "index" / SNAPSHOT_META).read_text())
    assert meta["indexes"] == {name: get_signal_type(name).index_kind
                               for name in signal_type_names()}
    assert sorted(p.name for p in (tmp_path / "index" / "indexes").iterdir()) == \
        signal_type_names()
    assert MatchEngine.from_snapshot(db, settings, tmp_path / "index").size() == engine.size()
