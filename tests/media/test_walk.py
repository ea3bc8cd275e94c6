"""Walking paths: sorted, recursive, and safe with symbolic link loops."""

from __future__ import annotations

import os
from pathlib import Path

from accord.media.errors import UnreadableMedia
from accord.media.walk import walk_paths


def _tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a.jpg").write_bytes(b"a")
    (root / "b" / "z.txt").write_text("z")
    (root / "b" / "c.png").write_bytes(b"c")


def test_directories_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    _tree(tmp_path)
    paths = [e.path for e in walk_paths([str(tmp_path)])]
    assert paths == [str(tmp_path / p) for p in ("a.jpg", "b/c.png", "b/z.txt")]


def test_arguments_keep_their_order_and_dash_means_standard_input(tmp_path: Path) -> None:
    _tree(tmp_path)
    args = [str(tmp_path / "b" / "z.txt"), "-", str(tmp_path / "a.jpg")]
    assert [e.path for e in walk_paths(args)] == args


def test_a_symlink_loop_gives_one_error_entry_and_the_walk_goes_on(tmp_path: Path) -> None:
    _tree(tmp_path)
    os.symlink(tmp_path, tmp_path / "b" / "loop")  # b/loop -> the root: a cycle
    entries = list(walk_paths([str(tmp_path)]))
    errors = [e for e in entries if e.error is not None]
    assert [e.path for e in errors] == [str(tmp_path / "b" / "loop")]
    assert isinstance(errors[0].error, UnreadableMedia)
    assert "symbolic link loop" in errors[0].error.message
    assert len(entries) == 4


def test_a_self_referencing_link_and_a_dangling_link_are_error_entries(tmp_path: Path) -> None:
    os.symlink(tmp_path / "self", tmp_path / "self")
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    entries = {Path(e.path).name: e.error for e in walk_paths([str(tmp_path)])}
    assert set(entries) == {"self", "dangling"}
    assert all(isinstance(err, UnreadableMedia) for err in entries.values())
    assert "cannot read" in str(entries["self"])
