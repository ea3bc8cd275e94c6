"""The cooperation commands, as a user types them."""

from __future__ import annotations

from pathlib import Path

from accord.store.database import Database
from tests.conftest import CliRun


def _node(cli: CliRun) -> None:
    assert cli("partner", "add", "Agency North", "--kind", "agency", "--country", "FR"
               ).exit_code == 0
    assert cli("partner", "add", "Agency South", "--kind", "agency", "--country", "KE"
               ).exit_code == 0
    assert cli("member", "add", "Agency North", "nora", "--role", "curator").exit_code == 0
    assert cli("member", "add", "Agency South", "sami", "--role", "curator").exit_code == 0
    assert cli("entity", "add", "Sample Brigade", "--ref", "sample-brigade",
               "--designation", "FR-NAT:FR-7:2019-05-02",
               "--designation", "KE-NAT:KE-3:2018-02-01:2023-09-30").exit_code == 0


def test_requests_from_the_command_line(cli: CliRun, db: Database) -> None:
    _node(cli)
    refused = cli("--as", "sami", "request", "send", "--to", "Agency North", "--purpose",
                  "clarify-designation-basis", "--ref", "entity:sample-brigade", "--text",
                  "passport X1234567")
    assert refused.exit_code == 2 and "a passport number" in refused.stderr
    assert "X1234567" not in refused.stderr
    no_ref = cli("--as", "sami", "request", "send", "--to", "Agency North", "--purpose",
                 "clarify-designation-basis")
    assert no_ref.exit_code == 2
    sent = cli("--as", "sami", "request", "send", "--to", "Agency North", "--purpose",
               "clarify-designation-basis", "--ref", "entity:sample-brigade")
    assert sent.exit_code == 0 and "Request 1: Agency South -> Agency North" in sent.stdout
    answered = cli("--as", "nora", "request", "answer", "1", "Listed by decree in 2019.")
    assert answered.exit_code == 0 and "answered by nora" in answered.stdout
    assert "answered" in cli("request", "list").stdout


def test_designations_liaison_and_programmes_from_the_command_line(
    cli: CliRun, db: Database
) -> None:
    _node(cli)
    view = cli("designations", "sample-brigade")
    assert view.exit_code == 0
    assert "FR-NAT" in view.stdout and "KE-NAT" in view.stdout
    assert "does not resolve them" in view.stdout
    assert cli("policy", "own-source", "FR-NAT", "--partner", "Agency North").exit_code == 0
    foreign = cli("policy", "set", "Agency South", "--source", "FR-NAT")
    assert foreign.exit_code == 2 and "another partner's own list" in foreign.stderr
    added = cli("--as", "nora", "liaison", "add", "CT dialogue 4", "--level", "expert",
                "--date", "2026-03-10", "--partner", "Agency South", "--venue", "Nairobi")
    assert added.exit_code == 0, added.stderr
    assert cli("--as", "nora", "liaison", "action", "1", "Exchange criteria", "--owner",
               "Agency South", "--due", "2026-04-01").exit_code == 0
    assert "OVERDUE action 1" in cli("--as", "sami", "liaison", "reminders", "--today",
                                     "2026-05-01").stdout
    assert cli("--as", "nora", "programme", "add", "Legal support", "--beneficiary",
               "Agency South", "--area", "legal", "--start", "2026-01-01", "--end",
               "2026-12-31").exit_code == 0
    early = cli("--as", "nora", "programme", "status", "1", "active")
    assert early.exit_code == 2 and "assessment" in early.stderr
    assert cli("--as", "nora", "programme", "assess", "1", "Low risk.").exit_code == 0
    assert "active" in cli("--as", "nora", "programme", "status", "1", "active").stdout


def test_statistics_purge_policy_and_bundle_commands(
    cli: CliRun, db: Database, tmp_path: Path
) -> None:
    _node(cli)
    cli("--as", "sami", "request", "send", "--to", "Agency North", "--purpose",
        "clarify-designation-basis", "--ref", "entity:sample-brigade")
    stats = cli("request", "stats", "--start", "2000-01-01", "--end", "2100-12-31")
    assert "1 sent, 0 answered, 0 declined, 1 open" in stats.stdout
    assert "clarify-designation-basis: 1" in stats.stdout
    assert "Purged 0 request(s)" in cli("request", "purge").stdout
    assert cli("policy", "show", "Agency South").stdout.strip() == (
        "Auto-action of Agency South's matches: not allowed (every match goes to its "
        "reviewers); accepted sources: UN-SC")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    taken = cli("bundle", str(tmp_path / "taken"))
    assert taken.exit_code == 2 and "not an empty folder" in taken.stderr
