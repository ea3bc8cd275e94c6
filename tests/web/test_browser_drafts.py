"""A form refused for personal data comes back with the error and what was typed, in Chromium.

The bank form is sent with a phone number in its description: the page shows the
refusal naming the field and the kind found, never the number, and the name and
description fields still hold the typed text, so the member edits it rather than
typing everything again; once the bank is made, nothing typed is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.web.i18n import Translator
from tests.web.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, seed_node, serve

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is missing (apt-get install chromium)")
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home: Path = tmp_path_factory.mktemp("drafts-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_node(url)
    with serve(url, home) as base:
        yield base


def test_a_refused_bank_form_keeps_what_was_typed(node: str) -> None:
    en = Translator("en")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(node + "/login")
        page.get_by_label(en.gettext("Username")).fill("ada")
        page.get_by_label(en.gettext("Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=en.gettext("Sign in"), exact=True).click()
        expect(page.locator("#flash")).to_contain_text(en.gettext("Signed in."))
        page.goto(node + "/banks")
        page.locator("#bank-name").fill("tip-line")
        typed = "Posters reported on +44 20 7946 0958 in March"
        page.locator("#bank-description").fill(typed)
        page.locator("#bank-description").press("Enter")
        error = page.locator(".flash.error")
        expect(error).to_contain_text("the bank description looks like it holds personal data")
        expect(error).to_contain_text("a phone number")
        assert "7946" not in error.inner_text()
        expect(page.locator("#bank-name")).to_have_value("tip-line")
        expect(page.locator("#bank-description")).to_have_value(typed)
        page.locator("#bank-description").fill("Posters reported in March")
        page.locator("#bank-description").press("Enter")
        expect(page.locator(".flash.ok")).to_be_visible()
        page.goto(node + "/banks")
        expect(page.locator("#bank-description")).to_have_value("")
        browser.close()
