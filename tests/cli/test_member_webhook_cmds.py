"""``accord member deactivate/reactivate/list`` and ``accord webhook list/pause/resume/delete``."""

from __future__ import annotations

from accord import audit
from accord.store.database import Database
from tests.conftest import CliRun
from tests.sharing.test_deactivation import add_webhook


def _node(cli: CliRun) -> None:
    assert cli("init").exit_code == 0
    assert cli("partner", "add", "Agency A", "--kind", "agency", "--country", "FR").exit_code == 0
    assert cli("member", "add", "Agency A", "ada", "--role", "admin").exit_code == 0
    assert cli("member", "add", "Agency A", "cyd", "--role", "curator").exit_code == 0


def test_the_operator_deactivates_and_reactivates_a_member(cli: CliRun,
                                                           database_url: str) -> None:
    _node(cli)
    off = cli("member", "deactivate", "cyd")
    assert off.exit_code == 0 and "cyd deactivated" in off.stdout
    listed = cli("member", "list", "Agency A")
    rows = [[cell.strip() for cell in line.split("│")] for line in listed.stdout.splitlines()]
    # Columns: id, username, name, role, active, since.
    assert [[row[2], row[4], row[5]] for row in rows if "cyd" in row] == \
        [["cyd", "curator", "no"]]
    on = cli("member", "reactivate", "cyd")
    assert on.exit_code == 0 and "cyd reactivated" in on.stdout
    missing = cli("member", "deactivate", "nobody")
    assert missing.exit_code != 0 and "no member 'nobody'" in missing.stderr
    db = Database(database_url)
    try:
        assert [e.action for e in audit.tail(db, 2)] == ["member.deactivate",
                                                          "member.reactivate"]
    finally:
        db.dispose()


def test_a_member_acting_through_the_cli_may_not_deactivate_itself(cli: CliRun) -> None:
    _node(cli)
    refused = cli("--as", "ada", "member", "deactivate", "ada")
    assert refused.exit_code != 0 and "itself" in refused.stderr


def test_the_operator_lists_pauses_resumes_and_deletes_webhooks(cli: CliRun,
                                                                database_url: str) -> None:
    _node(cli)
    db = Database(database_url)
    try:
        hook = add_webhook(db, "Agency A")
    finally:
        db.dispose()
    assert "https://receiver.example/hook" in cli("webhook", "list", "Agency A").stdout
    assert f"Webhook {hook} paused" in cli("webhook", "pause", str(hook)).stdout
    assert "paused" in cli("webhook", "list", "Agency A").stdout
    assert f"Webhook {hook} resumed" in cli("webhook", "resume", str(hook)).stdout
    assert f"Webhook {hook} deleted" in cli("webhook", "delete", str(hook)).stdout
    gone = cli("webhook", "delete", str(hook))
    assert gone.exit_code != 0 and f"no webhook {hook}" in gone.stderr
