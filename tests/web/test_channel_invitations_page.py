"""The admin page's channel invitations: Agency A (ada) invites Outsider C; C's admin (cal)
accepts or declines; a partner not party to an invitation finds it exactly as a missing
one."""

from __future__ import annotations

import re
from html import unescape

import pytest

from accord.sharing import invitations, service
from accord.sharing.roles import Actor
from accord.store import records as r
from accord.store.database import Database
from tests.web.conftest import Browser

OP = Actor.operator()


@pytest.fixture
def outsider(db: Database) -> int:
    """Outsider C and its admin cal; the partner's id."""
    made = service.partner_add(db, OP, "Outsider C", "ngo", "KE")
    service.member_add(db, OP, "Outsider C", "cal", "admin")
    return made.id


def _invite(db: Database) -> r.ChannelInvitation:
    return invitations.channel_invite(db, OP, "ab", "Outsider C")


def _channel_ab(db: Database) -> int:
    return next(c.id for c in service.channel_list(db, OP) if c.name == "ab")


def _flash(page: str) -> str:
    found = re.search(r'class="flash (?:ok|error)".*?</div>', page, re.S)
    assert found is not None, "no message on the page"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def test_an_admin_invites_withdraws_and_finds_no_other_invitation(
    web: Browser, db: Database, outsider: int
) -> None:
    web.sign_in("ada")
    sent = web.post(f"/admin/channels/{_channel_ab(db)}/invitations",
                    {"partner": str(outsider)}, from_page="/admin")
    assert "Invitation to ab sent; the partner joins when its admin accepts." in _flash(
        sent.text)  # type: ignore[attr-defined]
    page = sent.text  # type: ignore[attr-defined]
    outgoing = page[page.index('id="outgoing-invitations"'):]
    assert "to Outsider C" in outgoing and "Withdraw" in outgoing
    assert [c.name for c in service.channel_list(db, Actor("cal", outsider))] == []
    made = invitations.invitation_list(db, OP)[0]
    withdrawn = web.post(f"/admin/channel-invitations/{made.id}/withdraw", {},
                         from_page="/admin")
    assert "Invitation to ab withdrawn." in _flash(withdrawn.text)  # type: ignore[attr-defined]
    assert invitations.invitation_list(db, OP)[0].state == "withdrawn"
    # Platform B invites C into its own channel: Agency A is party to neither, so finds
    # that invitation exactly as a missing one.
    service.channel_add(db, OP, "b-only", "Platform B")
    made = invitations.channel_invite(db, OP, "b-only", "Outsider C")
    assert "b-only" not in web.client.get("/admin").text
    hidden = web.post(f"/admin/channel-invitations/{made.id}/accept", {}, from_page="/admin")
    missing = web.post(f"/admin/channel-invitations/{made.id + 50}/accept", {},
                       from_page="/admin")
    assert _flash(hidden.text) == _flash(missing.text).replace(  # type: ignore[attr-defined]
        str(made.id + 50), str(made.id))
    assert f"no channel invitation {made.id}" in _flash(hidden.text)  # type: ignore[attr-defined]
    assert invitations.invitation_list(db, OP)[0].state == "pending"


def test_the_invited_admin_accepts_after_a_confirm_or_declines(web: Browser, db: Database,
                                                                outsider: int) -> None:
    made = _invite(db)
    web.sign_in("cal")
    page = web.client.get("/admin").text
    incoming = page[page.index('id="incoming-invitations"'):page.index(
        'id="outgoing-invitations"')]
    assert "<strong>ab</strong>" in incoming and "from Agency A" in incoming
    accept = re.search(r'<form[^>]*/accept"[^>]*>', incoming)
    assert accept and "data-confirm=\"Join channel ab?" in accept.group(0)
    decline = re.search(r'<button[^>]*>Decline</button>', incoming)
    assert decline and "danger" not in decline.group(0)
    joined = web.post(f"/admin/channel-invitations/{made.id}/accept", {}, from_page="/admin")
    assert "You joined channel ab." in _flash(joined.text)  # type: ignore[attr-defined]
    assert [c.name for c in service.channel_list(db, Actor("cal", outsider))] == ["ab"]
    again = web.post(f"/admin/channel-invitations/{made.id}/decline", {}, from_page="/admin")
    assert f"invitation {made.id} is already accepted" in _flash(
        again.text)  # type: ignore[attr-defined]
