"""Expand command-line paths into the files to hash, in a deterministic order.

Arguments keep the order they were given; a directory is walked recursively
with its entries sorted by name. Symbolic links are followed, but a link that
leads back to a directory being walked (a loop) is reported as an error entry
instead of being entered, so a loop can neither hang nor crash the walk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from accord.media.errors import MediaError, UnreadableMedia

STDIN = "-"


@dataclass(frozen=True, slots=True)
class WalkEntry:
    """A file to hash, or a path that could not be walked and why."""

    path: str
    error: MediaError | None = None


def walk_paths(paths: Iterable[str]) -> Iterator[WalkEntry]:
    """Yield every file under ``paths`` (``-`` passes through for standard input)."""
    for raw in paths:
        if raw == STDIN:
            yield WalkEntry(raw)
            continue
        yield from _walk(Path(raw), ancestors=frozenset())


def _walk(path: Path, ancestors: frozenset[tuple[int, int]]) -> Iterator[WalkEntry]:
    try:
        info = path.stat()  # follows links; a self-referencing link raises ELOOP here
    except OSError as err:
        yield WalkEntry(str(path), UnreadableMedia("{path}: {reason}", path=path,
                                                   reason=_reason(err)))
        return
    if not path.is_dir():
        yield WalkEntry(str(path))
        return
    key = (info.st_dev, info.st_ino)
    if key in ancestors:
        yield WalkEntry(
            str(path),
            UnreadableMedia("{path}: symbolic link loop (leads back to a parent directory)",
                            path=path),
        )
        return
    try:
        names = sorted(os.listdir(path))
    except OSError as err:
        yield WalkEntry(str(path), UnreadableMedia("{path}: {reason}", path=path,
                                                   reason=_reason(err)))
        return
    inner = ancestors | {key}
    for name in names:
        yield from _walk(path / name, inner)


def _reason(err: OSError) -> str:
    if err.errno is not None and err.strerror:
        return f"cannot read ({err.strerror})"
    return f"cannot read ({err})"
