"""axe-core finds nothing wrong on any page, at 1280 px and 390 px, in English, Chinese and Arabic.

One headless Chromium session walks every page of the UI on a node with data on each
(a bank with signals, matches to review, a dispute, an incident and its crisis, a peer,
requests, a dialogue, a programme, a webhook), injects axe-core 4.14.1 (installed by npm
from tests/web/axe/package-lock.json; ``.ci/run`` runs ``npm ci`` there) and asserts that
it reports no violation. At 390 px the page itself never scrolls sideways: wide tables
scroll inside their own keyboard-reachable region, and the menu folds into a button.
The same node serves the other checks that need a real browser (the folding menu, the
copied hash, the question before accepting a channel invitation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.config import Settings
from accord.cooperation import liaison, programmes, requests
from accord.curation import opinions
from accord.curation.importer import import_rows
from accord.curation.signals import SignalInput, signal_list
from accord.exchange import peers
from accord.incidents import crisis
from accord.review.webhooks import webhook_add
from accord.sharing import invitations, service
from accord.sharing.accounts import password_authenticate
from accord.sharing.roles import Actor
from accord.store.database import Database
from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, playwright
from tests.web.multilingual import seed_queue_and_incident
from tests.web.server import PASSWORD, seed_node, serve

__all__ = ["chromium"]  # the fixture this module's tests take
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [needs_chromium, pytest.mark.skipif(
    not AXE.exists(), reason=f"{AXE} is missing (cd tests/web/axe && npm ci)")]

WIDTHS = (1280, 390)
LOCALES = ("en", "zh_Hans", "ar")
# Every page a member opens from the menu or a link (ids are those the seed makes).
PAGES = (
    "/", "/banks", "/banks/a-images", "/signals", "/signals/2", "/match", "/review",
    "/review?state=decided",
    "/disputes", "/incidents", "/incidents/1", "/incidents/crises", "/reports",
    "/reports/incidents", "/reports/flows", "/reports/transparency", "/cooperation",
    "/cooperation/programmes", "/cooperation/liaison", "/cooperation/liaison/1", "/peers",
    "/peers/gifct/opinions",
    "/admin", "/admin/webhooks/1", "/audit", "/entities/qde-999/designations",
)
# WCAG 2.1 A and AA plus axe's best practices (landmarks, heading order, region).
RUN = """async () => (await axe.run(document, {resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                    'best-practice']}})).violations.map(v => ({
    id: v.id, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def seed_every_page(url: str, home: Path) -> None:
    """Data for each page: signals, matches, an opinion, an incident in a crisis, and more."""
    seed_node(url)
    db, settings = Database(url), Settings(home=home, database_url=url)
    seed_queue_and_incident(db, settings, "ada", PASSWORD)
    ada = password_authenticate(db, "ada", PASSWORD)
    bea = password_authenticate(db, "bea", PASSWORD)
    rows = ((n + 2, SignalInput("pdq", f"{n + 1:064x}", 100, ("content:image", "entity:qde-999"),
                                rationale="issue 12 of the outlet's magazine"))
            for n in range(12))
    import_rows(db, ada, "a-images", rows, settings, source="alpha.csv")
    found = signal_list(db, ada, bank="a-images", limit=3)
    opinions.opinion_set(db, bea, found[0].id, "disagree", "a news report", settings)
    webhook_add(db, ada, "https://hooks.example.org/accord", ["verdict.confirmed"])
    peers.peer_add(db, ada, "https://node-c.example.org/taxii2/", "signals", bank="a-images",
                   name="node-c")
    peers.exchange_peer_add(db, ada, "gifct", peers.ExchangePeerSettings(
        exchange="fb_threatexchange", collab='{"privacy_group": 1234}',
        credentials_env="ACCORD_EXCHANGE_CREDENTIALS_GIFCT"), bank="a-images",
        settings=settings)
    requests.request_send(db, ada, "Platform B", "clarify-incident-sourcing", ["incident:1"],
                          "Which outlets reported the attack?")
    talk = liaison.dialogue_add(db, ada, "Expert round 3", "expert", dt.date(2026, 1, 10),
                                ["Platform B"])
    liaison.action_add(db, ada, talk.id, "Send the test vectors", "Agency A",
                       dt.date(2026, 1, 20))
    programmes.programme_add(db, ada, "Moderation training", "Platform B", "online-content",
                             dt.date(2026, 1, 1), dt.date(2026, 12, 31), indicators=["trainees"])
    crisis.activate(db, ada, settings, 1, "a-images", "ab", ["mass-casualty"], hours=24)
    # The admin page's invitation lists, one each way: B invites A (twice: b-desk is for
    # the confirm test); A invites B.
    for channel in ("b-forum", "b-desk"):
        service.channel_add(db, Actor.operator(), channel, "Platform B")
        invitations.channel_invite(db, Actor.operator(), channel, "Agency A")
    service.channel_add(db, ada, "a-forum", "Agency A")
    invitations.channel_invite(db, ada, "a-forum", "Platform B")
    db.dispose()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home: Path = tmp_path_factory.mktemp("axe-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_every_page(url, home)
    with serve(url, home) as base:
        yield base


def _problems(page: Any, path: str) -> list[str]:
    """axe's violations on the page, one line each, plus sideways scrolling on a phone."""
    found: list[dict[str, Any]] = page.evaluate(RUN)
    lines = [f"{path}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}" for v in found]
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        lines.append(f"{path}: the page scrolls {overflow} px sideways")
    return lines


def test_no_page_has_an_axe_violation_at_either_width_in_any_language(
    node: str, chromium: Any,
) -> None:
    problems: list[str] = []
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900},
                                       locale="en-US", bypass_csp=True)
        context.set_default_timeout(15_000)
        context.add_init_script(path=str(AXE))  # into every page, before its own scripts
        page = context.new_page()
        page.goto(node + "/login")
        problems += [f"{width} px en {p}" for p in _problems(page, "/login")]
        page.fill("#username", "ada")
        page.fill("#password", PASSWORD)
        page.click("form[action='/login'] button")
        page.wait_for_url(node + "/")
        for locale in LOCALES:
            context.add_cookies([{"name": "accord_lang", "value": locale, "url": node}])
            for path in PAGES:
                page.goto(node + path)
                problems += [f"{width} px {locale} {p}" for p in _problems(page, path)]
        context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_folds_into_a_button_on_a_phone(node: str, chromium: Any) -> None:
    t = Translator("en")
    page = _signed_in(chromium, node, 390)
    menu = page.locator("header.top nav")
    playwright.expect(menu.get_by_role("link", name=t.gettext("Review"))).to_be_hidden()
    page.get_by_text(t.gettext("Menu"), exact=True).click()
    playwright.expect(menu.get_by_role("link", name=t.gettext("Review"))).to_be_visible()
    page.context.close()


def test_a_long_hash_is_cut_short_on_a_phone_and_copied_whole(node: str, chromium: Any) -> None:
    t = Translator("en")
    page = _signed_in(chromium, node, 390)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=node)
    page.goto(node + "/signals/2")
    value = page.locator("dd.hash .hash-text").first
    full = value.get_attribute("title")
    assert full and len(full) == 64
    box = value.bounding_box()
    assert box is not None and box["width"] < 200  # cut short, not 64 characters wide
    page.locator("dd.hash").first.get_by_role("button", name=t.gettext("Copy")).click()
    playwright.expect(page.locator("dd.hash button.copy").first).to_have_text(
        t.gettext("Copied"))
    assert page.evaluate("navigator.clipboard.readText()") == full
    page.context.close()


def test_accepting_an_invitation_asks_first(node: str, chromium: Any) -> None:
    # Dismissed, nothing is sent (the page stays, the button with it); confirmed, A joins.
    t = Translator("en")
    page = _signed_in(chromium, node, 1280)
    page.goto(node + "/admin")
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        if len(asked) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", answer)
    accept = page.get_by_role("button", name=t.gettext("Accept the invitation to %(name)s")
                              % {"name": "b-desk"})
    accept.click()
    assert asked and asked[0].startswith("Join channel b-desk?")
    accept.click()
    playwright.expect(page.locator(".flash.ok")).to_contain_text(
        t.gettext("You joined channel %(name)s.") % {"name": "b-desk"})
    assert len(asked) == 2
    page.context.close()


def _signed_in(chromium: Any, node: str, width: int) -> Any:
    context = chromium.new_context(viewport={"width": width, "height": 844}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(node + "/login")
    page.fill("#username", "ada")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_url(node + "/")
    return page
