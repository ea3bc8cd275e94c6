"""Common, repetitive and username-bearing passwords are refused (NIST SP 800-63B)."""

from __future__ import annotations

import pytest

from accord.errors import Invalid
from accord.sharing import accounts, service
from accord.sharing.passwords import check_password, common_passwords
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.conftest import CliRun


@pytest.mark.parametrize(("password", "why"), [
    ("password1234", "most common"),        # on the list after its digits
    ("Password2024!", "most common"),       # case and the digits and symbols around it
    ("qwertyuiop12", "most common"),
    ("1q2w3e4r5t6y", "most common"),
    ("aaaaaaaaaaaa", "repeated or sequential"),
    ("123456789012", "repeated or sequential"),  # the digits wrap round
    ("abcdefghijklmn", "repeated or sequential"),
    ("abcabcabcabc", "repeated or sequential"),
    ("zyxwvutsrqpo", "repeated or sequential"),
    ("qwertyuiopasdf", "repeated or sequential"),
    ("zzzzzzzzzzzq!", "repeated or sequential"),
    ("cyd likes the sea", "username"),
    ("mynameisCYD2000", "username"),
])
def test_a_weak_password_is_refused_with_the_reason(password: str, why: str) -> None:
    with pytest.raises(Invalid, match=why) as refused:
        check_password(password, "cyd")
    assert refused.value.hint and "passphrase" in refused.value.hint


@pytest.mark.parametrize("password", [
    "correct horse battery staple", "a long enough password", "x9!kQ2#mLp7@",
    "Tr0ub4dor&3 is too clever", "zh: 春眠不觉晓处处闻啼鸟",
])
def test_a_varied_password_is_accepted(password: str) -> None:
    check_password(password, "cyd")


def test_the_shipped_list_holds_ten_thousand_common_passwords() -> None:
    common = common_passwords()
    assert len(common) >= 9000 and {"123456", "password", "qwerty", "iloveyou"} <= common


def test_setting_a_common_password_is_refused_everywhere(db: Database, cli: CliRun) -> None:
    op = Actor.operator()
    service.partner_add(db, op, "Agency A", "agency", "FR")
    service.member_add(db, op, "Agency A", "cyd", "curator")
    with pytest.raises(Invalid, match="most common"):
        accounts.member_set_password(db, op, "cyd", "iloveyou1234")
    with pytest.raises(Invalid, match="username"):
        accounts.member_set_password(db, op, "cyd", "cyd cyd cyd 2024")
    refused = cli("member", "password", "cyd", "--password", "aaaaaaaaaaaa")
    assert refused.exit_code == 2 and "repeated or sequential" in refused.stderr
