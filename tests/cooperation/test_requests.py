"""Requests between partners: typed, referencing objects, free of personal data, answered."""

from __future__ import annotations

import datetime as dt

import pytest

from accord import audit
from accord.config import Settings
from accord.cooperation import requests
from accord.cooperation.requests import Period
from accord.curation import signals
from accord.errors import Conflict, Invalid, NotFound, PermissionDenied
from accord.safeguards.personal_data import PersonalDataFound
from accord.sharing.roles import Actor
from accord.store import models as m
from accord.store.database import Database
from tests.cooperation.conftest import CoopNode


@pytest.mark.parametrize("text", [
    "Please check passport number X1234567 against your records.",
    "Our liaison can be reached on +254 712 345 678.",
    "Is John Smith linked to this group?",
])
def test_a_request_with_a_passport_number_phone_number_or_personal_name_is_refused(
    db: Database, coop: CoopNode, text: str
) -> None:
    with pytest.raises(PersonalDataFound, match="looks like it holds personal data"):
        requests.request_send(db, coop.north_curator, "Agency South", "clarify-designation-basis",
                              ["entity:qde-901"], text)
    assert requests.request_list(db, Actor.operator()) == []


def test_a_request_without_a_referenced_object_is_refused(db: Database, coop: CoopNode) -> None:
    with pytest.raises(Invalid, match="must reference at least one Accord object"):
        requests.request_send(db, coop.north_curator, "Agency South",
                              "clarify-designation-basis", [], "What is the basis?")


def test_the_reference_must_fit_the_purpose_and_exist(db: Database, coop: CoopNode) -> None:
    with pytest.raises(Invalid, match="must reference a signal"):
        requests.request_send(db, coop.north_curator, "Agency South", "review-disputed-label",
                              ["entity:qde-901"])
    with pytest.raises(NotFound, match="no entity"):
        requests.request_send(db, coop.north_curator, "Agency South",
                              "clarify-designation-basis", ["entity:no-such-group"])
    with pytest.raises(NotFound, match="no incident 99"):
        requests.request_send(db, coop.north_curator, "Agency South", "share-hashes-for-incident",
                              ["incident:99"])
    with pytest.raises(Invalid, match="object type"):
        requests.request_send(db, coop.north_curator, "Agency South", "review-disputed-label",
                              ["person:1"])


def test_no_purpose_is_aimed_at_a_person(db: Database, coop: CoopNode) -> None:
    assert all("person" not in p.value and "individual" not in p.value
               for p in requests.Purpose)
    with pytest.raises(Invalid, match="request purpose"):
        requests.request_send(db, coop.north_curator, "Agency South", "locate-person",
                              ["entity:qde-901"])


def test_an_object_the_sender_may_not_see_cannot_be_referenced(
    db: Database, coop: CoopNode, settings: Settings
) -> None:
    red = signals.signal_add(db, coop.north_curator, "north-media",
                             signals.SignalInput("md5", "e" * 32, tlp="RED"), settings)
    with pytest.raises(NotFound, match=f"no signal {red.id}"):
        requests.request_send(db, coop.platform_reviewer, "Agency North",
                              "review-disputed-label", [f"signal:{red.id}"])


def test_a_request_is_answered_by_its_recipient_with_a_time_to_answer(
    db: Database, coop: CoopNode
) -> None:
    sent = requests.request_send(db, coop.south_reviewer, "Agency North",
                                 "review-disputed-label", [f"signal:{coop.signal_id}"],
                                 "We see news coverage matching this hash.")
    assert (sent.status, sent.refs, sent.tlp) == ("open", (f"signal:{coop.signal_id}",),
                                                  "AMBER+STRICT")
    with pytest.raises(PermissionDenied, match="only the partner it was sent to"):
        requests.request_answer(db, coop.south_reviewer, sent.id, "answering myself")
    with pytest.raises(NotFound):
        requests.request_get(db, coop.platform_reviewer, sent.id)
    answered = requests.request_answer(db, coop.north_curator, sent.id,
                                       "Label reviewed; the hash stays, context added.")
    assert answered.status == "answered" and answered.answered_by == "nora"
    assert answered.hours_to_answer is not None and answered.hours_to_answer >= 0
    with pytest.raises(Conflict, match="already answered"):
        requests.request_answer(db, coop.north_curator, sent.id, "again")
    assert [e.action for e in audit.events(db, object_type="request")] == [
        "request.send", "request.answer"]


def test_statistics_count_requests_and_answer_times_of_a_period(
    db: Database, coop: CoopNode
) -> None:
    first = requests.request_send(db, coop.south_reviewer, "Agency North",
                                  "clarify-designation-basis", ["entity:fr-nat-7"])
    requests.request_send(db, coop.south_reviewer, "Agency North", "review-disputed-label",
                          [f"signal:{coop.signal_id}"])
    requests.request_answer(db, coop.north_curator, first.id, "Listed nationally in 2019.")
    today = dt.datetime.now(dt.UTC).date()
    stats = requests.request_statistics(db, Period(today, today))
    assert (stats.sent, stats.answered, stats.open) == (2, 1, 1)
    assert stats.by_purpose == {"clarify-designation-basis": 1, "review-disputed-label": 1}
    assert stats.median_hours_to_answer is not None
    earlier = requests.request_statistics(db, Period(today - dt.timedelta(days=9),
                                                     today - dt.timedelta(days=1)))
    assert earlier.sent == 0 and earlier.median_hours_to_answer is None


def test_requests_past_the_retention_limit_are_purged(
    db: Database, coop: CoopNode, settings: Settings
) -> None:
    old = requests.request_send(db, coop.south_reviewer, "Agency North",
                                "clarify-designation-basis", ["entity:qde-901"])
    kept = requests.request_send(db, coop.south_reviewer, "Agency North",
                                 "clarify-designation-basis", ["entity:qde-901"])
    with db.transaction() as session:
        session.get_one(m.CoopRequest, old.id).created_at = m.utcnow() - dt.timedelta(
            days=settings.request_retention_days + 1)
    with pytest.raises(PermissionDenied):
        requests.purge_requests(db, coop.north_admin, settings)
    assert requests.purge_requests(db, Actor.operator(), settings) == 1
    assert [r.id for r in requests.request_list(db, Actor.operator())] == [kept.id]
    assert audit.verify(db).ok
