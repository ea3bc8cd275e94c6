"""Status versions received from a peer or a file: a quarantine and its lift are applied,
never backwards; a status Accord does not know is refused by id; ``accord import`` of a
STIX bundle keeps a quarantined indicator quarantined."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from accord import audit
from accord.config import Settings
from accord.curation import banks, signals
from accord.curation.formats import RowError
from accord.curation.report import ImportReport
from accord.errors import Invalid
from accord.exchange import stix
from accord.exchange.indicator import IndicatorRenderer, SignalRow, bundle_rows, indicator_to_signal
from accord.exchange.stix_common import EXTENSION_ID
from accord.exchange.taxii.ingest import ingest_objects
from accord.matching.engine import MatchEngine
from accord.sharing import service
from accord.sharing.roles import Actor
from accord.sharing.visibility import Viewer
from accord.signals import get_signal_type
from accord.store import models as m
from accord.store.database import Database
from tests.conftest import CliRun

OPERATOR = Viewer.operator()  # the node operator, who sees everything on the node

OP = Actor.operator()
SYNC = Actor.operator("sync:node-a")
CREATED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
VALUE = "c" * 32


def _version(status: str, minute: int, *, value: str = VALUE, local_id: int = 7
             ) -> dict[str, Any]:
    """Node A's indicator for its signal ``local_id`` as it stood ``minute``s after creation."""
    row = SignalRow(local_id, 1, "md5", value, None, "AMBER", status, "", "", CREATED,
                    CREATED + dt.timedelta(minutes=minute), False, ())
    return IndicatorRenderer("node-a").indicator(row)


def _inbox(db: Database) -> None:
    service.partner_add(db, OP, "Platform B", "platform", "IE")
    banks.bank_add(db, OP, "inbox", "Platform B", default_tlp="AMBER")


def _status(db: Database, value: str = VALUE) -> str:
    (held,) = [s for status in ("active", "quarantined", "retracted")
               for s in signals.signal_list(db, OP, bank="inbox", status=status)
               if s.value == value]
    return held.status


def _apply(db: Database, settings: Settings, *objects: dict[str, Any]) -> ImportReport:
    return ingest_objects(db, SYNC, "inbox", list(objects), settings, source="peer:node-a")


def test_a_version_older_than_the_one_applied_changes_nothing(
        db: Database, settings: Settings) -> None:
    _inbox(db)
    assert _apply(db, settings, _version("active", 0)).imported == 1
    assert _apply(db, settings, _version("quarantined", 3)).quarantined == 1
    late_lift = _apply(db, settings, _version("active", 2))  # delivered late
    assert (late_lift.lifted, late_lift.stale) == (0, 1)
    assert _status(db) == "quarantined"

    assert _apply(db, settings, _version("active", 4)).lifted == 1
    late_quarantine = _apply(db, settings, _version("quarantined", 3))  # replayed
    assert (late_quarantine.quarantined, late_quarantine.stale) == (0, 1)
    assert _status(db) == "active"

    # Several versions of one object in one request: the newest counts, in any order.
    both = _apply(db, settings, _version("quarantined", 6), _version("active", 5))
    assert (both.quarantined, both.stale) == (1, 1)
    assert _status(db) == "quarantined"
    # Revoked wins over everything, and a retracted signal stays retracted.
    assert _apply(db, settings, _version("retracted", 7)).retracted == 1
    assert _apply(db, settings, _version("quarantined", 8)).quarantined == 0
    assert _status(db) == "retracted"


def test_a_quarantine_set_by_this_nodes_own_disputes_is_not_lifted_by_a_peer(
        db: Database, settings: Settings) -> None:
    _inbox(db)
    _apply(db, settings, _version("active", 0))
    (held,) = signals.signal_list(db, OP, bank="inbox")
    with db.transaction() as session:  # as a dispute on this node leaves it
        row = session.get_one(m.Signal, held.id)
        row.status = "quarantined"
        audit.record(session, OP, "signal.quarantine", "signal", row.id, {"threshold": 1})
    assert _apply(db, settings, _version("active", 9)).lifted == 0
    assert _status(db) == "quarantined"


def test_an_unknown_status_is_refused_by_id_and_the_rest_of_the_page_is_applied(
        db: Database, settings: Settings) -> None:
    _inbox(db)
    deleted = _version("active", 1, value="1" * 32, local_id=1)
    deleted["extensions"][EXTENSION_ID]["status"] = "deleted"
    report = _apply(db, settings, deleted, _version("active", 1, value="2" * 32, local_id=2),
                    _version("quarantined", 1, value="3" * 32, local_id=3),
                    {"type": "indicator", "id": ["not", "an", "id"]})
    failure, malformed = report.errors
    assert malformed.where == "<object without id>"
    assert failure.where == deleted["id"] and failure.version == deleted["modified"]
    assert "deleted" in failure.message and deleted["id"] in failure.message
    assert (report.imported, report.quarantined) == (2, 1)
    assert _status(db, "2" * 32) == "active" and _status(db, "3" * 32) == "quarantined"
    with pytest.raises(Invalid, match="status 'deleted'"):  # the strict stix2 reader too
        indicator_to_signal(deleted)


def test_accord_import_of_a_bundle_stores_a_quarantined_indicator_quarantined(
        db: Database, settings: Settings, cli: CliRun, tmp_path: Path) -> None:
    _inbox(db)
    bundle = stix.make_bundle([_version("quarantined", 1, value="4" * 32, local_id=4),
                               _version("active", 1, value="5" * 32, local_id=5)])
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    result = cli("import", str(path), "--bank", "inbox", "--format", "stix")
    assert result.exit_code == 0, result
    assert "1 quarantined" in result.stdout
    assert _status(db, "4" * 32) == "quarantined"
    engine = MatchEngine.load(db, settings)
    assert engine.lookup(OPERATOR, "md5", "4" * 32) == []
    assert len(engine.lookup(OPERATOR, "md5", "5" * 32)) == 1


def test_bundle_rows_never_turn_a_quarantined_indicator_into_an_active_row() -> None:
    bundle = stix.make_bundle([_version("quarantined", 1, value="6" * 32, local_id=6),
                               _version("active", 1, value="7" * 32, local_id=7)])
    rows = [item for _, item in bundle_rows(json.dumps(bundle))]
    (refused,) = [r for r in rows if isinstance(r, RowError)]
    assert "quarantined" in refused.message
    assert [r.value for r in rows if not isinstance(r, RowError)] == ["7" * 32]


@pytest.mark.parametrize(("kind", "held", "spelled"), [
    ("md5", VALUE, VALUE.upper()),
    ("pdq", "ab" * 32, "AB" * 32),
    ("url", "https://example.org/a", "HTTPS://EXAMPLE.ORG/a"),
])
def test_a_lift_in_another_spelling_of_the_value_lifts_the_quarantine(
        db: Database, settings: Settings, kind: str, held: str, spelled: str) -> None:
    # The held keys are canonical; the lift's pre-check must canonicalise too.
    _inbox(db)
    def version(status: str, minute: int, value: str) -> dict[str, Any]:
        row = SignalRow(7, 1, kind, value, 90 if kind == "pdq" else None, "AMBER", status, "",
                        "", CREATED, CREATED + dt.timedelta(minutes=minute), False, ())
        return IndicatorRenderer("node-a").indicator(row)
    assert _apply(db, settings, version("quarantined", 1, held)).imported == 1
    assert _status(db, held) == "quarantined"
    assert _apply(db, settings, version("active", 2, spelled)).lifted == 1
    assert _status(db, held) == "active"


def test_ingest_canonicalises_each_value_once(db: Database, settings: Settings,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # New, quarantined-new, lift and revocation: each object's value is parsed once, by the
    # reader, and the canonical value is what every later step uses.
    _inbox(db)
    md5 = get_signal_type("md5")
    real = md5.validate
    calls: list[str] = []

    def counted(value: str) -> str:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(md5, "validate", counted)
    report = _apply(db, settings, _version("active", 1, value="1" * 32, local_id=1),
                    _version("quarantined", 1, value="2" * 32, local_id=2))
    assert (report.imported, report.quarantined, len(calls)) == (2, 1, 2)
    calls.clear()
    report = _apply(db, settings, _version("active", 2, value="2" * 32, local_id=2),
                    _version("retracted", 2, value="1" * 32, local_id=1))
    assert (report.lifted, report.retracted, len(calls)) == (1, 1, 2)
