"""``accord hash``: JSON lines out, one error line per bad file, exit status 1 if any failed."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.hash_cmd import hash_command
from tests.media.media_factories import (
    PANGRAM,
    blank_pdf,
    jpeg_bytes,
    mp4_bytes,
    pdf_with_text,
    png_bomb,
    png_bytes,
)

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def accord() -> None:
        """A stand-in for the root app, so the command runs as ``accord hash``."""

    app.command("hash")(hash_command)
    return app


def accord(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict[str, object]]]:
    """Run ``accord ARGS``; the exit code and the JSON lines it printed."""
    result = runner.invoke(_app(), list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of good files mixed with every kind of bad input the issue names."""
    from PIL import Image

    root = tmp_path_factory.mktemp("uploads")
    jpeg = jpeg_bytes()
    (root / "good.jpg").write_bytes(jpeg)
    (root / "good.pdf").write_bytes(pdf_with_text([PANGRAM * 3]))
    (root / "good.mp4").write_bytes(mp4_bytes(seconds=2))
    (root / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (root / "empty.jpg").touch()
    (root / "one-pixel.png").write_bytes(png_bytes(Image.new("RGB", (1, 1))))
    (root / "bomb.png").write_bytes(png_bomb())
    (root / "10000-pages.pdf").write_bytes(blank_pdf(10_000))
    (root / "random.mp4").write_bytes(os.urandom(50_000))
    (root / "sub").mkdir()
    (root / "sub" / "also-good.jpg").write_bytes(jpeg)
    os.symlink(root, root / "sub" / "loop")
    return root


EXPECTED_ERRORS = {
    "10000-pages.pdf": "MediaTooLarge",
    "bomb.png": "DecompressionBomb",
    "empty.jpg": "MediaTooSmall",
    "one-pixel.png": "MediaTooSmall",
    "random.mp4": "UnsupportedMedia",
    "sub/loop": "UnreadableMedia",
    "truncated.jpg": "CorruptMedia",
}


def test_a_file_prints_one_json_line_per_signal(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    code, lines = accord("hash", str(photo))
    assert code == 0
    assert [line["signal_type"] for line in lines] == ["md5", "pdq", "sha256"]
    assert all(line["path"] == str(photo) for line in lines)
    pdq = lines[1]
    assert len(str(pdq["value"])) == 64 and pdq["quality"] == 100
    assert "quality" not in lines[0]  # digests have no quality
    assert lines[2]["value"] == hashlib.sha256(photo.read_bytes()).hexdigest()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_every_bad_input_gets_a_clear_error_line_and_the_rest_are_hashed(
    hostile_dir: Path, workers: str
) -> None:
    code, lines = accord("hash", "--workers", workers, str(hostile_dir))
    assert code == 1
    errors = {
        Path(str(line["path"])).relative_to(hostile_dir).as_posix(): line
        for line in lines
        if "error" in line
    }
    assert {name: line["error_type"] for name, line in errors.items()} == EXPECTED_ERRORS
    for name, line in errors.items():
        assert Path(name).name in str(line["error"])  # each message names its file
    hashed = {
        (Path(str(line["path"])).name, line["signal_type"]) for line in lines if "value" in line
    }
    assert {("good.jpg", "pdq"), ("good.pdf", "text_tlsh"), ("good.mp4", "video_pdq")} <= hashed
    assert ("also-good.jpg", "pdq") in hashed


def test_output_follows_sorted_paths_whatever_the_worker_count(hostile_dir: Path) -> None:
    _, one = accord("hash", "--workers", "1", "--types", "md5", str(hostile_dir))
    _, two = accord("hash", "--workers", "2", "--types", "md5", str(hostile_dir))
    assert one == two
    paths = [line["path"] for line in one]
    assert paths == sorted(paths, key=lambda p: Path(str(p)).relative_to(hostile_dir).parts)


def test_types_option_chooses_the_signal_types(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    code, lines = accord("hash", "--types", "pdq,md5", str(photo))
    assert code == 0
    assert [line["signal_type"] for line in lines] == ["pdq", "md5"]


def test_exact_option_hashes_every_pixel_of_a_large_jpeg(tmp_path: Path) -> None:
    import io

    import numpy as np
    from PIL import Image

    from accord.signals.pdq import FAST_PATH_MAX_BITS, PdqSignal, pdq_hash

    rng = np.random.default_rng(9)
    small = rng.integers(0, 256, (27, 48, 3), dtype=np.uint8)
    pixels = np.asarray(Image.fromarray(small).resize((1920, 1080), Image.Resampling.BICUBIC))
    photo = tmp_path / "large.jpg"
    photo.write_bytes(jpeg_bytes(pixels))
    reference = pdq_hash(np.asarray(Image.open(io.BytesIO(photo.read_bytes())).convert("RGB")))
    code, [exact] = accord("hash", "--types", "pdq", "--exact", str(photo))
    assert code == 0
    assert (exact["value"], exact["quality"]) == reference
    code, [fast] = accord("hash", "--types", "pdq", str(photo))
    assert code == 0
    assert PdqSignal.distance(str(fast["value"]), reference[0]) <= FAST_PATH_MAX_BITS


def test_dihedral_option_adds_the_rotations_and_flips(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    code, lines = accord("hash", "--types", "pdq", "--dihedral", str(photo))
    assert code == 0
    assert [line.get("variant") for line in lines] == [
        None,
        "rotate90",
        "rotate180",
        "rotate270",
        "flipx",
        "flipy",
        "flipplus1",
        "flipminus1",
    ]


def test_dash_hashes_standard_input() -> None:
    code, lines = accord("hash", "--types", "md5", "-", stdin=b"uploaded bytes")
    assert code == 0
    assert lines == [
        {"path": "-", "signal_type": "md5", "value": hashlib.md5(b"uploaded bytes").hexdigest()}
    ]


def test_a_type_that_does_not_fit_one_file_fails_that_file_only(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "b.pdf").write_bytes(pdf_with_text([PANGRAM * 3]))
    code, lines = accord("hash", "--types", "pdq", str(tmp_path))
    assert code == 1
    assert [("value" in line, line.get("error_type")) for line in lines] == [
        (True, None),
        (False, "UnsupportedMedia"),
    ]


def test_the_root_app_runs_hash_and_reports_a_bad_type_as_a_usage_error(tmp_path: Path) -> None:
    from accord.cli.root import app

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    ok = runner.invoke(app, ["hash", "--types", "md5", str(photo)])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["hash", "--types", "url", str(photo)])
    assert bad.exit_code == 2
    assert "'url' does not hash files" in bad.output
