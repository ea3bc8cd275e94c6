"""A reference's id is a row id: odd digits or huge numbers are refused, never a crash."""

from __future__ import annotations

import pytest

from accord.cooperation import requests
from accord.errors import Invalid
from accord.store.database import Database
from tests.cooperation.conftest import CoopNode


def test_a_reference_with_odd_digits_or_a_huge_id_is_refused_as_not_a_number(
    db: Database, coop: CoopNode
) -> None:
    # "²".isdigit() is true but int("²") fails; 2**31 overflows the INTEGER column;
    # int() refuses 5,000 digits.
    for key in ("²", "٣", "99999999999999999999", "2147483648", "9" * 5000, "0", "-1"):
        for kind in ("signal", "incident", "flow", "programme"):
            with pytest.raises(Invalid, match=f"{kind} reference .* is not a number"):
                requests.request_send(db, coop.north_curator, "Agency South",
                                      "review-disputed-label", [f"{kind}:{key}"])
