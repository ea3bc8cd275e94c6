"""End to end in headless Chromium against a real ``accord serve``, once per language.

A curator-admin of Agency A creates a bank, imports signals with progress,
matches a near-duplicate hash, reviews the match with keyboard shortcuts; a
reviewer of Platform B disputes a label; A sees the dispute with its note and
every step in the audit log, whose chain verifies. Elements are found by their
translated labels, so the Chinese run fails when a label lacks its translation.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.web.i18n import Translator
from tests.web.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, seed_node, serve

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is missing (apt-get install chromium)")
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
Page = playwright.Page
Browser = playwright.Browser


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home: Path = tmp_path_factory.mktemp("web-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_node(url)
    with serve(url, home) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _pdq(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def _near(value: str) -> str:
    """The same hash with four bits flipped: distance 4."""
    return f"{int(value, 16) ^ 0b1111:064x}"


def _sign_in(page: Page, base: str, username: str, t: Translator) -> None:
    page.goto(base + "/login")
    page.get_by_label(t.gettext("Username")).fill(username)
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    expect(page.locator("#flash")).to_contain_text(t.gettext("Signed in."))


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_curate_match_review_dispute_and_audit(node: str, chromium: Browser,
                                               locale: str) -> None:
    t, en = Translator(locale), Translator("en")
    rng = random.Random(locale)
    bank = "web-" + locale.lower().replace("_", "-")
    hashes = [_pdq(rng) for _ in range(3)]
    ada = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    ada.set_default_timeout(15_000)
    page = ada.new_page()

    # The language switch, from the very first page.
    page.goto(node + "/login")
    page.get_by_label(en.gettext("Language")).select_option(locale)
    page.get_by_role("button", name=en.gettext("Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", locale.replace("_", "-"))
    _sign_in(page, node, "ada", t)

    # 1. A bank shared into channel ab.
    page.goto(node + "/banks")
    page.get_by_label(t.gettext("Name"), exact=True).fill(bank)
    page.get_by_label(t.gettext("Channel")).select_option("ab")
    page.get_by_role("button", name=t.gettext("Create bank")).click()
    expect(page.locator("#flash")).to_contain_text(t.gettext("Bank %(name)s created.",
                                                             name=bank))

    # 2. Bulk import, with its progress shown until done.
    rows = "".join(f"pdq,{h},100,content:image;entity:qde-999\n" for h in hashes)
    page.locator("#i-bank").select_option(bank)
    page.locator("#i-file").set_input_files(files=[{
        "name": "hashes.csv", "mimeType": "text/csv",
        "buffer": ("signal_type,signal_value,quality,labels\n" + rows).encode()}])
    page.get_by_role("button", name=t.gettext("Import"), exact=True).click()
    expect(page.locator("#import-done")).to_contain_text(t.gettext(
        "Done: %(added)s added, %(dupes)s already there, %(bad)s rejected.",
        added=t.number(3), dupes=t.number(0), bad=t.number(0)))
    page.goto(f"{node}/signals?bank={bank}")
    first = page.locator("#results tbody a").first
    signal_path = first.get_attribute("href")
    assert signal_path is not None

    # 3. Match a near-duplicate, recorded for review under our own content reference.
    ref = f"upload-{locale}"
    page.goto(node + "/match")
    page.locator("#m-query").fill(f"pdq:{_near(hashes[0])}")
    page.locator("#m-ref").fill(ref)
    page.get_by_role("button", name=t.gettext("Match"), exact=True).click()
    results = page.locator("#match-results")
    expect(results).to_contain_text(bank)
    expect(results).to_contain_text(t.ngettext("%(num)s match recorded for review.",
                                               "%(num)s matches recorded for review.", 1))

    # 4. Review with the keyboard: c claims, y confirms; distance and labels side by side.
    page.goto(node + "/review")
    item = page.locator("li.match", has_text=ref)
    expect(item.locator(".distance")).to_have_text(t.number(4))
    expect(item).to_contain_text("示例阵线" if locale == "zh_Hans" else "Example Front")
    item.focus()
    page.keyboard.press("c")
    expect(page.locator("#flash")).to_contain_text(t.gettext("Match %(id)s is yours to review.",
                                                             id=item.get_attribute("data-match")))
    item = page.locator("li.match", has_text=ref)
    match_id = item.get_attribute("data-match")
    item.focus()
    page.keyboard.press("y")
    expect(page.locator("#flash")).to_contain_text(t.gettext("Match %(id)s confirmed.",
                                                             id=match_id))

    # 5. Platform B's reviewer disputes the label of a signal it can see.
    bea = chromium.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    bea.set_default_timeout(15_000)
    bea.add_cookies([{"name": "accord_lang", "value": locale, "url": node}])
    other = bea.new_page()
    _sign_in(other, node, "bea", t)
    other.goto(node + signal_path)
    other.get_by_label(t.gettext("Your opinion")).select_option("disagree")
    other.get_by_label(t.gettext("Note")).fill(f"not this group ({locale})")
    other.get_by_role("button", name=t.gettext("Record opinion")).click()
    expect(other.locator("#flash")).to_contain_text(t.gettext("Your opinion is recorded."))
    # The entity label leads to its designations side by side (sources disagree), at 390 px.
    other.locator('a[href="/entities/qde-999/designations"]').first.click()
    expect(other.locator(".divergent")).to_contain_text(t.gettext("The sources disagree."))
    bea.close()

    # The contributor sees the dispute and its note.
    page.goto(node + "/disputes")
    expect(page.locator("main")).to_contain_text(f"not this group ({locale})")
    expect(page.locator("main")).to_contain_text("Platform B")

    # 6. Every step is in the audit log, and the chain verifies.
    page.goto(node + "/audit")
    log = page.locator("table.events")
    for action in ("bank.add", "signal.import", "match.record", "match.claim", "match.decide"):
        expect(log).to_contain_text(action)
    page.get_by_role("button", name=t.gettext("Verify the whole chain now")).click()
    expect(page.locator("#verify-ok")).to_be_visible()
    page.goto(node + signal_path)
    expect(page.locator("table.events")).to_contain_text("opinion.set")
    expect(page.locator("main")).to_contain_text("QDe.999")
    ada.close()
