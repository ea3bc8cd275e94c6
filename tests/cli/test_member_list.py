"""``accord member list PARTNER``: the ids, usernames and roles of a partner's members."""

from __future__ import annotations

from tests.conftest import CliRun


def test_member_list_shows_a_partners_members_to_the_operator_and_its_own(cli: CliRun) -> None:
    for args in (("partner", "add", "Agency A", "--kind", "agency", "--country", "FR"),
                 ("partner", "add", "Platform P", "--kind", "platform", "--country", "IE"),
                 ("member", "add", "Agency A", "amira", "--role", "admin"),
                 ("member", "add", "Agency A", "alice", "--role", "curator"),
                 ("member", "add", "Platform P", "pia", "--role", "reviewer")):
        assert cli(*args).exit_code == 0
    listed = cli("member", "list", "Agency A")
    assert listed.exit_code == 0, listed
    rows = [line for line in listed.stdout.splitlines() if "alice" in line or "amira" in line]
    assert len(rows) == 2 and "curator" in rows[0] and "admin" in rows[1]  # by username
    assert "pia" not in listed.stdout
    assert cli("--as", "alice", "member", "list", "Agency A").exit_code == 0
    other = cli("--as", "pia", "member", "list", "Agency A")
    assert other.exit_code != 0 and "Traceback" not in repr(other)
    missing = cli("member", "list", "No Such Partner")
    assert missing.exit_code == 2 and "Traceback" not in repr(missing)
