"""Arabic in headless Chromium: the layout mirrors, values that read left to right stay so.

The review queue and an incident page, signed in with the Arabic UI: ``dir="rtl"`` on
``<html>``, the brand and the main menu on the right and the tools on the left, menu
entries running right to left, the match's SHA-256 content reference and the
incident's date laid out left to right, and a screenshot that is a real picture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from accord.config import Settings
from accord.store.database import Database
from accord.web.i18n import Translator
from tests.web.browser import chromium, needs_chromium, playwright
from tests.web.multilingual import CONTENT_REF, seed_queue_and_incident
from tests.web.server import PASSWORD, seed_node, serve

__all__ = ["chromium"]  # the fixture this module's tests take
pytestmark = needs_chromium
expect = playwright.expect
Page = playwright.Page
WIDTH = 1280

# Of an element's first text: [its direction, is the first character left of the last?,
# does the text end at the element's right edge (the start side of an Arabic page)?].
_READING = """el => {
  const text = [...el.childNodes].find(n => n.nodeType === 3 && n.data.trim().length > 1);
  const at = i => { const r = document.createRange(); r.setStart(text, i);
                    r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
  const data = text.data.trim(), first = text.data.indexOf(data[0]);
  const all = document.createRange(); all.selectNodeContents(el);
  return [getComputedStyle(el).direction, at(first) < at(first + data.length - 1),
          all.getBoundingClientRect().right > el.getBoundingClientRect().right - 2];
}"""


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded node with one pending match of Agency A and one incident, served."""
    home: Path = tmp_path_factory.mktemp("rtl-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_node(url)
    db = Database(url)
    seed_queue_and_incident(db, Settings(home=home, database_url=url), "ada", PASSWORD)
    db.dispose()
    with serve(url, home) as base:
        yield base


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return dict(box)


def _mirrored(page: Page, *, menu: bool = True) -> None:
    """The page is right to left, with the brand and menu on the right, the tools left."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    brand, tools = _box(page, ".brand"), _box(page, ".tools")
    assert brand["x"] + brand["width"] > WIDTH - 40, brand  # flush with the right edge
    assert tools["x"] + tools["width"] < brand["x"], (tools, brand)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # nothing sticks out
    if not menu:  # signed out: no main menu
        return
    nav = _box(page, "header.top nav")
    assert nav["x"] + nav["width"] <= brand["x"] + 1 and nav["x"] + nav["width"] > WIDTH / 2
    assert tools["x"] < nav["x"], (tools, nav)
    first, second = (_box(page, f"header.top nav li:nth-child({n})") for n in (1, 2))
    if abs(first["y"] - second["y"]) < 1:  # same row: the first entry is the rightmost
        assert first["x"] > second["x"]


def _screenshot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20_000
    with Image.open(path) as shot:
        assert shot.width == WIDTH
        header = shot.convert("RGB").crop((0, 0, WIDTH, 30))
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the screenshot is nearly blank"
    # The dark header band is there, from edge to edge.
    assert header.getpixel((5, 5)) == header.getpixel((WIDTH - 5, 5)) == (0x12, 0x26, 0x3A)


def test_the_review_queue_and_an_incident_in_arabic_mirror_and_keep_values_ltr(
        node: str, chromium: Any, tmp_path: Path) -> None:
    t = Translator("ar")
    context = chromium.new_context(locale="ar", viewport={"width": WIDTH, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "accord_lang", "value": "ar", "url": node}])
    page = context.new_page()
    page.goto(node + "/login")
    _mirrored(page, menu=False)
    page.get_by_label(t.gettext("Username")).fill("ada")
    page.get_by_label(t.gettext("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t.gettext("Sign in"), exact=True).click()
    expect(page.locator("#flash")).to_contain_text(t.gettext("Signed in."))

    page.goto(node + "/review")
    expect(page.locator("h1")).to_have_text(t.gettext("Review queue"))
    _mirrored(page)
    digest = page.locator("li.match dd.hash").first
    expect(digest).to_have_text(CONTENT_REF)
    assert digest.evaluate(_READING) == ["ltr", True, True]
    _screenshot(page, tmp_path / "review-ar.png")

    page.goto(node + "/incidents")
    page.locator("a[href^='/incidents/']:not([href$='/crises'])").first.click()
    _mirrored(page)
    date = page.locator("dl.facts dd.ltr").first
    expect(date).to_have_text("2015-03-05")
    assert date.evaluate(_READING) == ["ltr", True, True]
    _screenshot(page, tmp_path / "incident-ar.png")
    context.close()
