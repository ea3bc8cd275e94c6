"""Every index kind keeps the ``SignalIndex`` contract, checked with its signal types' examples.

Add, replace, remove, search, batch search, bulk load and snapshots behave
the same whichever kind a signal type declares; each kind's snapshot refuses
what it did not write.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import Invalid
from accord.index.protocol import SignalIndex
from accord.index.registry import INDEX_KINDS, index_class, new_index
from accord.signals.registry import registry

KINDS = sorted(INDEX_KINDS)


def _examples(kind: str) -> list[str]:
    """Two distinct example values of a registered type of this kind."""
    for cls in registry().values():
        values = sorted(set(cls.examples()))
        if cls.index_kind == kind and len(values) >= 2:
            return values[:2]
    raise AssertionError(f"no registered type of kind {kind} has two examples")


def _filled(kind: str) -> tuple[SignalIndex, list[str]]:
    index = new_index(kind)
    values = _examples(kind)
    index.add([1, 2], values)
    return index, values


def _found(index: SignalIndex, value: str) -> list[int]:
    return [i for i, d in index.search(value, 0)]


def _batch(index: SignalIndex, values: list[str], limit: int = 0) -> list[list[tuple[int, int]]]:
    return [list(found) for found in index.search_many(values, limit)]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_names_itself_in_the_registry(kind: str) -> None:
    assert index_class(kind).kind == kind


@pytest.mark.parametrize("kind", KINDS)
def test_an_added_value_is_found_at_distance_zero_and_removal_forgets_it(kind: str) -> None:
    index, (a, _) = _filled(kind)
    assert index.size() == 2
    assert index.search(a, 0)[0] == (1, 0)
    index.remove([1, 99])
    assert 1 not in _found(index, a)
    assert index.size() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_adding_an_id_again_replaces_its_value(kind: str) -> None:
    index, (a, b) = _filled(kind)
    index.add([1], [b])
    assert 1 not in _found(index, a)
    assert sorted(_found(index, b)) == [1, 2]


@pytest.mark.parametrize("kind", KINDS)
def test_search_many_equals_search_for_each_value(kind: str) -> None:
    index, values = _filled(kind)
    assert _batch(index, values) == [index.search(v, 0) for v in values]
    index.remove([1, 2])
    assert _batch(index, values) == [[], []]
    assert index.search_many([], 0) == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_bulk_load_gives_the_same_index_as_adds(kind: str) -> None:
    index, values = _filled(kind)
    bulk = new_index(kind)
    with bulk.bulk():
        bulk.add([1], values[:1])
        bulk.add([2], values[1:])
    assert bulk.size() == 2
    assert _batch(bulk, values) == _batch(index, values)


@pytest.mark.parametrize("kind", KINDS)
def test_a_snapshot_reloads_with_the_same_results(kind: str, tmp_path: Path) -> None:
    index, values = _filled(kind)
    index.save(tmp_path / kind)
    loaded = index_class(kind).load(tmp_path / kind)
    assert loaded.size() == index.size()
    assert _batch(loaded, values) == _batch(index, values)


@pytest.mark.parametrize("kind", KINDS)
def test_a_snapshot_of_another_kind_or_version_is_refused(kind: str, tmp_path: Path) -> None:
    other = next(k for k in KINDS if k != kind)
    new_index(other).save(tmp_path / "other")
    with pytest.raises(Invalid, match=r"rebuild|snapshot"):
        index_class(kind).load(tmp_path / "other")


def test_an_items_snapshot_of_another_version_names_both_versions(tmp_path: Path) -> None:
    index, _ = _filled("exact")
    index.save(tmp_path / "exact")
    path = tmp_path / "exact" / "items.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "version": 99}))
    with pytest.raises(Invalid, match="version 99; this Accord reads version 1") as caught:
        index_class("exact").load(tmp_path / "exact")
    assert caught.value.hint == "rebuild the index with: accord index build"


def test_an_unknown_index_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(Invalid, match="unknown index kind 'faiss'; known kinds: exact"):
        index_class("faiss")
