"""vPDQ interoperability on the reference sample hashes, at both sampling rates.

``vectors/vpdq/sample-hashes/<name>.txt`` are ``vpdq-hash-video`` hashes of
*every* frame of 16 sample videos (``-128x128``: frames downscaled to 128x128
first). One frame a second is what ``vpdq-hash-video -r 1`` writes for the
same video: the frames whose number is a multiple of ``int(fps)`` = 30
(:func:`subsample`). Three of the videos are in ``vectors/tmk/sample-videos``,
so Accord's own hashes of them are compared too.

Matching means ``video_pdq``'s default threshold: at least 80 % both ways.
"""

from __future__ import annotations

import io
import itertools
from fractions import Fraction
from functools import cache
from pathlib import Path

import av
import numpy as np
import pytest

from accord.config import Settings
from accord.index.video import parse_frames
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file
from accord.signals.vpdq_match import match_percentages, subsample, vpdq_percentages
from accord.signals.vpdq_txt import read_vpdq_txt
from tests.media.media_factories import gradient_rgb

VIDEO = get_signal_type("video_pdq")
VIDEOS = ["doorknob-hd-no-bar", "pattern-sd-grey-bar", "test-padded-dimensions"]
RATES = ["every-frame", "one-per-second"]
EVERY = 30  # int(1 s * 30 fps): every sample video is 30 fps


def _content(name: str) -> str:
    """The scene a sample shows: variants of one scene are not 'different videos'."""
    return name.split("-")[0]  # chair, doorknob, pattern, test


@cache
def _reference(vectors: Path, name: str, rate: str) -> str:
    value = read_vpdq_txt((vectors / "vpdq" / "sample-hashes" / f"{name}.txt").read_text())
    return value if rate == "every-frame" else subsample(value, EVERY)


@cache
def _accord(vectors: Path, name: str) -> str:
    video = vectors / "tmk" / "sample-videos" / f"{name}.mp4"
    (result,) = hash_file(video, settings=Settings(), types=["video_pdq"])
    return result.value


def _names(vectors: Path) -> list[str]:
    return sorted(p.stem for p in (vectors / "vpdq" / "sample-hashes").glob("*.txt"))


def _assert_match(a: str, b: str) -> None:
    forward, backward = match_percentages(a, b)
    assert forward >= 80 and backward >= 80, (forward, backward)
    assert VIDEO.matches(a, b) and VIDEO.matches(b, a)


# (video, reference hash file): the full-size hashes and the 128x128 ones where present.
REFERENCES = [(v, v) for v in VIDEOS] + [(v, f"{v}-128x128") for v in VIDEOS[:2]]


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize(("video", "reference"), REFERENCES)
def test_accord_hash_and_the_reference_match_both_ways(
    vectors_dir: Path, video: str, reference: str, rate: str
) -> None:
    _assert_match(_accord(vectors_dir, video), _reference(vectors_dir, reference, rate))


def test_reference_hashes_of_each_video_match_across_sampling_rates(vectors_dir: Path) -> None:
    for name in _names(vectors_dir):
        dense, sparse = (_reference(vectors_dir, name, rate) for rate in RATES)
        _assert_match(dense, sparse)


def test_vpdq_own_rule_fails_across_sampling_rates(vectors_dir: Path) -> None:
    """Why the rule is changed: counting single frames, an every-frame hash finds only
    10-74 % of its frames among the same video's one-a-second frames."""
    found = []
    for name in _names(vectors_dir):
        dense, sparse = (_reference(vectors_dir, name, rate) for rate in RATES)
        dense_in_sparse, sparse_in_dense = vpdq_percentages(dense, sparse)
        assert sparse_in_dense == 100.0
        found.append(dense_in_sparse)
    assert max(found) < 80


def test_different_videos_do_not_match_at_any_rate(vectors_dir: Path) -> None:
    hashes = {
        (name, rate): _reference(vectors_dir, name, rate)
        for name in _names(vectors_dir) for rate in RATES
    }
    hashes |= {(name, "accord"): _accord(vectors_dir, name) for name in VIDEOS}
    highest = 0.0
    for (a, rate_a), (b, rate_b) in itertools.combinations(sorted(hashes), 2):
        if _content(a) == _content(b):
            continue
        shares = match_percentages(hashes[a, rate_a], hashes[b, rate_b])
        assert not VIDEO.matches(hashes[a, rate_a], hashes[b, rate_b]), (a, rate_a, b, rate_b)
        highest = max(highest, *shares)
    assert highest < 20  # 0 % on the samples: no frame of one scene is near another's


def test_across_rates_the_decision_is_the_every_frame_one(vectors_dir: Path) -> None:
    """For variants of one scene (chair-19 vs chair-22-sd-sepia-bar...), comparing an
    every-frame hash with a one-a-second hash decides as comparing every frame does."""
    names = [n for n in _names(vectors_dir) if not n.endswith("128x128")]

    def matches(a: str, rate_a: str, b: str, rate_b: str) -> bool:
        return VIDEO.matches(_reference(vectors_dir, a, rate_a), _reference(vectors_dir, b, rate_b))

    for a, b in itertools.combinations(names, 2):
        if _content(a) == _content(b):
            dense = matches(a, RATES[0], b, RATES[0])
            assert matches(a, RATES[0], b, RATES[1]) == dense, (a, b)
            assert matches(a, RATES[1], b, RATES[0]) == dense, (a, b)


def test_at_one_rate_the_rule_is_vpdq_own(vectors_dir: Path) -> None:
    names = _names(vectors_dir)
    for (a, b), rate in itertools.product(itertools.combinations(names[::3], 2), RATES):
        left, right = _reference(vectors_dir, a, rate), _reference(vectors_dir, b, rate)
        assert match_percentages(left, right) == pytest.approx(vpdq_percentages(left, right))


def _video_at(rate: Fraction, frames: int) -> bytes:
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=rate)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(frames):
            pixels = np.roll(gradient_rgb(64, 48, seed=index), index, axis=1)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return out.getvalue()


def test_accord_samples_the_frames_vpdq_samples_at_29_97_fps() -> None:
    data = _video_at(Fraction(30000, 1001), frames=120)
    (result,) = hash_file(data, settings=Settings(), types=["video_pdq"])
    # filehasher.cpp: frameMod = int(secondsPerHash * frameRate); keep frame % frameMod == 0
    assert [f for f, _, _ in parse_frames(result.value)] == list(range(0, 120, 29))
