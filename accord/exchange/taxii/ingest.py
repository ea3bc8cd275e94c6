"""Applying received STIX objects to a bank: add new indicators, follow status versions.

The one path for a TAXII POST, a page pulled by ``accord sync`` and an
envelope or bundle file given to ``accord import``. Idempotent: an indicator
already in the bank is a duplicate, a revocation of a signal already
retracted (or never received) changes nothing. New indicators go through the
bulk importer (the same checks, batches and audit events as any import);
revoked ones retract the bank's signal of the same type and value, which
leaves a tombstone and an audit event. An indicator whose Accord extension
says ``status: quarantined`` quarantines the bank's copy (or is stored
quarantined), a later ``active`` version lifts that quarantine, never
backwards (``taxii.status``); any other status is refused by id. An active
version of a signal already held whose labels differ replaces them when it is
newer than the last one applied (``taxii.relabel``). Of several
versions of one object in one request only the newest is applied.

Notes carrying Accord's statement extension are public statements on
incidents, stored by ``statement_stix.ingest_statements``. Other objects that
are not indicators (identities, marking and extension definitions,
relationships, custom ``x-`` types...) are counted as ignored. A malformed
object is a failure naming its id; it never stops the objects after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from accord.config import Settings
from accord.curation import importer, signals
from accord.curation.banks import find_bank
from accord.curation.formats import Row
from accord.curation.report import ImportReport, Refusal, object_id
from accord.curation.signals import Status, storage_key
from accord.errors import AccordError, Invalid, trimmed
from accord.exchange.indicator import StixSignal, indicator_to_signal
from accord.exchange.statement_stix import ingest_statements, is_statement
from accord.exchange.taxii.relabel import apply_label_versions
from accord.exchange.taxii.status import (
    Outcome,
    apply_lifts,
    apply_quarantine,
    may_lift,
    quarantined_keys,
    version_time,
)
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database

_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def _fail(report: ImportReport, number: int, obj: object, message: str) -> None:
    """Refuse an object (named by its id and version when it has them)."""
    version = obj.get("modified") if isinstance(obj, Mapping) else None
    report.add_error(Refusal(number, message, id=object_id(obj),
                             version=version if isinstance(version, str) else None))


def _count(report: ImportReport, outcome: Outcome) -> None:
    """Count what a received status version did."""
    if outcome == Outcome.ADDED:
        report.imported += 1
        report.quarantined += 1
    elif outcome == Outcome.QUARANTINED:
        report.quarantined += 1
    elif outcome == Outcome.LIFTED:
        report.lifted += 1
    elif outcome == Outcome.STALE:
        report.stale += 1
    else:
        report.duplicates += 1


def _stale_version(report: ImportReport, obj: Mapping[str, Any]) -> None:
    """Count a version older than another given for the same object."""
    report.stale += 1
    report.succeed(obj, note="not applied: a newer version of this object was given")


Indicator = tuple[int, Mapping[str, Any], StixSignal]  # (object number, object, reading)


def _read(objects: Sequence[object], report: ImportReport) -> Iterator[Indicator]:
    """The usable indicators, numbered; everything else counted or refused."""
    for number, obj in enumerate(objects, start=1):
        if not isinstance(obj, Mapping) or not isinstance(obj.get("type"), str):
            _fail(report, number, obj, "not a STIX object: expected a JSON object with a 'type'")
            continue
        if is_statement(obj):
            continue  # stored by statement_stix.ingest_statements
        if obj["type"] != "indicator":
            report.ignored += 1
            report.succeed(obj, note="not stored: Accord keeps indicators only")
            continue
        try:
            found = indicator_to_signal(obj)
        except Invalid as exc:
            _fail(report, number, obj, exc.message)
            continue
        except Exception as exc:  # a malformed object never stops the objects after it
            _fail(report, number, obj, f"not a usable indicator ({type(exc).__name__})")
            continue
        yield number, obj, found


def _indicators(objects: Sequence[object], report: ImportReport) -> Iterable[Indicator]:
    """``_read``, keeping one version per id when an id comes more than once. (Read as a
    stream otherwise: readings kept alive for a whole page cost garbage collections.)"""
    ids = [o["id"] for o in objects if isinstance(o, Mapping) and isinstance(o.get("id"), str)]
    if len(set(ids)) == len(ids):
        return _read(objects, report)
    return _newest(list(_read(objects, report)), report)


def _newest(found: list[Indicator], report: ImportReport) -> list[Indicator]:
    """One version per indicator id: the revoked one, else the latest ``modified``."""
    def rank(item: StixSignal) -> tuple[bool, dt.datetime]:
        return item.revoked, version_time(item.modified) or _EPOCH

    best: dict[str, Indicator] = {}
    for item in found:
        held = best.get(item[2].stix_id)
        if held is not None and rank(item[2]) == rank(held[2]):
            report.duplicates += 1  # the same version twice
            report.succeed(item[1])
            continue
        if held is not None and rank(item[2]) < rank(held[2]):
            _stale_version(report, item[1])
            continue
        if held is not None:
            _stale_version(report, held[1])
        best[item[2].stix_id] = item
    return sorted(best.values(), key=lambda item: item[0])


def ingest_objects(db: Database, actor: Actor, bank: int | str, objects: Sequence[object],
                   settings: Settings, *, source: str, successes: bool = True,
                   report_labels: bool = False) -> ImportReport:
    """Apply ``objects`` (parsed STIX objects) to ``bank`` as ``actor``; never raises on one
    bad object. Raises for the bank or the actor's rights, before anything is written.
    ``successes`` False leaves out the per-object success list (sync needs counts only).
    An indicator's labels that name no taxonomy label are never applied; they are said
    in its success entry's message, and with ``report_labels`` (file imports) each such
    indicator is also a refusal naming them (the signal is stored without them)."""
    report = ImportReport(source=source, rows=len(objects), keep_successes=successes,
                          max_kept=None)
    rows: list[Row] = []
    revoked: list[Indicator] = []
    quarantined: list[Indicator] = []
    active: list[tuple[int, StixSignal]] = []
    rows_read: list[tuple[int, StixSignal]] = []
    held = quarantined_keys(db, bank)  # usually empty: then nothing can be lifted
    ingest_statements(db, actor, bank, objects, report, source=source)  # notes on incidents
    notes: dict[int, str] = {}
    for number, obj, found in _indicators(objects, report):
        if found.ignored_labels:
            notes[number] = _labels_note(found.ignored_labels)
            if report_labels:
                _fail(report, number, obj, notes[number])
        if found.revoked:
            revoked.append((number, obj, found))
        elif found.status == Status.QUARANTINED:
            quarantined.append((number, obj, found))
        else:
            rows.append((number, found.signal))
            rows_read.append((number, found))
            if held and may_lift(held, found):
                active.append((number, found))
    by_number = {number: objects[number - 1] for number, _ in rows}
    result = importer.import_rows(db, actor, bank, rows, settings, source=source,
                                  canonical=True)  # the reader canonicalised each value
    bad = {error.line: error for error in result.errors}
    # The importer keeps the first MAX_KEPT_ERRORS row errors; past the last one kept,
    # which rows failed is unknown, and they are reported as such rather than guessed.
    unknown_after = (result.errors[-1].line if result.error_count > len(result.errors)
                     else len(objects) + 1)
    for number, _ in rows:
        given = by_number[number]
        if number in bad:
            _fail(report, number, given, bad[number].message)
        elif number > unknown_after:
            _fail(report, number, given,
                  "outcome not recorded: too many refused objects in one request")
        elif isinstance(given, Mapping):
            report.succeed(given, note=notes.get(number, ""))
    report.imported += result.imported
    report.duplicates += result.duplicates
    stored = [found for number, found in active
              if number not in bad and number <= unknown_after]
    _lifts(db, actor, held, stored, source, report)
    report.relabelled += apply_label_versions(
        db, actor, bank, [found for number, found in rows_read
                          if number not in bad and number <= unknown_after], source)
    for number, obj, found in quarantined:
        try:
            _count(report, apply_quarantine(db, actor, bank, found, source, settings))
            report.succeed(obj)
        except AccordError as exc:
            _fail(report, number, obj, exc.message)
    for number, obj, found in revoked:
        try:
            report.retracted += _retract(db, actor, bank, found, source)
            report.succeed(obj)
        except AccordError as exc:
            _fail(report, number, obj, exc.message)
    return report


def _labels_note(labels: tuple[str, ...]) -> str:
    named = ", ".join(trimmed(label, 60) for label in labels[:5])
    more = f" and {len(labels) - 5} more" if len(labels) > 5 else ""
    return (f"labels {named}{more} name no Accord taxonomy label: not applied (the signal "
            "is stored without them; see docs/stix-mapping.md)")


def _lifts(db: Database, actor: Actor, held: dict[tuple[str, str], int],
           active: list[StixSignal], source: str, report: ImportReport) -> None:
    """Accepted active versions of signals held here quarantined: lift the peer's
    quarantine when the version is newer (the importer counted them as duplicates)."""
    outcomes = apply_lifts(db, actor, held, active, source)
    for outcome in outcomes:
        if outcome is not None:
            report.duplicates -= 1
            _count(report, outcome)


def _retract(db: Database, actor: Actor, bank: int | str, found: StixSignal,
             source: str) -> int:
    """Retract the bank's signal that ``found`` revokes; 1 if one was retracted, else 0."""
    kind, key = found.signal.signal_type, storage_key(found.signal.value)  # canonical
    with db.reader() as session:
        bank_id = find_bank(session, bank).id
        signal_id = session.execute(
            select(m.Signal.id).where(m.Signal.bank_id == bank_id,
                                      m.Signal.signal_type == kind, m.Signal.value == key,
                                      m.Signal.status != Status.RETRACTED.value)
        ).scalar_one_or_none()
    if signal_id is None:
        return 0
    signals.signal_retract(db, actor, signal_id, f"revoked by {source} ({found.stix_id})")
    return 1

