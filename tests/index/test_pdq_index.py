"""PdqIndex returns exactly what brute force returns, before and after changes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from accord.errors import Invalid
from accord.index import PdqIndex, _mih, brute_force, hex_to_array

RADII = (0, 1, 8, 15, 16, 31, 32, 40, 47, 63, 64, 80)
Codes = npt.NDArray[np.uint8]


def flip(code: Codes, count: int, rng: np.random.Generator) -> Codes:
    """``code`` with ``count`` distinct bits flipped."""
    bits = np.zeros(256, dtype=np.uint8)
    bits[rng.choice(256, size=count, replace=False)] = 1
    return code ^ np.packbits(bits)


def expected(ids: npt.NDArray[np.int64], codes: Codes, query: Codes,
             radius: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Brute-force ids and distances, sorted by distance then id."""
    rows = brute_force(codes, query, radius)
    dists = np.bitwise_count(codes[rows] ^ query).sum(axis=1, dtype=np.int64)
    order = np.lexsort((ids[rows], dists))
    return ids[rows][order], dists[order]


def assert_exact(index: PdqIndex, ids: npt.NDArray[np.int64], codes: Codes, query: Codes,
                 radius: int) -> None:
    got_ids, got_dists = index.search(query, radius)
    want_ids, want_dists = expected(ids, codes, query, radius)
    assert got_ids.dtype == np.int64 and got_dists.dtype == np.int32
    np.testing.assert_array_equal(got_ids, want_ids, err_msg=f"radius {radius}")
    np.testing.assert_array_equal(got_dists, want_dists, err_msg=f"radius {radius}")


@pytest.fixture(scope="module")
def random_data() -> tuple[npt.NDArray[np.int64], Codes]:
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 256, size=(100_000, 32), dtype=np.uint8)
    ids = rng.permutation(10 * codes.shape[0])[: codes.shape[0]].astype(np.int64)
    return ids, codes


@pytest.fixture(scope="module")
def clustered_data() -> tuple[npt.NDArray[np.int64], Codes, Codes]:
    """Hashes around 200 centres with 0-40 flipped bits, plus planted neighbours of
    one query at every distance 0-31 and decoys at 32-40."""
    rng = np.random.default_rng(11)
    centres = rng.integers(0, 256, size=(200, 32), dtype=np.uint8)
    rows = [flip(centres[i % 200], int(rng.integers(0, 41)), rng) for i in range(40_000)]
    query = centres[0]
    rows += [flip(query, d, rng) for d in range(41) for _ in range(3)]
    codes = np.stack(rows)
    ids = np.arange(codes.shape[0], dtype=np.int64)[::-1].copy()
    return ids, codes, centres


def test_search_matches_brute_force_on_random_data_at_every_radius(
        random_data: tuple[npt.NDArray[np.int64], Codes]) -> None:
    ids, codes = random_data
    index = PdqIndex.build(ids, codes)
    rng = np.random.default_rng(1)
    for radius in RADII:
        for row in rng.integers(0, codes.shape[0], size=4):
            assert_exact(index, ids, codes, flip(codes[row], int(rng.integers(0, 40)), rng),
                         radius)


def test_search_matches_brute_force_on_clustered_data_with_planted_neighbours(
        clustered_data: tuple[npt.NDArray[np.int64], Codes, Codes]) -> None:
    ids, codes, centres = clustered_data
    index = PdqIndex.build(ids, codes)
    for radius in RADII:
        for centre in centres[:6]:
            assert_exact(index, ids, codes, centre, radius)


def test_planted_neighbours_are_all_found_and_decoys_never(
        clustered_data: tuple[npt.NDArray[np.int64], Codes, Codes]) -> None:
    ids, codes, centres = clustered_data
    planted = ids[-123:]  # 3 per distance 0..40, in the order planted
    found, dists = PdqIndex.build(ids, codes).search(centres[0], 31)
    assert set(planted[: 32 * 3]) <= set(found.tolist())
    assert not set(planted[32 * 3:]) & set(found.tolist())
    assert dists.max() <= 31 and np.all(np.diff(dists) >= 0)


def test_search_many_equals_search_on_any_thread_count(
        clustered_data: tuple[npt.NDArray[np.int64], Codes, Codes]) -> None:
    ids, codes, centres = clustered_data
    index = PdqIndex.build(ids, codes)
    index.add(np.array([-1, -2]), centres[:2])  # a delta to merge with
    queries = np.concatenate([centres[:40], codes[:40]])
    for threads in (1, 3):
        batch = index.search_many(queries, radius=31, threads=threads)
        assert len(batch) == queries.shape[0]
        for query, (got_ids, got_dists) in zip(queries, batch, strict=True):
            want_ids, want_dists = index.search(query, 31)
            np.testing.assert_array_equal(got_ids, want_ids)
            np.testing.assert_array_equal(got_dists, want_dists)


def test_search_batch_is_search_many_flattened(
        clustered_data: tuple[npt.NDArray[np.int64], Codes, Codes]) -> None:
    ids, codes, centres = clustered_data
    index = PdqIndex.build(ids, codes)
    index.add(np.array([-1, -2, -3]), np.stack([centres[0], centres[1], codes[5]]))
    queries = np.concatenate([centres[:30], codes[:300]])
    counts, got_ids, got_dists = index.search_batch(queries, radius=31, threads=2)
    per_query = index.search_many(queries, radius=31, threads=1)
    assert counts.tolist() == [ids_.size for ids_, _ in per_query]
    assert counts[0] > 0 and -1 in got_ids[:int(counts[0])], "the delta's hits are merged in"
    np.testing.assert_array_equal(got_ids, np.concatenate([i for i, _ in per_query]))
    np.testing.assert_array_equal(got_dists, np.concatenate([d for _, d in per_query]))


ORDERS = {"query by query": _mih.ORDER_QUERY, "bucket order": _mih.ORDER_BUCKET,
          "swept": _mih.ORDER_SWEPT, "chosen": _mih.ORDER_AUTO}


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
@pytest.mark.parametrize("radius", [0, 5, 16, 31, 40])
def test_every_batch_order_equals_brute_force(
        clustered_data: tuple[npt.NDArray[np.int64], Codes, Codes], radius: int,
        order: int) -> None:
    # 600 queries (over the 256 where a batch stops being searched query by query),
    # with removed rows that must stay out of every answer.
    ids, codes, centres = clustered_data
    index = PdqIndex.build(ids, codes)
    index.remove(ids[::9])
    assert index._main.dead, "the removed rows should be tombstones, not yet compacted"
    live = np.ones(ids.shape[0], dtype=bool)
    live[::9] = False
    rng = np.random.default_rng(radius)
    queries = np.stack([flip(codes[int(rng.integers(0, codes.shape[0]))],
                             int(rng.integers(0, 40)), rng) for _ in range(560)]
                       + list(centres[:40]))
    for threads in (1, 2):
        counts, got_ids, got_dists = index._main.search(queries.tobytes(), radius, threads,
                                                        order)
        ends = np.cumsum(counts.astype(np.int64))
        for i, query in enumerate(queries):
            want_ids, want_dists = expected(ids[live], codes[live], query, radius)
            lo, hi = int(ends[i] - counts[i]), int(ends[i])
            np.testing.assert_array_equal(got_ids[lo:hi], want_ids, err_msg=f"query {i}")
            np.testing.assert_array_equal(got_dists[lo:hi], want_dists, err_msg=f"query {i}")


def test_batch_order_must_be_known() -> None:
    index = PdqIndex.build(np.arange(3, dtype=np.int64), np.zeros((3, 32), np.uint8))
    with pytest.raises(ValueError, match="order must be"):
        index._main.search(bytes(32), 31, 1, 7)


def test_add_and_remove_are_visible_to_the_next_query() -> None:
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 256, size=(5_000, 32), dtype=np.uint8)
    index = PdqIndex.build(np.arange(5_000), codes)
    query = codes[10]
    near = flip(query, 5, rng)[None, :]
    index.add(np.array([9_000]), near)
    assert 9_000 in index.search(query)[0].tolist()
    assert len(index) == 5_001
    index.remove(np.array([10, 9_000, 123_456]))  # the last id is unknown: ignored
    assert index.search(query)[0].tolist() == []
    assert len(index) == 4_999


def test_adding_an_existing_id_replaces_its_hash() -> None:
    rng = np.random.default_rng(4)
    codes = rng.integers(0, 256, size=(2_000, 32), dtype=np.uint8)
    index = PdqIndex.build(np.arange(2_000), codes)
    index.add(np.array([5]), codes[6:7])
    index.add(np.array([7, 7]), np.stack([codes[0], codes[8]]))  # last one wins
    assert index.search(codes[5])[0].tolist() == []
    assert index.search(codes[6])[0].tolist() == [5, 6]
    assert index.search(codes[0])[0].tolist() == [0]
    assert index.search(codes[8])[0].tolist() == [7, 8]
    assert len(index) == 2_000


def test_many_changes_merge_and_compact_without_changing_results() -> None:
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 256, size=(20_000, 32), dtype=np.uint8)
    ids = np.arange(20_000, dtype=np.int64)
    index = PdqIndex.build(ids[:10_000], codes[:10_000])
    index.max_delta = 700  # force several merges
    live = dict(zip(range(10_000), codes[:10_000], strict=True))
    for step in range(20):
        new = ids[10_000 + 500 * step: 10_500 + 500 * step]
        index.add(new, codes[new])
        live.update(zip(new.tolist(), codes[new], strict=True))
        gone = rng.choice(10_500 + 500 * step, size=300, replace=False)
        index.remove(gone)
        for key in gone.tolist():
            live.pop(key, None)
    assert len(index) == len(live)
    live_ids = np.array(sorted(live), dtype=np.int64)
    live_codes = np.stack([live[k] for k in live_ids.tolist()])
    for query in codes[rng.integers(0, 20_000, size=10)]:
        assert_exact(index, live_ids, live_codes, flip(query, 10, rng), 31)
    index.compact()
    assert_exact(index, live_ids, live_codes, live_codes[0], 40)


def test_build_keeps_the_last_hash_of_a_repeated_id() -> None:
    codes = np.random.default_rng(6).integers(0, 256, size=(3, 32), dtype=np.uint8)
    index = PdqIndex.build(np.array([4, 4, 2]), codes)
    assert len(index) == 2
    assert index.search(codes[0])[0].tolist() == []
    assert index.search(codes[1])[0].tolist() == [4]


def test_empty_index_finds_nothing() -> None:
    index = PdqIndex()
    assert len(index) == 0
    ids, dists = index.search(bytes(32), 256)
    assert ids.size == 0 and dists.size == 0


def test_snapshot_round_trip_gives_equal_results(
        tmp_path: Path, clustered_data: tuple[npt.NDArray[np.int64], Codes, Codes]) -> None:
    ids, codes, centres = clustered_data
    index = PdqIndex.build(ids, codes)
    index.remove(ids[:50])
    index.add(np.array([-7]), centres[:1])
    index.save(tmp_path / "snap")
    for mmap in (True, False):
        loaded = PdqIndex.load(tmp_path / "snap", mmap=mmap)
        assert len(loaded) == len(index)
        for query in centres[:10]:
            for radius in (0, 31, 63):
                got, want = loaded.search(query, radius), index.search(query, radius)
                np.testing.assert_array_equal(got[0], want[0])
                np.testing.assert_array_equal(got[1], want[1])
    mapped = PdqIndex.load(tmp_path / "snap")
    mapped.remove(np.array([-7]))  # removals never write into the snapshot files
    assert -7 in PdqIndex.load(tmp_path / "snap").search(centres[0], 0)[0].tolist()


def test_snapshot_of_another_version_is_refused(tmp_path: Path) -> None:
    PdqIndex.build(np.arange(3), np.zeros((3, 32), np.uint8)).save(tmp_path)
    header = json.loads((tmp_path / "index.json").read_text())
    header["version"] = 99
    (tmp_path / "index.json").write_text(json.dumps(header))
    with pytest.raises(Invalid, match="version 99"):
        PdqIndex.load(tmp_path)


@pytest.mark.parametrize("damage", ["flip_byte", "truncate", "bad_json", "missing_file",
                                    "bad_offsets"])
def test_corrupt_snapshot_is_refused(tmp_path: Path, damage: str) -> None:
    codes = np.random.default_rng(8).integers(0, 256, size=(500, 32), dtype=np.uint8)
    PdqIndex.build(np.arange(500), codes).save(tmp_path)
    codes_file = tmp_path / "codes.npy"
    if damage == "flip_byte":
        raw = bytearray(codes_file.read_bytes())
        raw[-1] ^= 0xFF
        codes_file.write_bytes(bytes(raw))
    elif damage == "truncate":
        codes_file.write_bytes(codes_file.read_bytes()[:-100])
    elif damage == "bad_json":
        (tmp_path / "index.json").write_text("{not json")
    elif damage == "missing_file":
        (tmp_path / "perms.npy").unlink()
    else:  # consistent checksum, inconsistent content: caught by the layout check
        offsets = np.load(tmp_path / "offsets.npy")
        offsets[3, 100] = 10**6
        np.save(tmp_path / "offsets.npy", offsets)
        header = json.loads((tmp_path / "index.json").read_text())
        header["arrays"]["offsets"]["crc32"] = __import__("zlib").crc32(offsets.tobytes())
        (tmp_path / "index.json").write_text(json.dumps(header))
    with pytest.raises(Invalid):
        PdqIndex.load(tmp_path)


@pytest.mark.parametrize("query", [b"\x00" * 31, "ab" * 32, np.zeros(32, np.int64),
                                   np.zeros((2, 32), np.uint8), None])
def test_bad_query_is_refused_with_a_clear_message(query: object) -> None:
    index = PdqIndex.build(np.arange(2), np.zeros((2, 32), np.uint8))
    with pytest.raises(Invalid, match="query"):
        index.search(query)  # type: ignore[arg-type]  # deliberately wrong input


@pytest.mark.parametrize("radius", [-1, 257, 3.5, True])
def test_bad_radius_is_refused(radius: object) -> None:
    with pytest.raises(Invalid, match="radius"):
        PdqIndex().search(bytes(32), radius)  # type: ignore[arg-type]  # deliberately wrong


def test_bad_entries_are_refused() -> None:
    with pytest.raises(Invalid, match="hashes"):
        PdqIndex.build(np.arange(2), np.zeros((2, 31), np.uint8))
    with pytest.raises(Invalid, match="ids"):
        PdqIndex.build(np.arange(3), np.zeros((2, 32), np.uint8))
    with pytest.raises(Invalid, match="not hexadecimal"):
        hex_to_array(["zz" * 32])
    with pytest.raises(Invalid, match="64 hex digits"):
        hex_to_array(["abc"])


def test_reference_needles_against_the_reference_haystack(vectors_dir: Path) -> None:
    haystack_file = vectors_dir / "pdq/data/reg-test-input/haystack.txt"
    needles_file = vectors_dir / "pdq/data/reg-test-input/needles.txt"
    expected_file = vectors_dir / "expected/needles_vs_haystack_bruteforce.tsv"
    if not (haystack_file.is_file() and needles_file.is_file() and expected_file.is_file()):
        pytest.skip("PDQ needle/haystack reference files are absent")
    haystack = hex_to_array(haystack_file.read_text().split())
    needles = hex_to_array(needles_file.read_text().split())
    want: dict[int, list[tuple[int, int]]] = {i: [] for i in range(needles.shape[0])}
    for line in expected_file.read_text().splitlines()[1:]:
        needle, needle_hex, row, row_hex, distance = line.split("\t")
        assert needles[int(needle)].tobytes().hex() == needle_hex
        assert haystack[int(row)].tobytes().hex() == row_hex
        want[int(needle)].append((int(distance), int(row)))
    index = PdqIndex.build(np.arange(haystack.shape[0]), haystack)
    for needle, matches in want.items():
        ids, dists = index.search(needles[needle], 31)
        assert list(zip(dists.tolist(), ids.tolist(), strict=True)) == sorted(matches)


def test_replacing_ids_across_a_merge_keeps_one_hash_per_id() -> None:
    rng = np.random.default_rng(12)
    codes = rng.integers(0, 256, size=(3_000, 32), dtype=np.uint8)
    index = PdqIndex.build(np.arange(1_000), codes[:1_000])
    index.max_delta = 100
    index.add(np.arange(500, 1_500), codes[1_000:2_000])  # 500 replaced, 500 new: merges
    assert len(index) == 1_500
    assert index.search(codes[600])[0].tolist() == []
    assert index.search(codes[1_100])[0].tolist() == [600]
    assert index.search(codes[10])[0].tolist() == [10]
