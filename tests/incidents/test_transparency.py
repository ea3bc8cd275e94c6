"""The transparency report: counts per section, no partner named without consent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from accord.config import Settings
from accord.cooperation import requests
from accord.curation import banks, opinions, signals
from accord.errors import PermissionDenied
from accord.incidents import crisis, service
from accord.incidents.tables import text_table
from accord.reports.html import render_html
from accord.reports.pdf import render_pdf
from accord.reports.transparency import (
    UNNAMED,
    set_report_opt_in,
    transparency_document,
    transparency_report,
)
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database
from tests.conftest import CliRun

TODAY = dt.datetime.now(dt.UTC).date()
INCIDENTS = ("eventid,iyear,imonth,iday,country_txt,attacktype1_txt,targtype1_txt,doubtterr,"
             "claimed\n{p}1,{y},1,2,Freedonia,Armed Assault,Business,0,1\n"
             "{p}2,{y},2,3,Freedonia,Armed Assault,Business,,\n")


@pytest.fixture
def busy(partners: Database, settings: Settings) -> Database:
    """Signals, a dispute, a retraction, a crisis, and incidents from A and B."""
    db, op = partners, Actor.operator()
    banks.bank_add(db, op, "a-bank", "Agency A", default_tlp="AMBER", channel="ab")
    for n, tlp in enumerate(("AMBER", "GREEN", "GREEN")):
        signals.signal_add(db, op, "a-bank", signals.SignalInput(
            "md5", f"{n:032x}", labels=(), tlp=tlp), settings)
    opinions.opinion_set(db, Actor("bea", partner_id=2, role=Role.REVIEWER), 1, "disagree",
                         "not terrorist content", settings)
    signals.signal_retract(db, op, 3, "mistake")
    for partner, prefix in (("Agency A", "A"), ("Platform B", "B")):
        service.incident_import(db, op, text_table(INCIDENTS.format(p=prefix, y=TODAY.year)),
                                service.Sharing(partner, "GREEN"))
    service.source_add(db, op, 1, "independent-media", TODAY)
    crisis.activate(db, op, settings, 1, "a-bank", "ab", ["mass-casualty"])
    return db


def _report(db: Database) -> dict[str, object]:
    return transparency_report(db, TODAY - dt.timedelta(days=1), TODAY, Actor.operator())


def test_each_section_counts_what_happened_in_the_period(busy: Database) -> None:
    data = _report(busy)
    assert data["signals_shared"] == {"total": 3, "by_type": {"md5": 3}, "by_label": {},
                                      "by_tlp": {"AMBER": 1, "GREEN": 2}}
    assert data["disputes"] == {"total": 1, "by_kind_and_outcome": {"disagree": {"active": 1}}}
    assert data["retractions"] == {"total": 1}
    assert data["crisis_activations"]["total"] == 1  # type: ignore[index]
    assert data["requests"]["total"] == 0  # type: ignore[index]


def _requests_answered_after(db: Database, hours: list[float]) -> None:
    """Agency A asks Platform B about a signal once per entry; B answers each after
    ``hours[i]`` hours (None: still open). Answer times are set as if time had passed."""
    op = Actor.operator()
    for n, wait in enumerate(hours):
        sent = requests.request_send(db, op, "Platform B", "review-disputed-label",
                                     ["signal:1"], from_partner="Agency A", channel="ab",
                                     tlp="AMBER")
        requests.request_answer(db, op, sent.id, "kept", decline=n == 0)
        with db.transaction() as session:
            row = session.get_one(m.CoopRequest, sent.id)
            row.created_at = m.utcnow() - dt.timedelta(hours=wait)
            row.answered_at = m.utcnow()
    requests.request_send(db, op, "Platform B", "review-disputed-label", ["signal:1"],
                          from_partner="Agency A", channel="ab", tlp="AMBER")


def test_requests_are_counted_by_status_and_purpose_with_answer_times(busy: Database) -> None:
    _requests_answered_after(busy, [1.0, 2.0, 4.0, 30.0])
    data = transparency_report(busy, TODAY - dt.timedelta(days=2), TODAY, Actor.operator())
    req = data["requests"]
    assert req["total"] == 5 and req["answered"] == 3
    assert req["by_status"] == {"answered": 3, "declined": 1, "open": 1}
    assert req["by_purpose"] == {"review-disputed-label": 5}
    assert req["median_answer_hours"] == 3.0
    assert req["p90_answer_hours"] == 30.0
    text = json.dumps(req) + render_html(transparency_document(data))
    assert "Agency A" not in text and "Platform B" not in text and "kept" not in text
    assert "90th percentile 30.0 hours" in text


def test_a_quiet_period_reports_zeros(busy: Database) -> None:
    data = transparency_report(busy, dt.date(2001, 1, 1), dt.date(2001, 12, 31),
                               Actor.operator())
    assert data["signals_shared"]["total"] == 0
    assert data["incident_sourcing"] == {"partners": []}


def test_no_partner_is_named_without_its_consent(busy: Database) -> None:
    text = json.dumps(_report(busy)) + render_html(transparency_document(_report(busy)))
    assert "Agency A" not in text and "Platform B" not in text
    [row] = _report(busy)["incident_sourcing"]["partners"]  # type: ignore[index]
    assert row["partner"] == f"{UNNAMED} (2)" and row["incidents"] == 4
    assert "bea" not in text and "operator" not in json.dumps(
        _report(busy)["disputes"])  # staff never appear


def test_a_partner_that_opted_in_is_named_with_its_own_facts(busy: Database) -> None:
    set_report_opt_in(busy, Actor.operator(), "Agency A", True)
    rows = {r["partner"]: r for r in _report(busy)["incident_sourcing"]["partners"]}  # type: ignore[index]
    assert rows["Agency A"]["incidents"] == 2 and rows["Agency A"]["with_source"] == 1
    assert rows["Agency A"]["with_independent_source"] == 1
    assert rows[f"{UNNAMED} (1)"]["incidents"] == 2
    [activation] = _report(busy)["crisis_activations"]["activations"]  # type: ignore[index]
    assert activation["activated_by"] == "Agency A"


def test_only_the_partners_admins_may_give_consent(busy: Database) -> None:
    member = sharing.member_add(busy, Actor.operator(), "Agency A", "ada", "curator")
    with pytest.raises(PermissionDenied):
        set_report_opt_in(busy, Actor("ada", member.partner_id, Role.CURATOR, member.id),
                          "Agency A", True)


def test_the_report_renders_as_pdf(busy: Database) -> None:
    assert render_pdf(transparency_document(_report(busy))).startswith(b"%PDF")


def test_the_report_command_writes_json_html_and_pdf(cli: CliRun, tmp_path: Path) -> None:
    cli("init")
    result = cli("report", "transparency", "--from", "2026-01-01", "--to", "2026-06-30",
                 "--out", str(tmp_path / "t"))
    assert result.exit_code == 0 and json.loads(result.stdout)["retractions"] == {"total": 0}
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == [
        "transparency-report.html", "transparency-report.json", "transparency-report.pdf"]
    bad = cli("report", "transparency", "--from", "June", "--to", "2026-06-30")
    assert bad.exit_code == 2 and "use YYYY-MM-DD" in bad.stderr
