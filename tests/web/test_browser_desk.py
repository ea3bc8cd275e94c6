"""The review desk in headless Chromium, in both languages: undo, focus after a reload,
blurred previews revealed by key (loaded by the browser, never by the node), claims that
lapse and are released, and cards read-only to everyone but the claim's holder.
"""

from __future__ import annotations

import os
import random
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from accord.config import Settings
from accord.curation import signals
from accord.matching.service import MatchedSignal
from accord.review import preview
from accord.review import service as review
from accord.sharing import accounts, service
from accord.sharing.roles import Actor, Role
from accord.store import models as m
from accord.store.database import Database
from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, playwright
from tests.web.server import PASSWORD, seed_node, serve

__all__ = ["chromium"]  # the fixture this module's tests take besides its own node
pytestmark = needs_chromium
expect = playwright.expect
Page = playwright.Page
CLAIM_SECONDS = 4
# A 1x1 PNG: what the platform's store answers for a preview (Chromium asks for it).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")


class Listener:
    """A TCP port on loopback that notes which program made each connection to it.

    Chromium may open a speculative connection to an image's origin (a preconnect) even
    though the test answers every preview request itself, so a bare count cannot say who
    called; the connecting socket's owner is looked up in /proc while it is still open.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = int(self.sock.getsockname()[1])
        self.callers: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, (_, peer_port) = self.sock.accept()
            except OSError:
                return
            self.callers.append(_program_of(peer_port))
            conn.close()

    @property
    def not_the_browser(self) -> list[str]:
        """The programs other than Chromium that connected (the node would be python).

        A caller already gone when looked up is Chromium giving up a speculative
        connection: a node's request would hold its socket open, waiting for an answer
        the listener never sends, so it is always found."""
        return [name for name in self.callers
                if "chrom" not in name.lower() and name != "unknown"]


def _program_of(local_port: int) -> str:
    """The name of the process owning the loopback TCP socket bound to ``local_port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                    inodes.add(f"socket:[{fields[9]}]")
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd) in inodes for fd in fd_dir.iterdir()):
                return (fd_dir.parent / "comm").read_text().strip()
        except OSError:
            continue
    return "unknown"


@dataclass(frozen=True)
class DeskNode:
    """A served node whose Agency A has a content store at ``store`` (never contacted by
    the node: ``listener`` notes who connects), and ada (admin) and abe (reviewer)."""

    base: str
    url: str
    store: str
    listener: Listener


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskNode]:
    home: Path = tmp_path_factory.mktemp("desk-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_node(url)
    db = Database(url)
    service.member_add(db, Actor.operator(), "Agency A", "abe", "reviewer")
    accounts.member_set_password(db, Actor.operator(), "abe", PASSWORD)
    listener = Listener()
    store = f"https://127.0.0.1:{listener.port}"
    preview.content_url_set(db, Actor.operator(), store + "/media/{content_ref}", "Agency A")
    db.dispose()
    with serve(url, home, env={"ACCORD_REVIEW_CLAIM_SECONDS": str(CLAIM_SECONDS)}) as base:
        yield DeskNode(base, url, store, listener)
    listener.sock.close()


def _matches(desk: DeskNode, refs: list[str], seed: str) -> list[int]:
    """One fresh signal of Agency A's bank matched under each ref (as ada records it)."""
    db = Database(desk.url)
    settings = Settings(database_url=desk.url)
    op = Actor.operator()
    with db.reader() as session:
        who = session.execute(select(m.Member).where(m.Member.username == "ada")).scalar_one()
        actor = Actor(who.username, who.partner_id, Role(who.role), who.id)
    rng, ids = random.Random(seed), []
    for ref in refs:
        sig = signals.signal_add(db, op, "a-images", signals.SignalInput(
            "md5", f"{rng.getrandbits(128):032x}", tlp="AMBER"), settings)
        [rec] = review.record_matches(db, actor, ref, [MatchedSignal(
            sig.id, "md5", sig.value, 0, "a-images", sig.labels, "AMBER", False)])
        ids.append(rec.id)
    db.dispose()
    return ids


def _page(chromium: playwright.Browser, desk: DeskNode, user: str, locale: str,
          refused: list[str], asked: list[str] | None = None) -> Page:
    """A signed-in page whose browser gets previews from a stand-in for the platform's
    store (the addresses it asked for land in ``asked``)."""
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    seen = asked if asked is not None else []

    def store(route: playwright.Route) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)
    context.route(desk.store + "/**", store)
    page = context.new_page()
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    t = Translator(locale)
    page.goto(desk.base + "/login")
    page.get_by_label("Language").select_option(locale)
    page.get_by_role("button", name="Change language").click()
    page.get_by_label(t.gettext("Username")).fill(user)
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    expect(page.locator("h1")).to_be_visible()
    return page


def _card(page: Page, match_id: int) -> playwright.Locator:
    return page.locator(f"#match-{match_id}")


LOCALES = ["en", "zh_Hans"]


@pytest.mark.parametrize("locale", LOCALES)
def test_a_verdict_is_undone_and_the_card_comes_back_focused(
        desk: DeskNode, chromium: playwright.Browser, locale: str) -> None:
    t, refused = Translator(locale), []
    [first, second] = _matches(desk, [f"{locale}-undo-1", f"{locale}-undo-2"], locale + "u")
    page = _page(chromium, desk, "ada", locale, refused)
    page.goto(desk.base + "/review?sort=oldest")
    _card(page, first).focus()
    page.keyboard.press("y")
    expect(page.locator("#flash")).to_contain_text(t.gettext("Match %(id)s confirmed.",
                                                             id=first))
    expect(_card(page, first)).to_have_count(0)
    expect(_card(page, second)).to_be_focused()  # focus moved on to the next card
    expect(page.locator("#undo-box")).to_be_visible()
    page.keyboard.press("u")
    expect(page.locator("#flash")).to_contain_text(t.gettext(
        "Verdict on match %(id)s undone: it is pending again.", id=first))
    expect(_card(page, first)).to_be_focused()
    expect(_card(page, first).locator(".status")).to_have_text(t.gettext("pending"))
    expect(_card(page, first).locator(".claim")).to_contain_text("ada")
    assert refused == []
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_shortcuts_act_on_the_card_focused_after_a_reload(
        desk: DeskNode, chromium: playwright.Browser, locale: str) -> None:
    t, refused = Translator(locale), []
    [upper, lower] = _matches(desk, [f"{locale}-focus-1", f"{locale}-focus-2"], locale + "f")
    page = _page(chromium, desk, "ada", locale, refused)
    page.goto(desk.base + f"/review?sort=oldest#match-{lower}")
    page.reload()
    expect(_card(page, lower)).to_be_focused()
    page.keyboard.press("c")  # claims the focused (lower) card, not the first one
    expect(page.locator("#flash")).to_contain_text(t.gettext(
        "Match %(id)s is yours to review.", id=lower))
    expect(_card(page, lower).locator(".claim")).to_contain_text("ada")
    expect(_card(page, upper).locator(".claim")).not_to_contain_text("ada")
    page.reload()
    expect(_card(page, lower)).to_be_focused()
    page.keyboard.press("r")  # and releases it again
    expect(page.locator("#flash")).to_contain_text(t.gettext(
        "Match %(id)s is back in the queue.", id=lower))
    expect(_card(page, lower).locator(".claim")).not_to_contain_text("ada")
    assert refused == []
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_blurred_preview_is_revealed_by_key_and_loaded_by_the_browser_only(
        desk: DeskNode, chromium: playwright.Browser, locale: str) -> None:
    refused: list[str] = []
    ref = f"{locale}/clip 1?x=y"
    [shown, other] = _matches(desk, [ref, f"{locale}-other"], locale + "p")
    asked: list[str] = []
    page = _page(chromium, desk, "ada", locale, refused, asked)
    page.goto(desk.base + "/review?sort=oldest")
    image = _card(page, shown).locator("img")
    expect(image).to_have_attribute(
        "src", f"{desk.store}/media/{locale}%2Fclip%201%3Fx%3Dy")
    _card(page, shown).focus()  # scrolled into view: the lazy preview loads
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("i => i.naturalWidth") == 1
    assert "blur" in image.evaluate("i => getComputedStyle(i).filter")
    assert "grayscale" in image.evaluate("i => getComputedStyle(i).filter")
    page.keyboard.press("v")
    expect(image).to_have_css("filter", "none")
    assert "blur" in _card(page, other).locator("img").evaluate(
        "i => getComputedStyle(i).filter")  # only the focused card's preview
    page.keyboard.press("v")
    assert "blur" in image.evaluate("i => getComputedStyle(i).filter")
    assert any(u.endswith("%2Fclip%201%3Fx%3Dy") for u in asked)  # the browser asked
    assert desk.listener.not_the_browser == [], desk.listener.callers  # the node never called
    assert refused == []  # the page's img-src allowed the store's origin
    page.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_claim_is_read_only_to_others_is_released_and_lapses(
        desk: DeskNode, chromium: playwright.Browser, locale: str) -> None:
    t, refused = Translator(locale), []
    [match_id] = _matches(desk, [f"{locale}-claim"], locale + "c")
    ada = _page(chromium, desk, "ada", locale, refused)
    abe = _page(chromium, desk, "abe", locale, refused)
    ada.goto(desk.base + "/review")
    _card(ada, match_id).get_by_role("button", name=t.gettext("Claim"), exact=True).click()
    expect(ada.locator("#flash")).to_contain_text(t.gettext(
        "Match %(id)s is yours to review.", id=match_id))
    abe.goto(desk.base + "/review")
    expect(_card(abe, match_id).locator(".read-only")).to_be_visible()
    expect(_card(abe, match_id).locator("button[data-key]")).to_have_count(0)
    # The holder releases it: abe may now claim it.
    _card(ada, match_id).get_by_role("button", name=t.gettext("Release"), exact=True).click()
    expect(ada.locator("#flash")).to_contain_text(t.gettext(
        "Match %(id)s is back in the queue.", id=match_id))
    abe.reload()
    expect(_card(abe, match_id).locator("button[data-key='c']")).to_have_count(1)
    # Claimed again, then left alone: after the claim time it lapses.
    _card(ada, match_id).get_by_role("button", name=t.gettext("Claim"), exact=True).click()
    abe.reload()
    expect(_card(abe, match_id).locator(".read-only")).to_be_visible()
    abe.wait_for_timeout(CLAIM_SECONDS * 1000 + 500)
    abe.reload()
    expect(_card(abe, match_id).locator(".read-only")).to_have_count(0)
    expect(_card(abe, match_id).locator("button[data-key='y']")).to_have_count(1)
    assert refused == []
    ada.context.close()
    abe.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_file_chosen_for_matching_is_previewed_blurred_by_the_browser_alone(
        desk: DeskNode, chromium: playwright.Browser, locale: str) -> None:
    t, refused = Translator(locale), []
    page = _page(chromium, desk, "ada", locale, refused)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto(desk.base + "/match")
    page.locator("#m-file").set_input_files(files=[{
        "name": "upload.png", "mimeType": "image/png", "buffer": PNG}])
    image = page.locator("#m-file-preview img")
    expect(image).to_be_visible()
    assert str(image.get_attribute("src")).startswith("blob:")
    assert "blur" in image.evaluate("i => getComputedStyle(i).filter")
    page.locator("#m-file-preview").get_by_role(
        "button", name=t.gettext("Show or blur the preview")).click()
    expect(image).to_have_css("filter", "none")
    assert sent == []  # choosing and previewing sent nothing anywhere
    assert refused == []
    page.context.close()
