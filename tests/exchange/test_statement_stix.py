"""Statements as STIX notes: valid STIX, served after the signals in the collections their
TLP and channel allow (an ``S.T`` cursor that never repeats or skips), read back and
stored by a receiving node on its own copy of the incident, checked on the way in."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.report import ImportReport
from accord.curation.signals import SignalInput
from accord.errors import Invalid
from accord.exchange import stix
from accord.exchange.statement_stix import (
    STATEMENT_EXTENSION_ID,
    ingest_statements,
    statement_extension_definition,
    statement_note,
)
from accord.exchange.taxii import service as taxii
from accord.exchange.taxii.collections import collection_id
from accord.exchange.taxii.pages import PageQuery, parse_cursor, parse_note_cursor
from accord.incidents import service
from accord.incidents import statements as st
from accord.reports.transparency import set_report_opt_in
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database

OP = Actor.operator()
FIELDS = {"iyear": "2026", "imonth": "3", "iday": "14", "country_txt": "France",
          "attacktype1_txt": "Bombing/Explosion", "targtype1_txt": "Transportation"}
ADA = Actor("ada", 1, Role.CURATOR)
SYNC_B = Actor("sync-b", 2, Role.SYNC)


def _said(hours: int, text: str = "We condemn this attack.") -> st.Said:
    return st.Said("condemnation", dt.datetime(2026, 3, 14, tzinfo=dt.UTC)
                   + dt.timedelta(hours=hours), "fr", f"https://a.example/{hours}", text)


@pytest.fixture
def node(db: Database, settings: Settings) -> tuple[Database, Settings]:
    """Agency A (opted in) shares channel ab with Platform B: two AMBER signals, two
    AMBER statements in ab, and a RED one."""
    sharing.partner_add(db, OP, "Agency A", "agency", "FR")
    sharing.partner_add(db, OP, "Platform B", "platform", "IE")
    sharing.channel_add(db, OP, "ab", "Agency A")
    sharing.channel_join(db, OP, "ab", "Platform B")
    set_report_opt_in(db, OP, "Agency A", True)
    banks.bank_add(db, OP, "a-images", "Agency A", default_tlp="AMBER", channel="ab")
    for digit in "12":
        signals.signal_add(db, OP, "a-images", SignalInput("md5", digit * 32), settings)
    found = service.incident_add(db, OP, {**FIELDS, "eventid": "202603140001"},
                                 service.Sharing("Agency A", "AMBER", "ab")).id
    for hours in (3, 4):
        st.statement_add(db, ADA, found, "Agency A", _said(hours))
    st.statement_add(db, ADA, found, "Agency A", _said(5, "Red words."), tlp="RED")
    return db, settings


def _walk(db: Database, settings: Settings, after: str | None = None, **query: Any
          ) -> tuple[list[dict[str, Any]], str | None]:
    """Every object of channel ab for Platform B's sync member, a page of one at a time."""
    ab = collection_id(settings.resolved_node_id(), "channel-ab")
    objects: list[dict[str, Any]] = []
    cursor = after
    while True:
        answer = taxii.get_objects(db, SYNC_B, settings, ab, PageQuery(
            limit=1, after=parse_cursor(cursor), after_notes=parse_note_cursor(cursor),
            **query))
        objects += answer.body.get("objects", [])
        cursor = answer.body.get("next", cursor)
        if not answer.body["more"]:
            return objects, cursor


def test_a_collection_serves_its_signals_then_its_statements_once_each(
        node: tuple[Database, Settings]) -> None:
    db, settings = node
    objects, cursor = _walk(db, settings)
    assert [o["type"] for o in objects] == ["indicator", "indicator", "note", "note"]
    assert "Red words." not in repr(objects)
    assert cursor is not None and "." in cursor
    # Something new of each kind: the old cursor gives exactly those, signals first.
    signals.signal_add(db, OP, "a-images", SignalInput("md5", "3" * 32), settings)
    st.statement_add(db, ADA, 1, "Agency A", _said(6))
    more, _ = _walk(db, settings, cursor)
    assert [o["type"] for o in more] == ["indicator", "note"]
    assert more[1]["external_references"][0]["url"] == "https://a.example/6"
    only, _ = _walk(db, settings, types=frozenset({"note"}))
    assert [o["type"] for o in only] == ["note"] * 3


def test_a_statement_note_is_valid_stix(node: tuple[Database, Settings]) -> None:
    db, settings = node
    objects, _ = _walk(db, settings, types=frozenset({"note"}))
    note = objects[0]
    assert (note["authors"], note["lang"], note["abstract"]) == (
        ["Agency A"], "fr", "Condemnation by Agency A")
    assert note["extensions"][STATEMENT_EXTENSION_ID]["spoken_at"] == "2026-03-14T03:00:00.000Z"
    bundle = stix.self_contained_bundle(db, settings.resolved_node_id(), [
        statement_extension_definition(), *objects])
    assert stix.validate_bundle(bundle) == []


def _receiver(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "b.sqlite3"
    shutil.copyfile(template, path)
    b = Database(f"sqlite:///{path}")
    sharing.partner_add(b, OP, "Platform B", "platform", "IE")
    banks.bank_add(b, OP, "from-a", "Platform B", default_tlp="AMBER")
    service.incident_add(b, OP, {**FIELDS, "eventid": "202603140001"},
                         service.Sharing("Platform B", "GREEN"))
    return b


def test_a_receiving_node_stores_a_note_on_its_copy_of_the_incident_once(
        node: tuple[Database, Settings], sqlite_template: Path, tmp_path: Path) -> None:
    db, settings = node
    notes, _ = _walk(db, settings, types=frozenset({"note"}))
    b = _receiver(sqlite_template, tmp_path)
    report = ImportReport(max_kept=None)
    ingest_statements(b, Actor.operator("sync:node-a"), "from-a", notes, report,
                      source="peer:node-a")
    assert (report.imported, report.error_count) == (2, 0)
    again = ImportReport(max_kept=None)
    ingest_statements(b, OP, "from-a", notes, again, source="peer:node-a")
    assert (again.imported, again.duplicates) == (0, 2)
    bea = Actor("bea", 1, Role.READER)
    said = st.statement_list(b, bea, 1)
    assert [(s.speaker, s.hours_after, s.origin) for s in said] == [
        ("Agency A", 3.0, "peer:node-a"), ("Agency A", 4.0, "peer:node-a")]
    with b.reader() as session:
        assert {r.tlp for r in session.query(m.IncidentStatement)} == {"AMBER"}
    b.dispose()


@pytest.mark.parametrize(("change", "why"), [
    ({"content": "Our thoughts are with John Smith."}, "personal data"),
    ({"content": "Call +33 6 12 34 56 78."}, "personal data"),
    ({"object_marking_refs": []}, "no TLP marking"),
    ({"lang": "not a tag"}, "BCP 47"),
    ({"authors": []}, "names no speaker"),
])
def test_a_received_note_is_checked_and_refused_by_id(
        node: tuple[Database, Settings], sqlite_template: Path, tmp_path: Path,
        change: dict[str, Any], why: str) -> None:
    db, settings = node
    [note, *_] = _walk(db, settings, types=frozenset({"note"}))[0]
    b = _receiver(sqlite_template, tmp_path)
    report = ImportReport(max_kept=None)
    ingest_statements(b, OP, "from-a", [{**note, **change}], report, source="peer:node-a")
    assert report.imported == 0 and report.error_count == 1
    assert why in report.errors[0].message and report.errors[0].id == note["id"]
    b.dispose()


def test_a_note_cursor_this_server_never_gave_is_refused() -> None:
    assert (parse_cursor("12.7"), parse_note_cursor("12.7")) == (12, 7)
    assert (parse_cursor("12"), parse_note_cursor("12")) == (12, 0)
    for bad in ("1.2.3", "1.x", ".", "99999999999.1"):
        with pytest.raises(Invalid, match="not a cursor"):
            parse_cursor(bad)


def test_statement_note_names_its_incident_and_kind(node: tuple[Database, Settings]) -> None:
    db, settings = node
    with db.reader() as session:
        row = session.get_one(m.IncidentStatement, 1)
        note = statement_note(row, settings.resolved_node_id())
    assert note["object_refs"][0].startswith("incident--")
    assert note["extensions"][STATEMENT_EXTENSION_ID]["eventid"] == "202603140001"


def test_a_partner_cannot_post_a_statement_note_in_another_partners_name(
        node: tuple[Database, Settings], sqlite_template: Path, tmp_path: Path) -> None:
    db, settings = node
    [note, *_] = _walk(db, settings, types=frozenset({"note"}))[0]
    b = _receiver(sqlite_template, tmp_path)
    bea = Actor("bea", 1, Role.CURATOR)  # Platform B's curator on B
    report = ImportReport(max_kept=None)
    ingest_statements(b, bea, "from-a", [note], report, source="taxii:x")
    assert report.imported == 0 and "another partner" in report.errors[0].message
    own = {**note, "authors": ["Platform B"], "id": "note--" + "1" * 8 + "-1111-4111-8111-"
           + "1" * 12}
    report = ImportReport(max_kept=None)
    ingest_statements(b, bea, "from-a", [own], report, source="taxii:x")
    assert report.imported == 1
    b.dispose()


def test_a_statement_note_passes_stix2_validator_strict(
        node: tuple[Database, Settings], tmp_path: Path) -> None:
    """The validator in its own virtualenv, ``--strict`` with ``uuid-check`` (103) disabled
    as for every other object (docs/stix-mapping.md, *Stable ids*), and 302 (a URL without
    a hash: Accord never fetches the statement's page; *Public statements*)."""
    import json

    from tests.exchange.test_stix_strict import _validate

    db, settings = node
    notes, _ = _walk(db, settings, types=frozenset({"note"}))
    bundle = stix.self_contained_bundle(db, settings.resolved_node_id(), [
        statement_extension_definition(), *notes])
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(bundle))
    result = _validate([path], "103", "302")
    assert result.startswith("rc=0"), result
    assert "302" in _validate([path], "103")  # the only other finding
