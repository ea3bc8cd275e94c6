"""Public statements on incidents: recorded by their own partner, checked, TLP-marked,
audited, shown as facts (whether and when each opted-in partner spoke)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord import audit
from accord.errors import Conflict, Invalid, PermissionDenied
from accord.incidents import service
from accord.incidents import statements as st
from accord.reports.transparency import set_report_opt_in
from accord.safeguards.personal_data import PersonalDataFound
from accord.sharing import service as sharing
from accord.sharing.roles import Actor, Role
from accord.store.database import Database

OP = Actor.operator()
FIELDS = {"iyear": "2026", "imonth": "3", "iday": "14", "country_txt": "France",
          "attacktype1_txt": "Bombing/Explosion", "targtype1_txt": "Transportation"}
URL = "https://www.agency-a.example/press/2026-03-14"


def member(db: Database, partner: str, username: str, role: str = "curator") -> Actor:
    """A member of ``partner`` acting."""
    sharing.member_add(db, OP, partner, username, role)
    partner_id = 1 if partner == "Agency A" else 2 if partner == "Platform B" else 3
    return Actor(username, partner_id, Role(role))


def incident(db: Database, tlp: str = "GREEN", channel: str | None = None,
             owner: str = "Agency A", eventid: str = "202603140001") -> int:
    """An incident of 14 March 2026 in France."""
    return service.incident_add(db, OP, {**FIELDS, "eventid": eventid},
                                service.Sharing(owner, tlp, channel)).id


def condemnation(hours: float = 6.5, **extra: str) -> st.Said:
    """A condemnation made ``hours`` after the start of the incident's day."""
    when = dt.datetime(2026, 3, 14, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
    return st.Said("condemnation", when, extra.get("language", "fr"), URL,
                   extra.get("text", "We condemn this attack on travellers."))


def test_a_partner_records_its_statement_and_its_hours_after_the_incident(
        partners: Database) -> None:
    ada = member(partners, "Agency A", "ada")
    found = incident(partners)
    said = st.statement_add(partners, ada, found, "Agency A", condemnation(30.25))
    assert (said.kind, said.language, said.url, said.tlp) == ("condemnation", "fr", URL, "GREEN")
    assert said.hours_after == 30.2 or said.hours_after == 30.3
    [listed] = st.statement_list(partners, ada, found)
    assert listed.id == said.id and listed.speaker == "Agency A"
    events = [e for e in audit.events(partners) if e.action == "incident.statement.add"]
    assert len(events) == 1 and events[0].details["kind"] == "condemnation"


def test_a_partner_may_record_that_it_made_none_but_not_after_speaking(
        partners: Database) -> None:
    bea = member(partners, "Platform B", "bea")
    found = incident(partners)
    none = st.statement_add(partners, bea, found, "Platform B", st.Said("none"))
    assert none.kind == "none" and none.spoken_at is None and none.hours_after is None
    st.statement_add(partners, bea, found, "Platform B", st.Said(
        "statement of concern", dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC), "en",
        "https://platform-b.example/blog/march"))
    with pytest.raises(Conflict, match="has recorded a statement"):
        st.statement_add(partners, bea, found, "Platform B", st.Said("none"))


def test_a_partner_cannot_record_a_statement_for_another_partner(partners: Database) -> None:
    bea = member(partners, "Platform B", "bea")
    found = incident(partners)
    with pytest.raises(PermissionDenied, match="belongs to another partner"):
        st.statement_add(partners, bea, found, "Agency A", condemnation())
    reader = member(partners, "Agency A", "reed", "reader")
    with pytest.raises(PermissionDenied):
        st.statement_add(partners, reader, found, "Agency A", condemnation())


@pytest.mark.parametrize("text", [
    "Our thoughts are with John Smith and his family.",
    "For questions call +33 6 12 34 56 78.",
])
def test_a_statement_text_holding_a_name_or_a_phone_number_is_refused(
        partners: Database, text: str) -> None:
    ada = member(partners, "Agency A", "ada")
    found = incident(partners)
    with pytest.raises(PersonalDataFound):
        st.statement_add(partners, ada, found, "Agency A", condemnation(text=text))
    assert st.statement_list(partners, ada, found) == []


@pytest.mark.parametrize(("given", "why"), [
    ({"language": "english language"}, "BCP 47"),
    ({"url": "javascript:alert(1)"}, "public http"),
    ({"url": "ftp://example.org/x"}, "public http"),
    ({"spoken_at": dt.datetime(2026, 3, 14, 9)}, "time zone"),
    ({"spoken_at": dt.datetime(2026, 3, 1, tzinfo=dt.UTC)}, "before the incident"),
    ({"spoken_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "in the future"),
    ({"kind": "praise"}, "not known"),
    ({"url": ""}, "needs the time"),
])
def test_a_statement_is_checked_before_it_is_recorded(
        partners: Database, given: dict[str, object], why: str) -> None:
    ada = member(partners, "Agency A", "ada")
    found = incident(partners)
    base = condemnation()
    said = st.Said(str(given.get("kind", base.kind)),
                   given.get("spoken_at", base.spoken_at),  # type: ignore[arg-type]
                   str(given.get("language", base.language)), str(given.get("url", base.url)))
    with pytest.raises(Invalid, match=why):
        st.statement_add(partners, ada, found, "Agency A", said)


@pytest.mark.parametrize(("given", "tag"), [
    ("zh_hans", "zh-Hans"), ("ar", "ar"), ("en-gb", "en-GB"), ("es-419", "es-419"),
    ("ZH-hans-cn", "zh-Hans-CN"), ("fr-x-legal", "fr-x-legal"),
])
def test_languages_are_bcp47_tags_in_their_canonical_case(given: str, tag: str) -> None:
    assert st.language_tag(given) == tag


def test_a_statement_is_never_marked_more_loosely_than_its_incident(
        partners: Database) -> None:
    ada = member(partners, "Agency A", "ada")
    found = incident(partners, "AMBER", "ab")
    with pytest.raises(Invalid, match="may not be marked TLP:GREEN"):
        st.statement_add(partners, ada, found, "Agency A", condemnation(), tlp="GREEN")
    said = st.statement_add(partners, ada, found, "Agency A", condemnation())
    assert (said.tlp, said.channel_id) == ("AMBER", 1)


def test_others_see_a_statement_only_with_the_opt_in_and_as_its_tlp_allows(
        partners: Database) -> None:
    ada = member(partners, "Agency A", "ada")
    bea = member(partners, "Platform B", "bea")
    cy = member(partners, "NGO C", "cy")
    found = incident(partners)
    st.statement_add(partners, ada, found, "Agency A", condemnation())
    red = incident(partners, eventid="202603140002")
    st.statement_add(partners, ada, red, "Agency A", condemnation(), tlp="AMBER", channel="ab")
    assert len(st.statement_list(partners, ada, found)) == 1  # its own, always
    assert st.statement_list(partners, bea, found) == []  # not opted in: not shown
    set_report_opt_in(partners, OP, "Agency A", True)
    assert len(st.statement_list(partners, bea, found)) == 1
    assert len(st.statement_list(partners, bea, red)) == 1  # AMBER in channel ab
    assert st.statement_list(partners, cy, red) == []  # NGO C is not in channel ab


def test_facts_name_only_partners_that_opted_in(partners: Database) -> None:
    ada = member(partners, "Agency A", "ada")
    bea = member(partners, "Platform B", "bea")
    cy = member(partners, "NGO C", "cy")
    found = incident(partners)
    st.statement_add(partners, ada, found, "Agency A", condemnation(6))
    st.statement_add(partners, bea, found, "Platform B", st.Said("none"))
    st.statement_add(partners, cy, found, "NGO C", condemnation(2, language="en"))
    set_report_opt_in(partners, OP, "Agency A", True)
    set_report_opt_in(partners, OP, "Platform B", True)
    [facts] = st.statement_facts(partners, OP, [found])
    assert [(f.partner, f.status, f.hours_after) for f in facts.partners] == [
        ("Agency A", "spoke", 6.0), ("Platform B", "none", None)]
    assert "NGO C" not in repr(facts)


def test_every_exit_shows_a_statement_as_its_tlp_allows_and_no_further(
        partners: Database) -> None:
    """The page and API (``statement_list``), the report (``statement_facts``) and a TAXII
    page (``served_rows``, what may leave) against the rule, for each TLP and viewer."""
    from accord.exchange.statement_stix import served_rows
    from accord.sharing.tlp import Tlp
    from accord.sharing.visibility import Marking, Purpose, may_see, viewer_for

    ada = member(partners, "Agency A", "ada")
    viewers = {"Agency A": ada, "Platform B": member(partners, "Platform B", "bea"),
               "NGO C": member(partners, "NGO C", "cy")}
    set_report_opt_in(partners, OP, "Agency A", True)
    found = incident(partners, "CLEAR")
    marked = {}
    for number, tlp in enumerate(Tlp, start=1):
        said = st.statement_add(partners, ada, found, "Agency A", condemnation(number),
                                tlp=tlp.value, channel="ab")
        marked[said.id] = said
    for name, actor in viewers.items():
        with partners.reader() as session:
            viewer = viewer_for(session, actor.partner_id)
            leaving = {r.id for t in Tlp for r in served_rows(session, viewer, t, None, 0, 100)}
        listed = {s.id for s in st.statement_list(partners, actor, found)}
        [facts] = st.statement_facts(partners, actor, [found]) or [None]
        seen = {i for i, s in marked.items() if may_see(viewer, Marking(
            1, s.tlp, s.channel_id))}
        assert listed == seen, name
        assert facts is not None and facts.partners[0].hours_after == min(
            marked[i].hours_after or 0 for i in seen), name
        may_leave = {i for i, s in marked.items() if may_see(viewer, Marking(
            1, s.tlp, s.channel_id), Purpose.LEAVE_NODE) and name != "Agency A"}
        assert leaving == may_leave, name
    assert len({s.id for s in st.statement_list(partners, viewers["NGO C"], found)}) == 2


def test_the_incident_report_html_and_pdf_show_when_each_opted_in_partner_spoke(
        partners: Database) -> None:
    import io

    import pypdf

    from accord.incidents import analytics as an
    from accord.incidents.report import incident_analysis
    from accord.reports.html import render_html
    from accord.reports.incident_report import analysis_document
    from accord.reports.pdf import render_pdf

    ada = member(partners, "Agency A", "ada")
    cy = member(partners, "NGO C", "cy")
    found = incident(partners)
    st.statement_add(partners, ada, found, "Agency A", condemnation(30))
    st.statement_add(partners, cy, found, "NGO C", condemnation(2, language="en"))
    set_report_opt_in(partners, OP, "Agency A", True)
    set_report_opt_in(partners, OP, "Platform B", True)
    analysis = incident_analysis(partners, OP, service.Scope(), an.Period(2026, 2026), (19,))
    doc = analysis_document(analysis)
    html = render_html(doc)
    assert "Public statements" in html and "2026-03-15 06:00 UTC" in html and "30.0" in html
    assert "Platform B" in html and "nothing recorded" in html and "NGO C" not in html
    pdf = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages)
    assert "Public statements" in pdf and "30.0" in pdf and "NGO C" not in pdf


def test_opting_in_sends_the_statements_recorded_before_to_peers_past_them(
        partners: Database) -> None:
    from accord.exchange.statement_stix import served_rows
    from accord.sharing.tlp import Tlp
    from accord.sharing.visibility import viewer_for

    ada = member(partners, "Agency A", "ada")
    found = incident(partners)
    first = st.statement_add(partners, ada, found, "Agency A", condemnation())
    later = incident(partners, eventid="202603140009")
    st.statement_add(partners, ada, later, "Agency A", condemnation(7))

    def served(after: int) -> list[int]:
        with partners.reader() as session:
            rows = served_rows(session, viewer_for(session, 2), Tlp.GREEN, None, after, 100)
            return [r.sync_seq for r in rows]

    assert served(0) == []  # not opted in: nothing leaves
    set_report_opt_in(partners, OP, "Agency A", True)
    assert len(served(2)) == 2  # a peer whose cursor is past both receives them now
    assert first.id == 1


def test_a_record_of_no_statement_is_kept_once(partners: Database) -> None:
    bea = member(partners, "Platform B", "bea")
    found = incident(partners)
    st.statement_add(partners, bea, found, "Platform B", st.Said("none"))
    with pytest.raises(Conflict, match="already there"):
        st.statement_add(partners, bea, found, "Platform B", st.Said("none"))
