"""Liaison: dialogue rounds, agenda items tied to objects, action items and reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from accord import audit
from accord.cooperation import liaison
from accord.errors import Invalid, NotFound
from accord.store.database import Database
from tests.cooperation.conftest import CoopNode

HELD = dt.date(2026, 3, 10)


def _round(db: Database, coop: CoopNode) -> liaison.DialogueRecord:
    return liaison.dialogue_add(db, coop.north_curator, "North-South CT dialogue, round 4",
                                "senior-officials", HELD, ["Agency South"], venue="Nairobi",
                                channel="north-south")


def test_a_dialogue_has_an_agenda_about_existing_objects(db: Database, coop: CoopNode) -> None:
    dialogue = _round(db, coop)
    liaison.agenda_add(db, coop.south_reviewer, dialogue.id, "Designation of Sample Brigade",
                       "entity:fr-nat-7")
    shown = liaison.agenda_add(db, coop.north_curator, dialogue.id, "Shared hash bank",
                               "bank:north-media")
    assert [(a.title, a.ref) for a in shown.agenda] == [
        ("Designation of Sample Brigade", "entity:fr-nat-7"), ("Shared hash bank", "bank:1")]
    with pytest.raises(NotFound, match="no incident 5"):
        liaison.agenda_add(db, coop.north_curator, dialogue.id, "Attack review", "incident:5")
    with pytest.raises(NotFound):  # Platform P is not in the dialogue and AMBER hides it
        liaison.dialogue_get(db, coop.platform_reviewer, dialogue.id)


def test_action_items_belong_to_the_dialogues_partners_and_overdue_ones_are_reminded(
    db: Database, coop: CoopNode
) -> None:
    dialogue = _round(db, coop)
    late = liaison.action_add(db, coop.north_curator, dialogue.id,
                              "Share the review of label disputes", "Agency South",
                              HELD + dt.timedelta(days=30))
    liaison.action_add(db, coop.north_curator, dialogue.id, "Circulate the minutes",
                       "Agency North", HELD + dt.timedelta(days=90))
    with pytest.raises(Invalid, match="not in dialogue"):
        liaison.action_add(db, coop.north_curator, dialogue.id, "X", "Platform P", HELD)
    with pytest.raises(NotFound):  # Agency Third is outside the dialogue and its channel
        liaison.action_add(db, coop.third_curator, dialogue.id, "X", "Agency North", HELD)
    day = HELD + dt.timedelta(days=45)
    assert [a.id for a in liaison.reminders(db, coop.south_reviewer, day)] == [late.id]
    assert liaison.reminders(db, coop.north_curator, day) == []
    liaison.action_set_status(db, coop.south_reviewer, late.id, "done")
    assert liaison.reminders(db, coop.south_reviewer, day) == []
    assert [e.action for e in audit.events(db, object_type="action_item")] == [
        "action.add", "action.add", "action.status"]


def test_liaison_text_is_checked_for_personal_data(db: Database, coop: CoopNode) -> None:
    dialogue = _round(db, coop)
    with pytest.raises(Invalid, match="personal data"):
        liaison.agenda_add(db, coop.north_curator, dialogue.id, "Brief on Mr Haddad")
