"""Reading ``vpdq-hash-video``'s ``.txt`` output into ``video_pdq`` values, and writing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.index.video import parse_frames
from accord.signals import get_signal_type
from accord.signals.base import InvalidSignal
from accord.signals.vpdq_txt import read_vpdq_txt, write_vpdq_txt

HEX = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def test_every_reference_file_reads_and_writes_back_byte_for_byte(vectors_dir: Path) -> None:
    files = sorted((vectors_dir / "vpdq" / "sample-hashes").glob("*.txt"))
    assert len(files) == 31
    for path in files:
        text = path.read_text()
        value = read_vpdq_txt(text)
        assert get_signal_type("video_pdq").validate(value) == value
        assert len(parse_frames(value)) == len(text.splitlines())
        assert write_vpdq_txt(value, fps=30) == text, path.name


def test_a_tool_file_becomes_the_canonical_value() -> None:
    text = f"30,90,{HEX.upper()},1.000\n0,100,{HEX},0.000\n\n"
    assert read_vpdq_txt(text) == f"0:100:{HEX};30:90:{HEX}"


def test_lines_without_a_timestamp_are_read_too() -> None:
    assert read_vpdq_txt(f"0,100,{HEX}\n1,99,{HEX}") == f"0:100:{HEX};1:99:{HEX}"


def test_timestamps_are_written_as_the_tool_computes_them() -> None:
    text = write_vpdq_txt(f"0:100:{HEX};1:99:{HEX};29:98:{HEX}", fps=29.97)
    assert [line.rsplit(",", 1)[1] for line in text.splitlines()] == ["0.000", "0.033", "0.968"]
    with pytest.raises(ValueError, match="fps must be positive"):
        write_vpdq_txt(f"0:100:{HEX}", fps=0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no frame lines"),
        ("\n  \n", "no frame lines"),
        (f"0,100,{HEX},0.000\nzzz\n", "line 2 is not"),
        (f"0,101,{HEX},0.000", "line 1 is not"),
        (f"0,100,{HEX[:-1]},0.000", "line 1 is not"),
        (f"{HEX},100,0.000", "line 1 is not"),  # the Python binding's own print-out
        (f"0,100,{HEX},0.000\n0,90,{HEX},0.000", "frame 0 appears twice"),
    ],
)
def test_bad_files_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(InvalidSignal, match=message) as caught:
        read_vpdq_txt(text)
    assert caught.value.hint
