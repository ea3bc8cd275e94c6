"""Fixing labels on the signal page: the owner edits labels (a refused edit keeps what was
typed), the platform disputes one label and reads the owner's reply in the thread, and
proposes a change the owner accepts."""

from __future__ import annotations

import html

from accord.config import Settings
from accord.curation import signals
from accord.curation.signals import SignalInput
from accord.sharing.roles import Actor
from accord.store.database import Database
from tests.web.conftest import Browser


def _signal(db: Database, settings: Settings) -> str:
    added = signals.signal_add(db, Actor.operator(), "a-images", SignalInput(
        "md5", "a" * 32, labels=("content:video", "behaviour:recruitment"), tlp="GREEN"),
        settings)
    return f"/signals/{added.id}"


def _text(response: object) -> str:
    return html.unescape(response.text)  # type: ignore[attr-defined]


def test_the_owner_edits_labels_and_a_refused_edit_keeps_what_was_typed(
        web: Browser, db: Database, settings: Settings) -> None:
    path = _signal(db, settings)
    web.sign_in("cyd")
    refused = web.post(path + "/labels", {"labels": "content:image; behaviour:nonsense",
                                          "reason": "a still"}, from_page=path)
    page = _text(refused)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert 'class="flash error"' in page and "nonsense" in page
    assert 'value="content:image; behaviour:nonsense"' in page and 'value="a still"' in page
    saved = web.post(path + "/labels", {"labels": "content:image", "reason": "a still"},
                     from_page=path)
    page = _text(saved)
    assert "Labels saved." in page
    assert "<code>content:image</code>" in page and "a still" in page  # the history
    web.sign_in("bea")
    assert "edit-labels" not in web.client.get(path).text  # not the owner: no edit form
    assert web.post(path + "/labels", {"labels": "content:video"},
                    from_page=path).status_code == 400  # type: ignore[attr-defined]


def test_a_label_dispute_and_its_thread_between_the_two_partners(
        web: Browser, db: Database, settings: Settings) -> None:
    path = _signal(db, settings)
    web.sign_in("bea")
    web.post(path + "/opinion", {"kind": "disagree", "label": "behaviour:recruitment",
                                 "note": "no call to join"}, from_page=path)
    page = _text(web.client.get(path))
    assert "label behaviour:recruitment" in page and "Dispute threads" in page
    dispute_id = page.split('id="dispute-', 1)[1].split('"', 1)[0]
    web.sign_in("cyd")
    replied = web.post(f"{path}/disputes/{dispute_id}/messages",
                       {"text": "The end card recruits."}, from_page=path)
    assert "Your message is sent." in _text(replied)
    empty = web.post(f"{path}/disputes/{dispute_id}/messages", {"text": " "}, from_page=path)
    assert empty.status_code == 400  # type: ignore[attr-defined]
    web.sign_in("bea")
    assert "The end card recruits." in _text(web.client.get(path))
    web.sign_in("rex")  # the owner's reader sees the thread, may not write in it
    page = _text(web.client.get(path))
    assert "The end card recruits." in page and f"disputes/{dispute_id}/messages" not in page


def test_a_proposal_from_the_page_is_accepted_by_the_owner(
        web: Browser, db: Database, settings: Settings) -> None:
    path = _signal(db, settings)
    web.sign_in("bea")
    wrong = web.post(path + "/proposals", {"add": "content:video", "remove": "",
                                           "reason": "it is a video"}, from_page=path)
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert 'value="it is a video"' in _text(wrong)
    sent = web.post(path + "/proposals", {"add": "content:image", "remove": "content:video",
                                          "reason": "a still image"}, from_page=path)
    assert "Your proposal is sent to the owner." in _text(sent)
    web.sign_in("cyd")
    page = _text(web.client.get(path))
    proposal_id = page.split('id="proposal-', 1)[1].split('"', 1)[0]
    done = web.post(f"{path}/proposals/{proposal_id}/answer",
                    {"decision": "accept", "reason": ""}, from_page=path)
    assert f"Proposal {proposal_id} accepted." in _text(done)
    web.sign_in("bea")
    page = _text(web.client.get(path))
    assert "accepted" in page and "<code>content:image</code>" in page


def test_the_disputes_page_lists_open_proposals_and_disputed_labels_for_the_owner(
        web: Browser, db: Database, settings: Settings) -> None:
    path = _signal(db, settings)
    web.sign_in("bea")
    web.post(path + "/proposals", {"add": "content:image", "remove": "",
                                   "reason": "a still image"}, from_page=path)
    web.post(path + "/opinion", {"kind": "disagree", "label": "behaviour:recruitment",
                                 "note": ""}, from_page=path)
    web.sign_in("cyd")
    page = _text(web.client.get("/disputes"))
    assert "label behaviour:recruitment" in page
    section = page.split('id="open-proposals"', 1)[1].split("</section>", 1)[0]
    assert "+content:image" in section and "a still image" in section
    assert f'href="{path}#proposal-' in section
