"""Upload-to-add a signal and incidents imported through the UI, in headless Chromium, in
English and in Chinese: what a curator and an analyst see on screen."""

from __future__ import annotations

import hashlib
import io
import random
import re

import pytest
from PIL import Image

from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, node, playwright
from tests.web.server import PASSWORD

__all__ = ["chromium", "node"]  # the fixtures this module's tests take
pytestmark = needs_chromium
expect = playwright.expect
LOCALES = ["en", "zh_Hans"]


def _picture(seed: str) -> bytes:
    """A PNG of coloured blocks, different for each seed (so each run adds new signals)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (64, 64))
    for x in range(0, 64, 8):
        for y in range(0, 64, 8):
            image.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                        (x, y, x + 8, y + 8))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _signed_in(chromium: playwright.Browser, node: str, locale: str) -> playwright.Page:
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    t = Translator(locale)
    page.goto(node + "/login")
    page.get_by_label("Language").select_option(locale)
    page.get_by_role("button", name="Change language").click()
    page.get_by_label(t.gettext("Username")).fill("ada")
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    expect(page.locator("#flash")).to_contain_text(t.gettext("Signed in."))
    return page


@pytest.mark.parametrize("locale", LOCALES)
def test_a_curator_uploads_a_picture_sees_its_hashes_and_adds_them_to_the_bank(
        node: str, chromium: playwright.Browser, locale: str) -> None:
    t = Translator(locale)
    page = _signed_in(chromium, node, locale)
    picture = _picture(locale)
    page.goto(node + "/banks/a-images")
    page.locator("#u-file").set_input_files(files=[{
        "name": "poster.png", "mimeType": "image/png", "buffer": picture}])
    page.get_by_label(t.gettext("Rationale")).fill("Propaganda poster " + locale)
    page.get_by_role("button", name=t.gettext("Hash the file")).click()

    hashes = page.locator("#file-hashes")
    expect(hashes.get_by_role("heading")).to_have_text(
        t.gettext("Hashes of %(file)s", file="poster.png"))
    expect(hashes.locator("tbody tr")).to_have_count(3)  # PDQ, MD5, SHA-256
    md5 = hashlib.md5(picture).hexdigest()
    expect(hashes.locator("code.hash", has_text=md5)).to_be_visible()
    expect(hashes.locator("button.copy")).to_have_count(3)
    expect(hashes.locator("button.copy").first).to_have_text(t.gettext("Copy"))
    expect(page.get_by_label(t.gettext("Rationale"))).to_have_value(
        "Propaganda poster " + locale)  # typed with the file, still there

    page.get_by_role("button", name=t.gettext("Add the ticked hashes")).click()
    added = t.gettext("Signals added to bank %(bank)s: %(ids)s.", bank="a-images", ids="§")
    expect(page.locator("#flash")).to_contain_text(re.compile(
        re.escape(added.split("§")[0]) + r"\d+, \d+, \d+"))
    expect(page.locator("#results td.hash", has_text=md5)).to_be_visible()
    page.context.close()


GTD = ("eventid,iyear,imonth,iday,country_txt,region_txt,provstate,attacktype1_txt,"
       "targtype1_txt,nkill,nwound\n"
       "{n}01,2016,4,2,Freedonia,Sub-Saharan Africa,North,Bombing/Explosion,Military,3,4\n"
       "{n}02,2016,4,31,Freedonia,Sub-Saharan Africa,North,Bombing/Explosion,Military,0,0\n"
       "{n}03,2016,5,9,{country},Middle East & North Africa,Hills,Armed Assault,Business,1,0\n")


@pytest.mark.parametrize("locale", LOCALES)
def test_an_analyst_imports_incidents_and_sees_the_summary_and_the_incidents(
        node: str, chromium: playwright.Browser, locale: str) -> None:
    t = Translator(locale)
    page = _signed_in(chromium, node, locale)
    country = "Sylvania" if locale == "en" else "Ruritania"
    body = GTD.format(n=2016000 + LOCALES.index(locale), country=country).encode()
    page.goto(node + "/incidents")
    form = page.locator("#incidents-import")
    form.locator("#incidents-file").set_input_files(files=[{
        "name": "gtd.csv", "mimeType": "text/csv", "buffer": body}])
    form.get_by_role("button", name=t.gettext("Import"), exact=True).click()

    expect(page.locator("#import-done")).to_have_text(t.gettext(
        "Done: %(added)s added, %(dupes)s already there, %(bad)s rejected.",
        added=t.number(2), dupes=t.number(0), bad=t.number(1)))
    expect(form.locator("ul.errors li")).to_have_count(1)  # day 31 of April
    page.get_by_role("link", name=t.gettext("See the incidents")).click()
    expect(page.get_by_role("cell", name=country, exact=False)).to_be_visible()
    page.context.close()
