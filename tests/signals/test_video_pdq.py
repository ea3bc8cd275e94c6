"""``video_pdq``: one PDQ hash per second of video, compatible with vPDQ's frame hashes.

Reference: ``vectors/vpdq/sample-hashes/*.txt`` hold vPDQ's hash of *every*
frame of the sample videos in ``vectors/tmk/sample-videos``; Accord samples one
frame a second, so its frames are compared with the reference rows of the same
frame numbers (differences are explained in ``docs/signal-types.md``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.config import Settings
from accord.index.video import parse_frames
from accord.signals import get_signal_type
from accord.signals.hashing import hash_file
from accord.signals.vpdq_match import match_percentages
from tests.media.media_factories import mp4_bytes
from tests.signals.signal_contract import SignalTypeContract

VIDEO = get_signal_type("video_pdq")
HEX = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
SAMPLES = ["doorknob-hd-no-bar", "pattern-sd-grey-bar", "test-padded-dimensions"]


class TestVideoPdqSignal(SignalTypeContract):
    name = "video_pdq"
    canonical_cases = (
        (f"30:90:{HEX.upper()};0:100:{HEX}", f"0:100:{HEX};30:90:{HEX}"),  # sorted, lowered
        (f" 007:100:{HEX} ", f"7:100:{HEX}"),  # leading zeros and spaces go
    )
    invalid_cases = (
        ("", "expected at least one frame"),
        (f"0:101:{HEX}", "item 0 is not '<frame>:<quality 0-100>:<64 hex digits>'"),
        (f"0:100:{HEX};1:100:{HEX[:-1]}", "item 1 is not"),
        (f"0,100,{HEX}", "item 0 is not"),
        (f"5:100:{HEX};5:90:{HEX}", "a frame number appears twice"),
    )


def _reference(vectors: Path, name: str) -> dict[int, tuple[int, str]]:
    lines = (vectors / "vpdq" / "sample-hashes" / f"{name}.txt").read_text().splitlines()
    rows = [line.split(",") for line in lines if line.strip()]
    return {int(frame): (int(quality), pdq) for frame, quality, pdq, *_ in rows}


@pytest.mark.parametrize("name", SAMPLES)
def test_frames_match_vpdq_reference_hashes_of_the_same_frame_numbers(
    vectors_dir: Path, name: str
) -> None:
    video = vectors_dir / "tmk" / "sample-videos" / f"{name}.mp4"
    (result,) = hash_file(video, settings=Settings(), types=["video_pdq"])
    reference = _reference(vectors_dir, name)
    frames = parse_frames(result.value)
    assert [f for f, _, _ in frames] == [f for f in sorted(reference) if f % 30 == 0]
    for frame, quality, pdq in frames:
        ref_quality, ref_pdq = reference[frame]
        assert quality == ref_quality
        if quality >= 50:  # below that, PDQ itself calls the hash unreliable
            assert get_signal_type("pdq").distance(pdq, ref_pdq) <= 2, frame


@pytest.mark.parametrize("name", SAMPLES)
def test_every_accord_frame_is_found_in_the_vpdq_reference(vectors_dir: Path, name: str) -> None:
    video = vectors_dir / "tmk" / "sample-videos" / f"{name}.mp4"
    (result,) = hash_file(video, settings=Settings(), types=["video_pdq"])
    reference = ";".join(
        f"{f}:{q}:{h}" for f, (q, h) in sorted(_reference(vectors_dir, name).items())
    )
    found_in_reference, _ = match_percentages(result.value, reference)
    assert found_in_reference == 100.0


def test_one_frame_per_second_is_hashed_with_its_quality() -> None:
    (result,) = hash_file(mp4_bytes(seconds=3.5, fps=10), settings=Settings(), types=["video_pdq"])
    frames = parse_frames(result.value)
    assert [frame for frame, _, _ in frames] == [0, 10, 20, 30]
    assert all(0 <= quality <= 100 for _, quality, _ in frames)
    assert result.quality is not None


def test_a_video_matches_itself_and_not_a_different_one() -> None:
    a = hash_file(mp4_bytes(seconds=4), settings=Settings(), types=["video_pdq"])[0].value
    b = hash_file(mp4_bytes(seconds=4, size=(80, 48)), settings=Settings(), types=["video_pdq"])
    assert VIDEO.distance(a, a) == 0
    assert VIDEO.matches(a, a)
    assert VIDEO.distance(a, f"0:100:{'0f' * 32}") == 100
    assert b[0].value != a


def test_low_quality_frames_are_ignored_by_the_comparison() -> None:
    good = f"0:100:{HEX}"
    with_dark_frames = f"0:100:{HEX};30:0:{'00' * 32};60:10:{'ff' * 32}"
    assert VIDEO.distance(good, with_dark_frames) == 0
