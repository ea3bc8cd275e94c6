"""The ``video`` index: the same distances as ``video_pdq``'s own comparison, whatever
rate each side was sampled at, on made-up videos and on the vPDQ reference hashes."""

from __future__ import annotations

from pathlib import Path

from accord.index.video import VideoIndex
from accord.signals import get_signal_type
from accord.signals.vpdq_match import subsample
from accord.signals.vpdq_txt import read_vpdq_txt
from tests.signals.test_vpdq_match import video

VIDEO = get_signal_type("video_pdq")


def _index(values: list[str]) -> VideoIndex:
    index = VideoIndex()
    index.add(list(range(1, len(values) + 1)), values)
    return index


def _distances(index: VideoIndex, query: str) -> dict[int, int]:
    return dict(index.search(query, 100))


def _agrees(values: list[str]) -> None:
    index = _index(values)
    for query in values:
        expected = {
            i: d for i, value in enumerate(values, start=1)
            if (d := VIDEO.distance(query, value)) < 100
        }
        assert _distances(index, query) == expected


def test_an_every_frame_query_finds_a_one_a_second_signal_and_back() -> None:
    dense = video(1)
    sparse = subsample(dense, 30)
    assert _index([sparse]).search(dense, 20) == [(1, 0)]
    assert _index([dense]).search(sparse, 20) == [(1, 0)]


def test_distances_are_the_signal_type_distances_at_mixed_rates() -> None:
    clips = [video(2), video(3, moving=False)]
    clips.append(clips[0].rsplit(";", 200)[0])         # the first, less its last frames
    values = [v for clip in clips for v in (clip, subsample(clip, 30), subsample(clip, 7))]
    _agrees(values)


def test_replacing_and_removing_keep_the_rows_straight() -> None:
    a, b = video(4), video(5)
    index = _index([a, b])
    index.add([1], [subsample(b, 30)])                # signal 1 now holds b, sparsely
    assert _distances(index, b) == {1: 0, 2: 0}
    index.remove([2, 99])
    assert _distances(index, b) == {1: 0}
    assert _distances(index, a) == {}
    assert index.size() == 1


def test_the_reference_hashes_search_as_they_compare(vectors_dir: Path) -> None:
    folder = vectors_dir / "vpdq" / "sample-hashes"
    names = ["chair-19-sd-bar", "chair-22-sd-sepia-bar", "doorknob-hd-no-bar",
             "pattern-hd-no-bar", "pattern-longer-no-bar"]
    dense = [read_vpdq_txt((folder / f"{n}.txt").read_text()) for n in names]
    values = [v for d in dense for v in (d, subsample(d, 30))]
    _agrees(values)
    index = _index(values)
    for position, value in enumerate(values):
        same_video = {position - position % 2 + 1, position - position % 2 + 2}
        assert same_video <= {i for i, _ in index.search(value, VIDEO.default_threshold)}
