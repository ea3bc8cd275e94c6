"""Fixing labels in headless Chromium, in both languages: the owner edits a signal's labels,
the other partner disputes one of them and reads the owner's reply in the dispute's thread.
"""

from __future__ import annotations

import random
import re

import pytest

from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, node, playwright
from tests.web.server import PASSWORD

__all__ = ["chromium", "node"]  # the fixtures this module's tests take
pytestmark = needs_chromium
expect = playwright.expect
Page = playwright.Page


def _sign_in(page: Page, node: str, t: Translator, locale: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(node + "/login")
    page.get_by_label("Language").select_option(locale)
    page.get_by_role("button", name="Change language").click()
    page.get_by_label(t.gettext("Username")).fill(username)
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    expect(page).to_have_url(node + "/")


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_a_label_edit_and_its_dispute_thread_seen_by_the_other_partner(
        node: str, chromium: playwright.Browser, locale: str) -> None:
    t = Translator(locale)
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    value = f"{random.Random(locale).getrandbits(128):032x}"

    # The owner (Agency A's ada) adds a signal, then fixes its labels.
    _sign_in(page, node, t, locale, "ada")
    page.goto(node + "/signals")
    page.locator("#a-bank").select_option("a-images")
    page.locator("#a-type").select_option("md5")
    page.locator("#a-value").fill(value)
    page.locator("#a-labels").fill("content:video")
    page.locator("#a-tlp").select_option("GREEN")
    page.get_by_role("button", name=t.gettext("Add signal"), exact=True).click()
    expect(page).to_have_url(re.compile(r".*/signals/\d+$"))
    signal_path = page.url.removeprefix(node)
    page.locator("#l-labels").fill("content:image; behaviour:nonsense")
    page.locator("#l-reason").fill("a still, not a video")
    page.get_by_role("button", name=t.gettext("Save labels"), exact=True).click()
    expect(page.locator("#edit-labels .flash.error")).to_be_visible()
    expect(page.locator("#l-reason")).to_have_value("a still, not a video")  # kept
    page.locator("#l-labels").fill("content:image; behaviour:recruitment")
    page.get_by_role("button", name=t.gettext("Save labels"), exact=True).click()
    expect(page.locator(".flash.ok")).to_contain_text(t.gettext("Labels saved."))
    expect(page.locator("#label-history")).to_contain_text("a still, not a video")

    # The other partner (Platform B's bea) sees the new labels and disputes one of them.
    _sign_in(page, node, t, locale, "bea")
    page.goto(node + signal_path)
    expect(page.locator("#label-history tbody tr").first).to_contain_text("content:image")
    page.locator("#o-kind").select_option("disagree")
    page.locator("#o-label").select_option("behaviour:recruitment")
    page.locator("#o-note").fill("no call to join")
    page.get_by_role("button", name=t.gettext("Record opinion"), exact=True).click()
    expect(page.locator(".thread")).to_contain_text("behaviour:recruitment")

    # The owner answers in the thread.
    _sign_in(page, node, t, locale, "ada")
    page.goto(node + signal_path)
    thread = page.locator(".thread")
    thread.get_by_label(t.gettext("Your message")).fill("The end card recruits, at 0:40.")
    thread.get_by_role("button", name=t.gettext("Send message"), exact=True).click()
    expect(page.locator(".flash.ok")).to_contain_text(t.gettext("Your message is sent."))

    # The disputing partner reads the reply, and answers it.
    _sign_in(page, node, t, locale, "bea")
    page.goto(node + signal_path)
    thread = page.locator(".thread")
    expect(thread).to_contain_text("The end card recruits, at 0:40.")
    thread.get_by_label(t.gettext("Your message")).fill("Seen, we agree.")
    thread.get_by_role("button", name=t.gettext("Send message"), exact=True).click()
    expect(page.locator(".thread .message")).to_have_count(2)
    context.close()
