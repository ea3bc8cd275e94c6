"""``accord match`` as a platform would run it: files and hashes in, JSON lines out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tests.conftest import CliRun

BASE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def _node(cli: CliRun) -> None:
    for args in (("partner", "add", "Agency A", "--kind", "agency", "--country", "FR"),
                 ("partner", "add", "Platform P", "--kind", "platform", "--country", "IE"),
                 ("bank", "add", "a-amber", "--owner", "Agency A", "--tlp", "AMBER")):
        assert cli(*args).exit_code == 0


def _image(path: Path) -> Path:
    rng = np.random.default_rng(7)
    pixels = (rng.random((64, 64, 3)) * 255).astype(np.uint8).repeat(4, 0).repeat(4, 1)
    Image.fromarray(pixels).save(path)
    return path


def test_a_hash_query_prints_its_matches(cli: CliRun) -> None:
    _node(cli)
    cli("signal", "add", "a-amber", "pdq", BASE, "-l", "content:magazine")
    result = cli("match", f"pdq:{BASE.upper()}", "md5:" + "0" * 32)
    assert result.exit_code == 0, result
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["query"] == f"pdq:{BASE}"
    [hit] = first["matches"]
    assert {k: hit[k] for k in ("signal_id", "signal_type", "value", "distance", "bank",
                                "labels")} == {"signal_id": 1, "signal_type": "pdq",
                                               "value": BASE, "distance": 0,
                                               "bank": "a-amber", "labels": ["content:magazine"]}
    assert second["matches"] == []


def test_a_partner_without_access_matches_nothing(cli: CliRun) -> None:
    _node(cli)
    cli("signal", "add", "a-amber", "md5", "a" * 32)
    own = json.loads(cli("match", "--partner", "Agency A", "md5:" + "a" * 32).stdout)
    other = json.loads(cli("match", "--partner", "Platform P", "md5:" + "a" * 32).stdout)
    assert len(own["matches"]) == 1 and other["matches"] == []


def test_a_file_is_hashed_and_matched_with_the_others_still_answered(
    cli: CliRun, tmp_path: Path
) -> None:
    _node(cli)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    image = _image(uploads / "upload.png")
    hashed = [json.loads(x) for x in cli("hash", str(image)).stdout.splitlines()]
    pdq = next(h["value"] for h in hashed if h["signal_type"] == "pdq")
    cli("signal", "add", "a-amber", "pdq", pdq)
    (uploads / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    result = cli("match", str(uploads))
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[0]["query"].endswith("broken.jpg") and lines[0]["error"]
    assert lines[0]["matches"] == [] and lines[0]["signal_type"] is None
    found = [x for x in lines if x.get("signal_type") == "pdq"]
    assert found and found[0]["matches"][0]["distance"] == 0


def test_inputs_can_come_one_a_line_from_standard_input(cli: CliRun) -> None:
    _node(cli)
    cli("signal", "add", "a-amber", "url", "https://example.org/x")
    result = cli("match", "-", input="url:https://EXAMPLE.org/x?utm_source=a\npdq:nothex\n")
    assert result.exit_code == 1
    good, bad = (json.loads(x) for x in result.stdout.splitlines())
    assert len(good["matches"]) == 1
    assert "invalid pdq value" in bad["error"]


def test_match_uses_the_saved_index_and_sees_later_changes(cli: CliRun) -> None:
    _node(cli)
    cli("signal", "add", "a-amber", "md5", "e" * 32)
    built = cli("index", "build")
    assert built.exit_code == 0 and "md5 1" in built.stdout
    cli("signal", "add", "a-amber", "md5", "f" * 32)
    cli("signal", "retract", "1")
    old = json.loads(cli("match", "md5:" + "e" * 32).stdout)
    new = json.loads(cli("match", "md5:" + "f" * 32).stdout)
    assert old["matches"] == [] and len(new["matches"]) == 1


def test_exact_matches_a_large_image_by_its_reference_hash(cli: CliRun, tmp_path: Path) -> None:
    # A partner's hash made by pdqhash on every pixel is found at distance 0 with --exact.
    from accord.signals.pdq import pdq_hash

    _node(cli)
    rng = np.random.default_rng(11)
    small = (rng.random((27, 48, 3)) * 255).astype(np.uint8)
    image = tmp_path / "large.png"
    Image.fromarray(small).resize((2048, 1152), Image.Resampling.BICUBIC).save(
        image, compress_level=1)  # lossless either way; zlib level 1 saves 0.5 s
    reference, _ = pdq_hash(np.asarray(Image.open(image).convert("RGB")))
    cli("signal", "add", "a-amber", "pdq", reference)
    exact = _pdq_line(cli("match", "--exact", str(image)).stdout)
    fast = _pdq_line(cli("match", str(image)).stdout)
    assert exact["value"] == reference and exact["matches"][0]["distance"] == 0
    assert fast["matches"] and fast["matches"][0]["distance"] <= 20


def _pdq_line(stdout: str) -> dict[str, Any]:
    lines = [json.loads(line) for line in stdout.splitlines()]
    return next(line for line in lines if line["signal_type"] == "pdq")
