"""``accord channel invite/invitations/accept/decline/withdraw``, and ``channel join`` as a
partner's admin, read like a shell session."""

from __future__ import annotations

from tests.conftest import CliRun


def _setup(cli: CliRun) -> None:
    for args in (
        ("partner", "add", "Agency A", "--kind", "agency", "--country", "FR"),
        ("partner", "add", "Platform P", "--kind", "platform", "--country", "IE"),
        ("member", "add", "Agency A", "ada", "--role", "admin"),
        ("member", "add", "Platform P", "pat", "--role", "admin"),
        ("member", "add", "Platform P", "pia", "--role", "reader"),
        ("channel", "add", "amber-one", "--owner", "Agency A"),
    ):
        assert cli(*args).exit_code == 0, args


def test_a_partner_admins_join_invites_and_the_partner_accepts(cli: CliRun) -> None:
    _setup(cli)
    invited = cli("--as", "ada", "channel", "join", "amber-one", "Platform P")
    assert invited.exit_code == 0, invited
    assert ("Invited Platform P to channel amber-one (invitation 1); it joins when its admin "
            "accepts: accord channel accept 1") in " ".join(invited.stdout.split())
    assert "amber-one" not in cli("--as", "pat", "channel", "list").stdout
    listed = cli("--as", "pat", "channel", "invitations", "--state", "pending")
    assert "amber-one" in listed.stdout and "pending" in listed.stdout
    refused = cli("--as", "pia", "channel", "accept", "1")
    assert refused.exit_code == 2 and "role reader" in refused.stderr
    accepted = cli("--as", "pat", "channel", "accept", "1")
    assert accepted.exit_code == 0 and "Joined channel amber-one" in accepted.stdout
    assert "amber-one" in cli("--as", "pat", "channel", "list").stdout
    again = cli("--as", "pat", "channel", "decline", "1")
    assert again.exit_code == 2 and "already accepted" in again.stderr


def test_invite_decline_withdraw_and_unknown_ids(cli: CliRun) -> None:
    _setup(cli)
    assert cli("--as", "ada", "channel", "invite", "amber-one", "Platform P").exit_code == 0
    double = cli("--as", "ada", "channel", "invite", "amber-one", "Platform P")
    assert double.exit_code == 2 and "already has a pending invitation" in double.stderr
    declined = cli("--as", "pat", "channel", "decline", "1")
    assert declined.exit_code == 0 and "declined" in declined.stdout
    assert cli("--as", "ada", "channel", "invite", "amber-one", "Platform P").exit_code == 0
    withdrawn = cli("--as", "ada", "channel", "withdraw", "2")
    assert withdrawn.exit_code == 0 and "withdrawn" in withdrawn.stdout
    missing = cli("--as", "pat", "channel", "accept", "99")
    assert missing.exit_code == 2 and "no channel invitation 99" in missing.stderr
    assert "Traceback" not in repr(missing)
