"""A bulk import in headless Chromium, in both languages: the bar moves to 100 %, the
summary shows, and the rejected rows download as CSV."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, node, playwright
from tests.web.server import PASSWORD

__all__ = ["chromium", "node"]  # the fixtures this module's tests take
pytestmark = needs_chromium
expect = playwright.expect

ROWS = 30_000
BAD_LINES = {2: "pdq,not-a-hash", 5_001: "pdq,12", 29_999: "nonsense,abc"}


def _file(seed: str) -> bytes:
    """ROWS data rows after the header (line 1); the lines in BAD_LINES are refused."""
    rng = random.Random(seed)
    lines = ["signal_type,signal_value,quality"]
    for line in range(2, ROWS + 2):
        lines.append(BAD_LINES.get(line, f"pdq,{rng.getrandbits(256):064x},100"))
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_a_30000_row_import_reaches_100_percent_with_its_summary_and_rejected_rows(
        node: str, chromium: playwright.Browser, locale: str) -> None:
    t = Translator(locale)
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    refused: list[str] = []  # the pages' CSP must never have to refuse anything of ours
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(node + "/login")
    page.get_by_label("Language").select_option(locale)
    page.get_by_role("button", name="Change language").click()
    page.get_by_label(t.gettext("Username")).fill("ada")
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    expect(page.locator("#flash")).to_contain_text(t.gettext("Signed in."))

    bank = "bulk-" + locale.lower().replace("_", "-")
    page.goto(node + "/banks")
    page.get_by_label(t.gettext("Name"), exact=True).fill(bank)
    page.get_by_role("button", name=t.gettext("Create bank")).click()
    page.goto(node + "/signals")
    page.locator("#i-bank").select_option(bank)
    page.locator("#i-file").set_input_files(files=[{
        "name": "many.csv", "mimeType": "text/csv", "buffer": _file(locale)}])
    page.get_by_role("button", name=t.gettext("Import"), exact=True).click()

    # The bar is polled until the import ends, then stands at 100 % with the summary.
    expect(page.locator("#import-done")).to_contain_text(t.gettext(
        "Done: %(added)s added, %(dupes)s already there, %(bad)s rejected.",
        added=t.number(ROWS - len(BAD_LINES)), dupes=t.number(0),
        bad=t.number(len(BAD_LINES))))
    expect(page.locator(".import progress")).to_have_attribute("value", "100")

    with page.expect_download() as waiting:
        page.locator("#import-rejected").click()
    rejected = list(csv.DictReader(io.StringIO(Path(waiting.value.path()).read_text())))
    assert {int(r["line"]): r["row"] for r in rejected} == BAD_LINES
    assert all(r["reason"] for r in rejected)
    assert refused == []
    context.close()
