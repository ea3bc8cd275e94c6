"""Capacity-building programmes: due diligence before activation, no write access granted."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.config import Settings
from accord.cooperation import programmes
from accord.curation import signals
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.safeguards.personal_data import PersonalDataFound
from accord.store.database import Database
from tests.cooperation.conftest import CoopNode

START, END = dt.date(2026, 1, 1), dt.date(2027, 12, 31)


def _propose(db: Database, coop: CoopNode) -> programmes.ProgrammeRecord:
    return programmes.programme_add(
        db, coop.north_curator, "Online content moderation capacity", "Agency Third",
        "online-content", START, END, donors=["Agency South"],
        indicators=["hash-sharing workflow in use", "review queue staffed"])


def test_a_programme_without_an_assessment_cannot_be_activated(
    db: Database, coop: CoopNode
) -> None:
    proposed = _propose(db, coop)
    assert proposed.status == "proposed" and proposed.donors == ("Agency North",
                                                                 "Agency South")
    with pytest.raises(Conflict, match="no human-rights due-diligence assessment"):
        programmes.programme_set_status(db, coop.north_curator, proposed.id, "active")
    assert programmes.programme_get(db, coop.north_curator, proposed.id).status == "proposed"


def test_a_recorded_assessment_lets_a_donor_activate_it(db: Database, coop: CoopNode) -> None:
    proposed = _propose(db, coop)
    assessed = programmes.programme_assess(
        db, coop.north_curator, proposed.id,
        "Due diligence done: legal safeguards and oversight body reviewed; low risk.")
    assert assessed.assessed_by == "nora" and assessed.assessed_at is not None
    assert programmes.programme_set_status(db, coop.north_curator, proposed.id,
                                           "active").status == "active"
    with pytest.raises(Conflict, match="cannot become proposed"):
        programmes.programme_set_status(db, coop.north_curator, proposed.id, "proposed")


def test_beneficiaries_get_no_write_access_to_other_partners_banks(
    db: Database, coop: CoopNode, settings: Settings
) -> None:
    proposed = _propose(db, coop)
    programmes.programme_assess(db, coop.north_curator, proposed.id, "Assessed: low risk.")
    programmes.programme_set_status(db, coop.north_curator, proposed.id, "active")
    # A bank it may not know of (not in its channels, no signal it may see) is "not found",
    # as one that does not exist (issue 18: no existence oracles).
    with pytest.raises(NotFound, match="no bank 'north-media'"):
        signals.signal_add(db, coop.third_curator, "north-media",
                           signals.SignalInput("md5", "f" * 32), settings)
    # nor may it steer the programme itself
    with pytest.raises(PermissionDenied, match="only the programme's donors"):
        programmes.programme_set_status(db, coop.third_curator, proposed.id, "suspended")
    # but it sees the programme it benefits from
    assert [p.id for p in programmes.programme_list(db, coop.third_curator)] == [proposed.id]
    assert programmes.programme_list(db, coop.platform_reader) == []


def test_programme_input_is_checked(db: Database, coop: CoopNode) -> None:
    with pytest.raises(Invalid, match="programme area"):
        programmes.programme_add(db, coop.north_curator, "X", "Agency Third", "surveillance",
                                 START, END)
    with pytest.raises(Invalid, match="ends"):
        programmes.programme_add(db, coop.north_curator, "X", "Agency Third", "legal", END,
                                 START)
    with pytest.raises(Invalid, match="beneficiary cannot also be"):
        programmes.programme_add(db, coop.north_curator, "X", "Agency Third", "legal", START,
                                 END, donors=["Agency Third"])
    with pytest.raises(PersonalDataFound):
        programmes.programme_add(db, coop.north_curator, "Training for Dr Haddad",
                                 "Agency Third", "legal", START, END)
