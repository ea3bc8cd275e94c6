"""``accord signal export`` carries only what may leave the node; the full dump is the
operator's audited backup; no CSV cell Accord writes is a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import export, signals
from accord.curation.formats import read_csv
from accord.curation.signals import SignalInput
from accord.errors import PermissionDenied
from accord.safeguards.cells import neutral_cell, restore_cell, safe_writer
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.conftest import CliRun
from tests.curation.conftest import Node

MARKINGS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")


def _values(text: str) -> dict[str, str]:
    """signal_value -> tlp of an exported CSV."""
    return {row["signal_value"]: row["tlp"] for row in csv.DictReader(io.StringIO(text))}


@pytest.fixture
def marked(db: Database, node: Node, settings: Settings) -> dict[str, str]:
    """One md5 signal of agency A per marking; tlp -> value."""
    out = {}
    for i, tlp in enumerate(MARKINGS):
        value = f"{i:x}" * 32
        signals.signal_add(db, node.curator_a, node.bank, SignalInput("md5", value, tlp=tlp),
                           settings)
        out[tlp] = value
    return out


@pytest.mark.parametrize("who", ["owner", "channel member", "operator"])
def test_an_export_never_writes_red_or_amber_strict(
    db: Database, node: Node, marked: dict[str, str], who: str
) -> None:
    actor = {"owner": node.curator_a, "channel member": node.reviewer_b,
             "operator": Actor.operator()}[who]
    out = io.StringIO()
    count = export.export_signals(db, actor, out, bank=node.bank)
    written = _values(out.getvalue())
    assert set(written.values()) == {"CLEAR", "GREEN", "AMBER"}
    assert count == 3
    jsonl = io.StringIO()
    export.export_signals(db, actor, jsonl, fmt="jsonl", include_retracted=True)
    assert "RED" not in jsonl.getvalue() and "AMBER+STRICT" not in jsonl.getvalue()


def test_the_full_dump_is_the_operators_audited_backup(
    db: Database, node: Node, marked: dict[str, str]
) -> None:
    with pytest.raises(PermissionDenied, match="only the node operator"):
        export.backup_signals(db, node.curator_a, io.StringIO())
    before = audit.count(db)
    out = io.StringIO()
    assert export.backup_signals(db, Actor.operator("cli:root"), out, bank=node.bank) == 5
    assert set(_values(out.getvalue()).values()) == set(MARKINGS)
    [event] = list(audit.events(db, object_type="signals"))
    assert (event.action, event.actor, event.details["bank"]) == ("signal.backup", "cli:root",
                                                              node.bank)
    assert audit.count(db) == before + 1


def test_the_cli_export_and_backup(cli: CliRun, db: Database, node: Node,
                                   marked: dict[str, str]) -> None:
    plain = cli("signal", "export", "--bank", node.bank)
    assert plain.exit_code == 0, plain
    assert set(_values(plain.stdout).values()) == {"CLEAR", "GREEN", "AMBER"}
    full = cli("signal", "export", "--bank", node.bank, "--backup")
    assert full.exit_code == 0, full
    assert set(_values(full.stdout).values()) == set(MARKINGS)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0",
                                  "-2+3+cmd|x", "@SUM(A1)"])
def test_formula_cells_are_neutralised_and_read_back(
    db: Database, node: Node, settings: Settings, text: str
) -> None:
    signals.signal_add(db, node.curator_a, node.bank, SignalInput(
        "md5", "e" * 32, tlp="GREEN", rationale=text, source_ref=text), settings)
    out = io.StringIO()
    export.export_signals(db, node.curator_a, out)
    [row] = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["rationale"] == row["source_ref"] == "'" + text
    [(_line, back)] = list(read_csv(io.StringIO(out.getvalue())))
    assert isinstance(back, SignalInput) and back.rationale == text == back.source_ref


@pytest.mark.parametrize("text", ["-12", "+3.5", "-1e-3", "plain", "", "a=b", "'quoted"])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert neutral_cell(text) == text == restore_cell(text)
    out = io.StringIO()
    safe_writer(out).writerow([text, 7, None])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [text, "7", ""]


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@A1", "\tx", "\rx", "-"])
def test_every_trigger_is_neutralised_by_the_writer(text: str) -> None:
    out = io.StringIO()
    safe_writer(out).writerow([text])
    [cell] = next(csv.reader(io.StringIO(out.getvalue())))
    assert cell == "'" + text and restore_cell(cell) == text


def test_another_partner_sees_no_contributor_name_nor_filters_by_it(
    db: Database, node: Node, settings: Settings
) -> None:
    """(Issue 18, staff user names.) The core hides them, so the API, UI and CLI do too."""
    from accord.sharing.service import OTHER_STAFF

    made = signals.signal_add(db, node.curator_a, node.bank,
                              SignalInput("md5", "f" * 32, tlp="AMBER"), settings)
    [seen] = signals.signal_list(db, node.reviewer_b)
    assert seen.contributor == OTHER_STAFF
    assert signals.signal_get(db, node.reviewer_b, made.id).contributor == OTHER_STAFF
    assert signals.signal_get(db, node.curator_a, made.id).contributor == "alice"
    assert signals.signal_list(db, node.reviewer_b, contributor="alice") == []
    assert len(signals.signal_list(db, node.curator_a, contributor="alice")) == 1
