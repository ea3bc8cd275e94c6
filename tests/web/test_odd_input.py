"""Odd numbers in an address or a form, and what another partner's signal page shows.

"²".isdigit() is true but int("²") fails, and 99999999999999999999 overflows an
INTEGER column: both must be a clear "not found" or a refusal, never a 500.
"""

from __future__ import annotations

from accord.config import Settings
from accord.curation import opinions
from accord.curation import signals as sig
from accord.sharing.roles import Actor
from accord.sharing.service import key_authenticate, key_create, member_add
from tests.web.conftest import Browser

HUGE = "99999999999999999999"
GIANT = "9" * 5000  # int() refuses text this long


def _page_error(web: Browser, path: str) -> int:
    page = web.client.get(path)
    assert page.status_code in (400, 404), (path, page.status_code, page.text[:300])
    assert 'class="flash error"' in page.text and "<html" in page.text, path
    return page.status_code


def _form_error(web: Browser, path: str, data: dict[str, str], from_page: str) -> None:
    answer = web.post(path, data, from_page=from_page)
    assert answer.status_code == 200, (path, data, answer.status_code)  # type: ignore[attr-defined]
    assert answer.url.path == from_page, (path, data)  # type: ignore[attr-defined]
    assert 'class="flash error"' in answer.text, (path, data)  # type: ignore[attr-defined]


def test_an_odd_id_in_an_address_is_not_found_and_an_odd_filter_is_refused(
    web: Browser,
) -> None:
    web.sign_in("ada")
    for ident in ("²", "٣", HUGE, GIANT, "-1"):
        assert _page_error(web, f"/signals/{ident}") == 404, ident
    for ident in (HUGE, "2147483648", GIANT):
        for path in (f"/incidents/{ident}", f"/cooperation/liaison/{ident}",
                     f"/admin/webhooks/{ident}"):
            assert _page_error(web, path) == 404, path
    for query in (f"/signals?after={HUGE}", "/signals?after=²", f"/incidents?after={HUGE}",
                  "/incidents?after=²", "/incidents?first_year=²", f"/audit?before={HUGE}",
                  "/reports/flows?first_year=²&last_year=2020"):
        assert _page_error(web, query) == 400, query


def test_an_odd_id_or_number_in_a_form_comes_back_as_a_message(web: Browser) -> None:
    web.sign_in("ada")
    for ident in (HUGE, "²"):
        _form_error(web, f"/review/{ident}/claim", {}, "/review")
        _form_error(web, f"/review/{ident}/decide", {"decision": "confirm"}, "/review")
        _form_error(web, f"/signals/{ident}/retract", {"reason": "x"}, "/signals")
        _form_error(web, f"/admin/keys/{ident}/revoke", {}, "/admin")
        _form_error(web, "/incidents/crises", {"incident_id": ident, "criteria": "x"},
                    "/incidents/crises")
    for ident in (HUGE, GIANT):
        _form_error(web, f"/incidents/crises/{ident}/close", {"debrief": "x"},
                    "/incidents/crises")
    # Not digits at all: no such address.
    assert web.post("/incidents/crises/²/close", {"debrief": "x"},
                    from_page="/incidents/crises").status_code == 404  # type: ignore[attr-defined]
    for quality in ("²", HUGE):
        _form_error(web, "/signals", {"bank": "a-images", "signal_type": "pdq",
                                      "value": "f" * 64, "quality": quality}, "/signals")


def test_another_partners_staff_stay_anonymous_on_a_signal_page(
    web: Browser, settings: Settings
) -> None:
    """The trail and the opinions name only the viewer's own partner's members."""
    op = Actor.operator()
    cyd = key_authenticate(web.db, key_create(web.db, op, "cyd").secret)
    added = sig.signal_add(web.db, cyd, "a-images", sig.SignalInput("md5", "f" * 32), settings)
    bea = member_add(web.db, op, "Platform B", "bea2", "reviewer")
    opinions.opinion_set(web.db, key_authenticate(web.db, key_create(web.db, op, "bea2").secret),
                         added.id, "disagree", "wrong label", settings)
    sig.signal_retract(web.db, cyd, added.id, "superseded")

    web.sign_in("ada")  # Agency A, the owner
    page = web.client.get(f"/signals/{added.id}").text
    assert "opinion.set" in page and "signal.retract" in page
    assert "bea2" not in page and f"partner={bea.partner_id}" not in page
    assert "someone outside your partner" in page
    assert "superseded" in page  # its own staff's events keep their details

    web.sign_in("bob")  # Platform B sees its own member, not A's
    page = web.client.get(f"/signals/{added.id}").text
    assert "bea2" in page and "superseded" not in page
