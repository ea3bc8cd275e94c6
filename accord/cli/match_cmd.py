"""``accord match``: match files and hashes against what a partner may see."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import typer

from accord.cli.state import state
from accord.errors import AccordError
from accord.matching.service import (
    QueryResult,
    match_file,
    match_query,
    parse_query,
    partner_viewer,
    result_body,
)
from accord.matching.variants import parse_variants
from accord.media.walk import walk_paths
from accord.signals import signal_type_names


def _is_hash(text: str) -> bool:
    kind, sep, _ = text.partition(":")
    return bool(sep) and kind.lower() in signal_type_names() and not Path(text).exists()


def _inputs(inputs: list[str]) -> Iterator[str]:
    for item in inputs:
        if item == "-":
            yield from (line.strip() for line in sys.stdin if line.strip())
        else:
            yield item


def _variants(text: str | None, dihedral: bool) -> frozenset[str] | None:
    if text is None and not dihedral:
        return None
    return parse_variants(",".join(filter(None, (text, "dihedral" if dihedral else None))))


def _line(result: QueryResult) -> str:
    return json.dumps(result_body(result), ensure_ascii=False)


def match_command(
    ctx: typer.Context,
    inputs: list[str] = typer.Argument(
        ..., help="Files, directories, TYPE:VALUE hashes (pdq:<hex>), or - to read inputs "
        "one a line from standard input."),
    partner: str | None = typer.Option(
        None, "--partner", help="Match as this partner: only what it may see (default: "
        "the --as member's partner, or everything for the operator)."),
    variants: str | None = typer.Option(
        None, "--variants", help="Variants of each picture to match in every bank, e.g. "
        "'plain', 'dihedral,unletterbox', 'all' (default: each bank's own setting)."),
    dihedral: bool = typer.Option(False, "--dihedral",
                                  help="Same as --variants dihedral (kept for scripts)."),
    threshold: int | None = typer.Option(None, "--threshold", min=0,
                                         help="Override the match distance for hash queries."),
    exact: bool = typer.Option(False, "--exact",
                               help="Hash files exactly as the reference implementations do "
                               "(every pixel, every video frame) instead of the fast paths."),
) -> None:
    """Match content and hashes; one JSON line per query with its matches (the API's shape).

    Example: accord match --partner "Platform P" --variants all upload.jpg pdq:f8f8...9b22
    """
    from accord.matching.engine import MatchEngine

    st = state(ctx)
    chosen = _variants(variants, dihedral)
    db, actor = st.database(), st.actor()
    who = partner if partner is not None else actor.partner_id
    viewer = partner_viewer(db, who)
    with st.err.status("loading the match index"):
        engine = MatchEngine.open(db, st.settings)
    failed = False
    for item in _inputs(inputs):
        if _is_hash(item):
            try:
                kind, value = parse_query(item)
                results = [match_query(engine, viewer, kind, value, threshold=threshold)]
            except AccordError as error:
                results = [QueryResult(item[:80], error=error.message)]
        else:
            results = []
            for entry in walk_paths([item]):
                if entry.error is not None:
                    results.append(QueryResult(entry.path, error=str(entry.error)))
                    continue
                results.extend(match_file(engine, viewer, Path(entry.path), st.settings,
                                          variants=chosen, exact=exact))
        for result in results:
            failed = failed or result.error is not None
            st.out.print(_line(result), markup=False, highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)
