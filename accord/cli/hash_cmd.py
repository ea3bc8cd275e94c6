"""``accord hash``: print the signals of files as JSON lines (a thin edge over hashing)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from accord.config import Settings
from accord.media.errors import MediaError
from accord.media.limits import MediaLimits
from accord.media.source import read_stream
from accord.media.walk import STDIN, WalkEntry, walk_paths
from accord.signals.hashing import FileOutcome, default_workers, hash_many
from accord.signals.registry import get_signal_type

POOL_MIN_FILES = 8
"""Fewer files than this are hashed in this process: a pool costs more to start."""


def hash_command(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(
        ..., help="Files, directories (walked recursively, sorted) or - for standard input."
    ),
    types: str | None = typer.Option(
        None,
        "--types",
        help="Comma-separated signal types, e.g. pdq,md5 (default: every type that applies "
        "to each file's content).",
        show_default=False,
    ),
    dihedral: bool = typer.Option(
        False, "--dihedral", help="Also print the PDQ hashes of the 7 other rotations and flips."
    ),
    exact: bool = typer.Option(
        False,
        "--exact",
        help="Hash every pixel and decode every video frame, as the reference "
        "implementations do (default: large JPEGs decoded at reduced scale, PDQ within "
        "20 bits; see docs/signal-types.md).",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-j",
        min=1,
        help="Processes to hash with (default: all cores when there are many files).",
        show_default=False,
    ),
) -> None:
    """Hash files and print one JSON line per signal (or per failed file).

    Each line has path, signal_type, value and, for types that have one,
    quality; a file that cannot be hashed gives one line with path, error and
    error_type, the other files are still hashed, and the exit status is 1.

    Example: accord hash --types pdq,md5 photos/ upload.jpg
    """
    settings = _settings(ctx)
    chosen = [t.strip() for t in types.split(",") if t.strip()] if types is not None else None
    entries = list(walk_paths(paths))
    stdin = _read_stdin(settings) if any(e.path == STDIN for e in entries) else None
    if isinstance(stdin, MediaError):
        entries = [WalkEntry(e.path, stdin) if e.path == STDIN else e for e in entries]
        stdin = None
    count = workers or (default_workers() if len(entries) >= POOL_MIN_FILES else 1)
    outcomes = hash_many(
        entries,
        settings=settings,
        types=chosen,
        dihedral=dihedral,
        exact=exact,
        workers=count,
        stdin=stdin,
    )
    failed = 0
    for outcome in _with_progress(outcomes, len(entries)):
        failed += outcome.error is not None
        for line in outcome_lines(outcome):
            typer.echo(line)
    if failed:
        raise typer.Exit(1)


def outcome_lines(outcome: FileOutcome) -> list[str]:
    """The JSON lines for one file's outcome."""
    if outcome.error is not None:
        return [
            json.dumps(
                {"path": outcome.path, "error": outcome.error, "error_type": outcome.error_type}
            )
        ]
    lines = []
    for result in outcome.results:
        record: dict[str, object] = {
            "path": outcome.path,
            "signal_type": result.signal_type,
            "value": result.value,
        }
        if get_signal_type(result.signal_type).has_quality:
            record["quality"] = result.quality
        if result.variant is not None:
            record["variant"] = result.variant
        lines.append(json.dumps(record))
    return lines


def _settings(ctx: typer.Context) -> Settings:
    # The root callback leaves a state object carrying the node's settings.
    obj = ctx.find_root().obj
    settings = getattr(obj, "settings", obj)
    return settings if isinstance(settings, Settings) else Settings()


def _read_stdin(settings: Settings) -> bytes | MediaError:
    try:
        return read_stream(sys.stdin.buffer, MediaLimits.from_settings(settings))
    except MediaError as err:
        return err


def _with_progress(outcomes: Iterator[FileOutcome], total: int) -> Iterator[FileOutcome]:
    console = Console(stderr=True)
    if total < POOL_MIN_FILES or not console.is_terminal:
        yield from outcomes
        return
    columns = (
        TextColumn("hashing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("hashing", total=total)
        for outcome in outcomes:
            yield outcome
            progress.advance(task)
