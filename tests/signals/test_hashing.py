"""The hashing service: which types run on which content, errors, and batches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.config import Settings
from accord.errors import Invalid
from accord.media.errors import CorruptMedia, HashTimeout, UnsupportedMedia
from accord.media.walk import WalkEntry, walk_paths
from accord.signals import hashing
from accord.signals.hashing import hash_file, hash_many
from tests.media.media_factories import PANGRAM, jpeg_bytes, mp4_bytes, pdf_with_text


def _types(data: bytes, settings: Settings, **kwargs: object) -> list[str]:
    return [r.signal_type for r in hash_file(data, settings=settings, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (jpeg_bytes, ["md5", "pdq", "sha256"]),
        (lambda: mp4_bytes(seconds=1), ["md5", "sha256", "tmk", "video_pdq"]),
        (lambda: pdf_with_text([PANGRAM * 3]), ["md5", "sha256", "text_tlsh"]),
        (lambda: (PANGRAM * 3).encode(), ["md5", "sha256", "text_tlsh"]),
        (lambda: bytes(range(256)), ["md5", "sha256"]),
    ],
)
def test_by_default_every_type_that_applies_to_the_content_runs(
    make, expected: list[str], settings: Settings
) -> None:
    assert _types(make(), settings) == expected


def test_chosen_types_run_in_the_order_given(settings: Settings) -> None:
    assert _types(jpeg_bytes(), settings, types=["sha256", "pdq"]) == ["sha256", "pdq"]


def test_a_chosen_type_that_does_not_apply_to_the_content_is_an_error(settings: Settings) -> None:
    with pytest.raises(
        UnsupportedMedia, match="'video_pdq' hashes video files, but the content is image"
    ):
        hash_file(jpeg_bytes(), settings=settings, types=["video_pdq"])


def test_types_that_cannot_hash_files_or_do_not_exist_are_invalid(settings: Settings) -> None:
    with pytest.raises(Invalid, match="'url' does not hash files; file-hashing types: md5, pdq"):
        hash_file(jpeg_bytes(), settings=settings, types=["url"])
    with pytest.raises(Invalid, match="unknown signal type 'phash'"):
        hash_file(jpeg_bytes(), settings=settings, types=["phash"])


def test_a_file_either_hashes_completely_or_fails_as_a_whole(settings: Settings) -> None:
    broken = jpeg_bytes()[:-200]
    with pytest.raises(CorruptMedia):
        hash_file(broken, settings=settings)
    assert _types(broken, settings, types=["md5"]) == ["md5"]  # no decoding needed


def test_dihedral_adds_seven_transformed_pdq_hashes(settings: Settings) -> None:
    results = hash_file(jpeg_bytes(), settings=settings, types=["pdq"], dihedral=True)
    assert len(results) == 8
    assert results[0].variant is None
    assert len({r.value for r in results}) == 8


def test_the_time_limit_applies_to_each_file() -> None:
    slow = Settings(hash_timeout_seconds=1e-9)
    with pytest.raises(HashTimeout, match="longer than 1e-09 s"):
        hash_file(mp4_bytes(seconds=1), settings=slow)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_keeps_its_order_and_goes_on_past_failures(
    tmp_path: Path, settings: Settings, workers: int
) -> None:
    for index in range(6):
        (tmp_path / f"img{index}.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "img3.jpg").write_bytes(b"\xff\xd8\xff broken")
    entries = list(walk_paths([str(tmp_path)]))
    outcomes = list(hash_many(entries, settings=settings, types=["pdq"], workers=workers))
    assert [o.path for o in outcomes] == [e.path for e in entries]
    assert [o.error_type for o in outcomes] == [None, None, None, "CorruptMedia", None, None]
    assert all(len(o.results) == 1 for o in outcomes if o.error is None)


def test_a_decoder_that_kills_its_process_costs_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = hashing._hash

    def crashing(source, limits, types, options, name):  # type: ignore[no-untyped-def]
        if str(name).endswith("crash.txt"):
            os._exit(70)  # what a segfaulting native decoder does to its worker
        return real(source, limits, types, options, name)

    # Worker processes are forked, so they inherit the patched function.
    monkeypatch.setattr(hashing, "_hash", crashing)
    paths = []
    for name in ("a.txt", "crash.txt", "b.txt", "c.txt"):
        path = tmp_path / name
        path.write_text(f"{name} " * 40)
        paths.append(path)
    outcomes = list(hashing.hash_many([WalkEntry(str(p)) for p in paths],
                                      settings=Settings(home=tmp_path), types=["md5"], workers=2))
    assert [Path(o.path).name for o in outcomes] == ["a.txt", "crash.txt", "b.txt", "c.txt"]
    assert [o.error_type for o in outcomes] == [None, "DecoderCrash", None, None]
    assert all(o.results for o in outcomes if o.error is None)
