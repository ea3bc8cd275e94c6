"""The ``tmk_kernel`` index kind (the ``tmk`` type's): exact level-1 over every signal, level-2
on the candidates, and the whole path (import, TAXII, matching over the API, bank thresholds)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from accord.config import Settings
from accord.curation import importer
from accord.errors import Invalid
from accord.index.registry import new_index
from accord.index.tmk import TmkIndex
from accord.index.tmk_features import to_text, write_tmk
from accord.media.tmk import tmk_features
from accord.sharing.roles import Actor
from accord.signals.tmk import TmkSignal
from accord.store.database import Database
from tests.api.conftest import Keys, api, keys  # noqa: F401  (fixtures)
from tests.api.test_api import wait_for
from tests.api.test_taxii import _collections, _objects
from tests.signals.test_tmk import _scene_mp4


def _video(seed: int, frames: int = 60) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(size=(frames, 256)), axis=0).astype(np.float32)


def _value(features: np.ndarray) -> str:
    return to_text(write_tmk(tmk_features(features)))


@pytest.fixture(scope="module")
def corpus() -> dict[int, str]:
    """Ten unrelated videos, and noisy, shifted and trimmed copies of the first three."""
    rng = np.random.default_rng(0)
    base = {i: _video(i) for i in range(10)}
    values = {i: _value(f) for i, f in base.items()}
    for i in range(3):
        values[100 + i] = _value(base[i] + rng.normal(scale=2.0, size=base[i].shape)
                                 .astype(np.float32))
        values[200 + i] = _value(base[i][5:])   # starts 5 frames later
        values[300 + i] = _value(base[i][:40])  # the first two thirds
    return values


def _brute(values: dict[int, str], query: str, limit: int) -> list[tuple[int, int]]:
    found = sorted((TmkSignal.distance(query, v), i) for i, v in values.items())
    return [(i, d) for d, i in found if d <= limit]


@pytest.mark.parametrize("limit", [0, 50, 300, 1000, 2000])
def test_search_equals_the_pairwise_distance_over_every_signal(
        corpus: dict[int, str], limit: int) -> None:
    index = new_index("tmk_kernel")
    index.add(list(corpus), list(corpus.values()))
    for query in (corpus[0], corpus[101], corpus[7]):
        assert index.search(query, limit) == _brute(corpus, query, limit)


def test_copies_are_found_and_unrelated_videos_are_not(corpus: dict[int, str]) -> None:
    index = TmkIndex()
    index.add(list(corpus), list(corpus.values()))
    hits = dict(index.search(corpus[1], TmkSignal.default_threshold))
    assert {1, 101, 201, 301} <= set(hits) and hits[1] == 0
    assert not set(hits) & {0, 2, 3, 4, 5, 6, 7, 8, 9}


def test_add_replaces_and_remove_forgets(corpus: dict[int, str]) -> None:
    index = TmkIndex()
    index.add([1, 2], [corpus[0], corpus[5]])
    index.add([1], [corpus[9]])  # id 1 now holds another video
    assert index.size() == 2
    assert [i for i, _ in index.search(corpus[0], 300)] == []
    assert [i for i, _ in index.search(corpus[9], 300)] == [1]
    index.remove([1, 99])
    assert index.size() == 1 and index.search(corpus[9], 2000) == [(2, TmkSignal.distance(
        corpus[9], corpus[5]))]
    many = TmkIndex()
    many.add(list(range(40)), [corpus[i % 10] for i in range(40)])  # grows past 16 rows
    many.remove(list(range(0, 40, 2)))
    assert many.size() == 20 and [i for i, _ in many.search(corpus[3], 0)] == [3, 13, 23, 33]


def test_a_snapshot_loads_back_the_same_index(corpus: dict[int, str], tmp_path: Path) -> None:
    index = TmkIndex()
    index.add(list(corpus), list(corpus.values()))
    index.save(tmp_path / "tmk")
    loaded = TmkIndex.load(tmp_path / "tmk")
    assert loaded.items() == index.items() == sorted(corpus.items())
    assert loaded.search(corpus[100], 500) == index.search(corpus[100], 500)
    loaded.add([500], [corpus[4]])
    assert loaded.size() == len(corpus) + 1


def test_an_empty_index_saves_loads_and_finds_nothing(tmp_path: Path) -> None:
    TmkIndex().save(tmp_path)
    assert TmkIndex.load(tmp_path).search(TmkSignal.examples()[0], 2000) == []


def test_an_unreadable_snapshot_is_invalid_with_a_rebuild_hint(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="not a readable index snapshot"):
        TmkIndex.load(tmp_path)
    (tmp_path / "tmk.json").write_text(json.dumps({"format": "accord.tmk-index", "version": 9}))
    with pytest.raises(Invalid, match="snapshot version 9") as caught:
        TmkIndex.load(tmp_path)
    assert caught.value.hint and "accord index build" in caught.value.hint


# ---------------------------------------------------------------- the whole path


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at the fresh database (the API fixtures need a real node)."""
    return Settings(home=tmp_path / "home", database_url=database_url)


def test_a_tmk_signal_is_imported_exported_and_matched_by_video(
        api: TestClient, keys: Keys, db: Database, settings: Settings  # noqa: F811
) -> None:
    video = _scene_mp4((320, 240), 2_000_000)
    hashed = api.post("/api/v1/hash", headers=keys.reviewer_b,
                      files={"file": ("clip.mp4", video, "video/mp4")}).json()["signals"]
    [value] = [s["value"] for s in hashed if s["signal_type"] == "tmk"]
    lines = "".join(json.dumps({"signal_type": "tmk", "signal_value": v}) + "\n"
                    for v in (value, TmkSignal.examples()[0]))
    report = importer.import_signals(db, Actor.operator(), "a-images",
                                     io.BytesIO(lines.encode()), settings, fmt="jsonl")
    assert report.imported == 2

    indicators = _objects(api, keys.reader_b, _collections(api, keys.reader_b)["Channel ab"])
    patterns = [o["pattern"] for o in indicators if o.get("pattern_type") == "stix"]
    assert any("x-accord-signal:signal_type = 'tmk'" in p and value in p for p in patterns)

    upload = {"file": ("copy.mp4", _scene_mp4((160, 120), 300_000), "video/mp4")}

    def tmk_hits(headers: dict[str, str]) -> list[dict[str, object]]:
        results = api.post("/api/v1/match/file", headers=headers, files=upload).json()
        return [m for r in results["results"] if r["signal_type"] == "tmk"
                for m in r["matches"]]

    wait_for(lambda: tmk_hits(keys.reviewer_b))
    [hit] = tmk_hits(keys.reviewer_b)
    assert hit["value"] == value and 0 < int(hit["distance"]) <= 100  # type: ignore[call-overload]
    assert tmk_hits(keys.admin_c) == []  # outside the channel: sees nothing


def test_a_bank_sets_its_own_tmk_threshold(
        api: TestClient, keys: Keys, db: Database, settings: Settings  # noqa: F811
) -> None:
    from accord.curation import banks

    op = Actor.operator()
    banks.bank_add(db, op, "a-strict", "Agency A", channel="ab", tmk_threshold=20)
    loose = banks.bank_add(db, op, "a-loose", "Agency A", channel="ab", tmk_threshold=900)
    assert loose.tmk_threshold == 900
    value = hash_value(_scene_mp4((320, 240), 2_000_000))
    for bank in ("a-images", "a-strict", "a-loose"):
        lines = json.dumps({"signal_type": "tmk", "signal_value": value}) + "\n"
        importer.import_signals(db, op, bank, io.BytesIO(lines.encode()), settings, fmt="jsonl")
    copy = hash_value(_scene_mp4((160, 120), 300_000))
    distance = TmkSignal.distance(value, copy)
    assert 20 < distance <= 300  # a match at the default threshold, not at 20
    query = {"signal_type": "tmk", "value": copy}
    wait_for(lambda: api.post("/api/v1/match", headers=keys.reviewer_b, json=query)
             .json()["matches"])
    hits = api.post("/api/v1/match", headers=keys.reviewer_b, json=query).json()["matches"]
    assert sorted(h["bank"] for h in hits) == ["a-images", "a-loose"]
    with pytest.raises(Invalid, match="TMK threshold 2001 is outside 0-2000"):
        banks.bank_add(db, op, "a-bad", "Agency A", tmk_threshold=2001)


def hash_value(video: bytes) -> str:
    from accord.signals.hashing import hash_file

    [result] = hash_file(video, settings=Settings(), types=["tmk"])
    return result.value
