"""Accord's vPDQ comparison on made-up frame hashes: vPDQ's rule where both sides share a
sampling rate, cells of the sparser step where one side is at least twice as dense."""

from __future__ import annotations

import random

import pytest

from accord.index.video import FrameSet, sampling_step
from accord.signals import get_signal_type
from accord.signals.vpdq_match import match_percentages, subsample, vpdq_percentages

VIDEO = get_signal_type("video_pdq")


def _flip(value: str, bits: int, rng: random.Random) -> str:
    number = int(value, 16)
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def video(seed: int, seconds: int = 20, fps: int = 30, moving: bool = True) -> str:
    """Every frame of a made-up video: a new scene every 10 frames (a fast edit),
    frames of one scene a few bits apart (``moving=False``: a still picture)."""
    rng = random.Random(seed)
    items, scene = [], ""
    for frame in range(seconds * fps):
        if frame % 10 == 0 and (moving or not scene):
            scene = f"{rng.getrandbits(256):064x}"
        items.append(f"{frame}:{rng.randint(50, 100)}:{_flip(scene, rng.randint(0, 6), rng)}")
    return ";".join(items)


def test_sampling_step_is_the_median_gap() -> None:
    assert sampling_step([0, 1, 2, 3]) == 1
    assert sampling_step([0, 30, 60, 90, 91]) == 30
    assert sampling_step([7]) == 0


def test_every_frame_and_one_a_second_of_a_fast_video_match_both_ways() -> None:
    dense = video(1)
    sparse = subsample(dense, 30)
    assert vpdq_percentages(dense, sparse)[0] < 50  # vPDQ's own rule: most frames unfound
    assert match_percentages(dense, sparse) == (100.0, 100.0)
    assert match_percentages(sparse, dense) == (100.0, 100.0)
    assert VIDEO.distance(dense, sparse) == VIDEO.distance(sparse, dense) == 0


@pytest.mark.parametrize("every", [2, 5, 15, 29, 30, 60])
def test_any_sampling_step_matches_the_every_frame_hash(every: int) -> None:
    dense = video(2)
    assert VIDEO.distance(dense, subsample(dense, every)) == 0


def test_different_videos_stay_apart_at_every_pair_of_rates() -> None:
    a, b = video(3), video(4)
    for left in (a, subsample(a, 30)):
        for right in (b, subsample(b, 30)):
            assert match_percentages(left, right) == (0.0, 0.0)


def test_at_one_rate_the_rule_is_vpdq_own() -> None:
    a = video(5, moving=False)
    b = ";".join(a.split(";")[:300]) + ";" + video(6).split(";", 300)[300]
    for left, right in ((a, b), (subsample(a, 30), subsample(b, 30)), (a, video(7))):
        assert match_percentages(left, right) == pytest.approx(vpdq_percentages(left, right))


def test_sampling_29_and_30_frames_apart_is_compared_frame_by_frame() -> None:
    left = FrameSet.of(f"0:90:{'0f' * 32};29:90:{'f0' * 32};58:90:{'3c' * 32}")
    assert left.step == 29
    assert left.units(30) == [(0,), (1,), (2,)]


def test_a_cell_counts_when_the_frame_the_sparse_side_took_is_usable() -> None:
    # Frames 0-2 good, 3 (the second cell's first frame) too dark, 4-5 good again: a
    # hash one in three frames took 0 and 3, so only the first cell is counted.
    hexes = [f"{i:02x}" * 32 for i in range(6)]
    dense = FrameSet.of(";".join(f"{f}:{10 if f == 3 else 90}:{h}" for f, h in enumerate(hexes)))
    assert dense.units(3) == [(0, 1, 2)]
    assert dense.units(1) == [(0,), (1,), (2,), (3,), (4,)]  # same rate: vPDQ's frames


def test_a_single_frame_has_no_rate_and_is_compared_by_vpdq_rule() -> None:
    dense = video(8, seconds=1)
    single = dense.split(";")[0]
    assert FrameSet.of(single).step == 0
    assert match_percentages(single, dense) == pytest.approx(vpdq_percentages(single, dense))


def test_the_percentages_are_symmetric() -> None:
    a, b = video(9), subsample(video(9), 30)
    b = b.rsplit(";", 5)[0]  # the sparse side is missing its last 5 seconds
    forward, backward = match_percentages(a, b)
    assert (backward, forward) == match_percentages(b, a)
    assert backward == 100.0 and 70 < forward < 80


def test_subsample_keeps_multiples_and_refuses_nonsense() -> None:
    assert subsample(f"0:90:{'0f' * 32};1:90:{'f0' * 32};2:90:{'3c' * 32}", 2).count(";") == 1
    with pytest.raises(ValueError, match="at least 1"):
        subsample(f"0:90:{'0f' * 32}", 0)


def test_vpdq_rule_filters_quality_and_counts_distinct_hashes() -> None:
    good, other = "0f" * 32, "f0" * 32
    query = f"0:90:{good};1:90:{good};2:10:{other}"
    assert vpdq_percentages(query, f"0:90:{good}") == (100.0, 100.0)
    assert vpdq_percentages(query, f"0:10:{good}") == (0.0, 0.0)
