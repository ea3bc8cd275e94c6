"""Verdicts that cannot go wrong by accident, in headless Chromium, in both languages.

Enter in a rationale never confirms (it rejects only after ``n`` asked for a reject);
shortcuts act on the focused card only, and after each action the page comes back
focused on the card it names, so the next key acts where the reviewer is looking.
"""

from __future__ import annotations

import random

import pytest

from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, node, playwright
from tests.web.server import PASSWORD

__all__ = ["chromium", "node"]  # the fixtures this module's tests take
pytestmark = needs_chromium
expect = playwright.expect
Page = playwright.Page


def _queue_of_three(page: Page, node: str, t: Translator, locale: str) -> list[str]:
    """Sign in as ada, import three hashes, match each once; the three content refs."""
    page.goto(node + "/login")
    page.get_by_label("Language").select_option(locale)
    page.get_by_role("button", name="Change language").click()
    page.get_by_label(t.gettext("Username")).fill("ada")
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    rng = random.Random(locale)
    hashes = [f"{rng.getrandbits(256):064x}" for _ in range(3)]
    page.goto(node + "/signals")
    page.locator("#i-bank").select_option("a-images")
    page.locator("#i-file").set_input_files(files=[{
        "name": "three.csv", "mimeType": "text/csv",
        "buffer": ("signal_type,signal_value\n" + "".join(f"pdq,{h}\n" for h in hashes))
        .encode()}])
    page.get_by_role("button", name=t.gettext("Import"), exact=True).click()
    expect(page.locator("#import-done")).to_be_visible()
    refs = [f"{locale}-case-{i}" for i in range(3)]
    for value, ref in zip(hashes, refs, strict=True):
        page.goto(node + "/match")
        page.locator("#m-query").fill(f"pdq:{value}")
        page.locator("#m-ref").fill(ref)
        page.get_by_role("button", name=t.gettext("Match"), exact=True).click()
        expect(page.locator("#match-results")).to_contain_text("a-images")
    return refs


def _card(page: Page, ref: str) -> playwright.Locator:
    return page.locator("li.match", has_text=ref)


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_enter_never_confirms_and_shortcuts_follow_the_focused_card(
        node: str, chromium: playwright.Browser, locale: str) -> None:
    t = Translator(locale)
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    refused: list[str] = []  # the pages' CSP must never have to refuse anything of ours
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    first, second, third = _queue_of_three(page, node, t, locale)
    page.goto(node + "/review")
    pending = t.gettext("pending")

    # Typing a rationale and pressing Enter decides nothing (it used to confirm).
    _card(page, first).locator("[data-rationale]").fill("looks like a news clip")
    _card(page, first).locator("[data-rationale]").press("Enter")
    page.wait_for_timeout(500)
    page.reload()
    expect(_card(page, first).locator(".status")).to_have_text(pending)

    # n on the focused card asks for the rationale; Enter then rejects that card.
    first_id = _card(page, first).get_attribute("data-match")
    _card(page, first).focus()
    page.keyboard.press("n")
    expect(_card(page, first).locator("[data-rationale]")).to_be_focused()
    page.keyboard.type("a news report quoting the video")
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text(
        t.gettext("Match %(id)s rejected.", id=first_id))
    expect(_card(page, first)).to_have_count(0)  # gone from the pending queue

    # With no card focused, a shortcut does nothing (it used to act on the first card).
    page.locator("h1").click()
    page.keyboard.press("y")
    page.wait_for_timeout(500)
    page.reload()
    expect(_card(page, second)).to_have_count(1)

    # c on the third card claims it; after the reload the third card has focus, so y
    # confirms the third, not the second above it.
    _card(page, third).focus()
    page.keyboard.press("c")
    third_id = _card(page, third).get_attribute("data-match")
    expect(page.locator("#flash")).to_contain_text(
        t.gettext("Match %(id)s is yours to review.", id=third_id))
    expect(_card(page, third)).to_be_focused()
    page.keyboard.press("y")
    expect(page.locator("#flash")).to_contain_text(
        t.gettext("Match %(id)s confirmed.", id=third_id))
    expect(_card(page, second)).to_have_count(1)
    assert refused == []
    context.close()
