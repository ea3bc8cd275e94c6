"""The review page as a desk, over HTTP: counts, filters, a case's verdict, undo, the
template form that keeps what was typed, and the reviewer's preview preference."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from accord.config import Settings
from accord.curation import signals
from accord.matching.service import MatchedSignal
from accord.review import service as review
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database
from tests.web.conftest import Browser


def _matched(db: Database, settings: Settings, refs: list[str]) -> list[int]:
    with db.reader() as session:
        bea = session.execute(select(m.Member).where(m.Member.username == "bea")).scalar_one()
        actor = Actor(bea.username, bea.partner_id, Role(bea.role), bea.id)
    ids = []
    for i, ref in enumerate(refs):
        sig = signals.signal_add(db, Actor.operator(), "a-images", signals.SignalInput(
            "md5", f"{i:032x}", tlp="AMBER", labels=("behaviour:recruitment",)), settings)
        [rec] = review.record_matches(db, actor, ref, [MatchedSignal(
            sig.id, "md5", sig.value, 0, "a-images", sig.labels, "AMBER", False)])
        ids.append(rec.id)
    return ids


def test_tabs_count_every_state_and_a_case_is_decided_in_one_go(
    web: Browser, db: Database, settings: Settings
) -> None:
    _matched(db, settings, ["case-1", "case-1", "solo"])
    web.sign_in("bea")
    page = web.client.get("/review").text
    assert "Case case-1" in page and page.count('class="card match"') == 3
    assert '<span class="count">3</span>' in page  # pending
    web.post("/review/case", {"content_ref": "case-1", "decision": "confirm", "rationale": "",
                              "back": "/review?state=pending"}, from_page="/review")
    after = web.client.get("/review").text
    assert "case-1" not in after and "solo" in after
    confirmed = web.client.get("/review?state=confirmed").text
    assert confirmed.count('class="card match"') == 2


def test_filters_narrow_the_queue_and_a_bad_one_is_a_clear_error(
    web: Browser, db: Database, settings: Settings
) -> None:
    _matched(db, settings, ["one"])
    web.sign_in("bea")
    assert "one" in web.client.get("/review?label=behaviour:recruitment&age=last-day").text
    assert "Nothing to review." in web.client.get("/review?label=behaviour:threat").text
    bad = web.client.get("/review?age=someday")
    assert bad.status_code == 400 and "age" in bad.text


def test_a_verdict_offers_undo_and_undo_puts_the_match_back(
    web: Browser, db: Database, settings: Settings
) -> None:
    [match_id] = _matched(db, settings, ["one"])
    web.sign_in("bea")
    answer = web.post(f"/review/{match_id}/decide", {"decision": "confirm", "rationale": "",
                                                     "back": "/review"}, from_page="/review")
    page = answer.text  # type: ignore[attr-defined]
    assert 'id="undo-box"' in page and f"/review/{match_id}/undo" in page
    web.post(f"/review/{match_id}/undo", {"back": "/review"}, from_page="/review")
    assert review.match_get(db, Actor.operator(), match_id).state == "pending"


def test_a_refused_template_comes_back_as_typed_and_a_good_one_is_saved(web: Browser) -> None:
    web.sign_in("bob")  # Platform B's admin
    typed = "http://media.b.example/{content_ref}"
    answer = web.post("/review/content-url", {"template": typed, "back": "/review"},
                      from_page="/review")
    page = unescape(answer.text)  # type: ignore[attr-defined]
    assert "https://" in page and f'value="{typed}"' in page
    web.post("/review/content-url", {"template": "https://media.b.example/{content_ref}",
                                     "back": "/review"}, from_page="/review")
    assert 'value="https://media.b.example/{content_ref}"' in unescape(
        web.client.get("/review").text)


def test_a_reviewer_chooses_to_see_previews_unblurred(web: Browser, db: Database,
                                                      settings: Settings) -> None:
    web.sign_in("bob")
    web.post("/review/content-url", {"template": "https://media.b.example/{content_ref}",
                                     "back": "/review"}, from_page="/review")
    _matched(db, settings, ["one"])
    web.sign_in("bea")
    assert 'class="preview"' in web.client.get("/review").text
    web.post("/review/preferences", {"reveal_previews": "on", "back": "/review"},
             from_page="/review")
    assert 'class="preview revealed"' in web.client.get("/review").text
