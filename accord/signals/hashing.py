"""Turn files into signals: the one hashing service behind ``accord hash`` and the HTTP API.

:func:`hash_file` hashes one file (a path or its bytes): it loads it under the
byte limit, sniffs its kind from the content, and runs every chosen signal
type that can hash that kind. A file either hashes completely or raises one
typed error (an :class:`accord.errors.Invalid` subclass): there are no partial
results, so a caller never mistakes "the MD5 of a file whose PDQ failed" for
the whole answer.

:func:`hash_many` hashes a list of paths in order, with a process pool when
asked, turning each file's error into an outcome instead of stopping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from accord.config import Settings
from accord.errors import AccordError, Invalid
from accord.media.errors import UnsupportedMedia
from accord.media.limits import MediaLimits, hard_time_limit
from accord.media.sniff import MediaKind
from accord.media.source import load_media
from accord.media.walk import WalkEntry
from accord.signals.base import ContentHasher, HashOptions, HashResult
from accord.signals.registry import get_signal_type, registry

ContentType = type[ContentHasher]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What hashing one file gave: its results, or the error that stopped it."""

    path: str
    results: tuple[HashResult, ...] = ()
    error: str | None = None
    error_type: str | None = None


def content_types(names: Sequence[str] | None) -> list[str] | None:
    """Check signal-type names chosen by a user; ``None`` keeps "every applicable type".

    Raises :class:`accord.errors.Invalid` for an unknown name or a type that
    cannot hash files (``url`` hashes text, not files).
    """
    if names is None:
        return None
    chosen: list[str] = []
    for name in names:
        cls = get_signal_type(name)
        if not issubclass(cls, ContentHasher):
            raise Invalid("signal type {name!r} does not hash files; file-hashing types: "
                          "{file_hashers}", name=name, file_hashers=', '.join(_file_hashers()))
        if name not in chosen:
            chosen.append(name)
    return chosen


def hash_file(
    source: Path | bytes,
    *,
    settings: Settings,
    types: Sequence[str] | None = None,
    dihedral: bool = False,
    exact: bool = False,
    name: str | None = None,
) -> list[HashResult]:
    """Hash one file with ``types`` (default: every type that applies to its content).

    ``source`` is a path or the file's bytes; ``name`` labels it in messages.
    ``exact`` (or ``settings.hash_exact``) turns the fast decoding paths off.
    Raises an :class:`accord.errors.Invalid` subclass (see
    :mod:`accord.media.errors`) when the file cannot be hashed within the limits
    of ``settings``, or when a chosen type does not apply to its content.
    """
    limits = MediaLimits.from_settings(settings)
    options = HashOptions(dihedral, exact or settings.hash_exact)
    return _hash(source, limits, content_types(types), options, name)


def hash_many(
    entries: Sequence[WalkEntry],
    *,
    settings: Settings,
    types: Sequence[str] | None = None,
    dihedral: bool = False,
    exact: bool = False,
    workers: int = 1,
    stdin: bytes | None = None,
) -> Iterator[FileOutcome]:
    """Hash ``entries`` in order, yielding one outcome per entry as each is known.

    With ``workers`` above 1 the files are hashed in a process pool; the order
    of outcomes stays the order of ``entries``. ``stdin`` holds the bytes of the
    entry ``-``, if any. Only an :class:`AccordError` outside one file (such as
    an unknown type) stops the run. ``exact`` as for :func:`hash_file`.
    """
    chosen = content_types(types)
    limits = MediaLimits.from_settings(settings)
    options = HashOptions(dihedral, exact or settings.hash_exact)
    jobs = [
        (e.path, stdin if e.path == "-" else None, limits, chosen, options)
        for e in entries
        if e.error is None
    ]
    if workers <= 1 or len(jobs) < 2:
        runs: Iterator[FileOutcome] = map(_job, jobs)
        yield from _merged(entries, runs)
        return
    yield from _merged(entries, _pooled(jobs, workers))


def _pooled(jobs: Sequence[_Job], workers: int) -> Iterator[FileOutcome]:
    """Outcomes of ``jobs`` in order from a process pool that survives a crashing decoder.

    A native decoder that kills its worker process breaks the whole pool: every
    file still queued then fails with ``BrokenProcessPool``. Those are hashed
    again, each in a fresh one-process pool, so only the file that crashes a
    process is reported as such and the rest are hashed.
    """
    yielded = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        try:
            for outcome in pool.map(_job, jobs, chunksize=_chunksize(len(jobs), workers)):
                yield outcome
                yielded += 1
            return
        except BrokenProcessPool:
            pass
    for job in jobs[yielded:]:
        yield _isolated(job)


def _isolated(job: _Job) -> FileOutcome:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_job, job).result()
        except BrokenProcessPool:
            return FileOutcome(job[0], error=f"{job[0]}: the decoder crashed on this file "
                               "(its process died); the file was skipped",
                               error_type="DecoderCrash")


def default_workers() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def entry_outcome(entry: WalkEntry) -> FileOutcome | None:
    """The outcome of an entry the walk already failed, else ``None``."""
    if entry.error is None:
        return None
    return FileOutcome(entry.path, error=entry.error.message, error_type=type(entry.error).__name__)


_Job = tuple[str, bytes | None, MediaLimits, list[str] | None, HashOptions]


def _merged(entries: Sequence[WalkEntry], runs: Iterator[FileOutcome]) -> Iterator[FileOutcome]:
    # Walk errors keep their place among the hashed files.
    for entry in entries:
        yield entry_outcome(entry) or next(runs)


def _job(job: _Job) -> FileOutcome:
    path, data, limits, types, options = job
    source = data if data is not None else Path(path)
    # The hard limit is a backstop, a little later than the cooperative deadline.
    backstop = limits.hash_timeout_seconds * 1.2 + 1.0
    try:
        with hard_time_limit(backstop, path):
            return FileOutcome(path, tuple(_hash(source, limits, types, options, path)))
    except AccordError as err:
        return FileOutcome(path, error=err.message, error_type=type(err).__name__)
    except Exception as err:  # a decoder bug must cost one file, not the whole run
        return FileOutcome(
            path,
            error=f"{path}: unexpected failure while hashing ({err!r})"[:300],
            error_type=type(err).__name__,
        )


def _hash(
    source: Path | bytes,
    limits: MediaLimits,
    types: Sequence[str] | None,
    options: HashOptions,
    name: str | None,
) -> list[HashResult]:
    media = load_media(source, limits, name=name)
    results: list[HashResult] = []
    for cls in _applicable(media.kind, media.name, types):
        results.extend(cls.hash_content(media, options))
        media.deadline.check(f"hashing {cls.__name__}")
    return results


def _applicable(kind: MediaKind, name: str, types: Sequence[str] | None) -> list[ContentType]:
    hashers = _file_hashers()
    if types is None:
        return [cls for cls in hashers.values() if kind in cls.content_kinds]
    chosen = [hashers[t] for t in types]
    for type_name, cls in zip(types, chosen, strict=True):
        if kind not in cls.content_kinds:
            kinds = ", ".join(sorted(k.value for k in cls.content_kinds))
            raise UnsupportedMedia("{name}: signal type {type_name!r} hashes {kinds} files, but "
                                   "the content is {kind}", name=name, type_name=type_name,
                                   kinds=kinds, kind=kind.value)
    return chosen


def _file_hashers() -> dict[str, ContentType]:
    return {name: cls for name, cls in registry().items() if issubclass(cls, ContentHasher)}


def _chunksize(jobs: int, workers: int) -> int:
    # A few chunks per worker balances load without a round trip per small file.
    return max(1, min(16, jobs // (workers * 4)))
