"""Screenshots of the web UI's main pages for the README (docs/screenshots/*.png).

Starts a real ``accord serve`` on a throwaway SQLite node with a little data
(tests/web/server.py), signs in with Debian's Chromium (Playwright) and saves
each page at 1280 px wide, a few at 390 px (a phone), and some in Chinese.

Usage: python docs/make_screenshots.py
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from accord.config import Settings  # noqa: E402
from accord.curation import banks, opinions  # noqa: E402
from accord.curation.importer import import_rows  # noqa: E402
from accord.curation.signals import SignalInput  # noqa: E402
from accord.matching.service import MatchedSignal  # noqa: E402
from accord.review.service import record_matches  # noqa: E402
from accord.review.webhooks import webhook_add  # noqa: E402
from accord.sharing.accounts import password_authenticate  # noqa: E402
from accord.sharing.roles import Actor  # noqa: E402
from accord.store.database import Database  # noqa: E402
from tests.web.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, seed_node, serve  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LABELS = (("content:image", "behaviour:recruitment"), ("content:video", "entity:qde-999"),
          ("content:magazine", "behaviour:incitement"))


def populate(url: str, home: Path) -> None:
    """A bank of 300 signals, a few matches (one per review state), opinions, a webhook."""
    seed_node(url)
    db, settings, rng = Database(url), Settings(home=home, database_url=url), random.Random(8)
    ada = password_authenticate(db, "ada", PASSWORD)
    bea = password_authenticate(db, "bea", PASSWORD)
    banks.bank_add(db, Actor.operator(), "alpha-images", "Agency A", default_tlp="AMBER",
                   channel="ab", description="Images from known propaganda outlets")
    rows = ((n + 2, SignalInput("pdq", f"{rng.getrandbits(256):064x}", 100, LABELS[n % 3],
                                rationale="issue 12 of the outlet's magazine"))
            for n in range(300))
    import_rows(db, ada, "alpha-images", rows, settings, source="alpha.csv")
    from accord.curation.signals import signal_list
    found = signal_list(db, ada, bank="alpha-images", limit=6)
    for number, signal in enumerate(found):
        hit = MatchedSignal(signal.id, "pdq", signal.value, 3 * number, "alpha-images",
                            signal.labels, signal.tlp, False)
        record_matches(db, bea if number % 2 else ada, f"upload-{1000 + number}", [hit])
    opinions.opinion_set(db, bea, found[1].id, "disagree",
                         "this is a news report quoting the video", settings)
    webhook_add(db, ada, "https://hooks.example.org/accord", ["verdict.confirmed"])
    newer_pages(db, ada, bea)
    db.dispose()


def newer_pages(db: Database, ada: Actor, bea: Actor) -> None:
    """Incidents (synthetic GTD), a peer, requests between the partners."""
    from accord.cooperation import requests
    from accord.exchange import peers
    from accord.incidents import service, synthetic
    from accord.incidents.tables import text_table

    table = text_table(synthetic.write_csv(synthetic.generate(synthetic.Plan())))
    service.incident_import(db, Actor.operator(), table, service.Sharing("Agency A", "GREEN"))
    peers.peer_add(db, ada, "https://node-c.example.org/taxii2/", "signals",
                   bank="alpha-images", name="node-c")
    requests.request_send(db, ada, "Platform B", "clarify-incident-sourcing", ["incident:12"],
                          "Which outlets reported the attack?")
    asked = requests.request_send(db, bea, "Agency A", "review-disputed-label", ["signal:3"],
                                  "We see this as a news report; please review the label.")
    requests.request_answer(db, ada, asked.id, "Reviewed: label kept, context label added.")


def shoot(page: Page, base: str, path: str, name: str, *, full: bool = True) -> None:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")  # the dashboard's counts arrive a moment later
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
    print(f"docs/screenshots/{name}.png")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        url = f"sqlite:///{home / 'accord.sqlite3'}"
        populate(url, home)
        with serve(url, home) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            wide = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
            page = wide.new_page()
            shoot(page, base, "/login", "login")
            sign_in(page, base, "ada")
            page.goto(base + "/")  # starts counting the dashboard's figures
            page.wait_for_timeout(1500)
            for path, name in (("/", "dashboard"), ("/signal/2", "signal"),
                               ("/review", "review"), ("/disputes", "disputes"),
                               ("/admin", "admin"), ("/audit", "audit")):
                shoot(page, base, path.replace("/signal/", "/signals/"), name)
            shoot(page, base, "/signals", "signals", full=False)
            page.goto(base + "/match")
            page.fill("#m-query", "pdq:" + "0" * 64)
            page.click("form[action='/match'] button")
            page.screenshot(path=str(OUT / "match.png"), full_page=True)
            shoot(page, base, "/peers", "peers")
            page.goto(base + "/reports/incidents?first_year=2015&last_year=2019")
            page.wait_for_selector("figure.chart", timeout=60_000)
            page.screenshot(path=str(OUT / "incident-report.png"), full_page=True)
            print("docs/screenshots/incident-report.png")
            wide.add_cookies([{"name": "accord_lang", "value": "zh_Hans", "url": base}])
            shoot(page, base, "/", "dashboard-zh")
            shoot(page, base, "/signals/2", "signal-zh")
            wide.add_cookies([{"name": "accord_lang", "value": "ar", "url": base}])
            shoot(page, base, "/review", "review-ar")  # right to left, mirrored
            shoot(page, base, "/incidents/12", "incident-ar")
            wide.add_cookies([{"name": "accord_lang", "value": "fr", "url": base}])
            shoot(page, base, "/", "dashboard-fr")
            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            small = phone.new_page()
            sign_in(small, base, "bea")
            shoot(small, base, "/review", "review-390-zh")
            shoot(small, base, "/signals", "signals-390-zh", full=False)
            shoot(small, base, "/cooperation", "requests-390-zh", full=False)
            both_languages_both_widths(browser, base)
            browser.close()


DESK_PAGES = (("/", "dashboard"), ("/review", "review"), ("/signals", "signals"),
              ("/signals/2", "signal"), ("/banks", "banks"), ("/incidents", "incidents"))
"""The pages reviewers, curators and analysts spend their day on, shot in English and
Chinese at 1280 and 390 px each: ``desk/<page>-<lang>-<width>.png``."""


def both_languages_both_widths(browser: Any, base: str) -> None:
    (OUT / "desk").mkdir(exist_ok=True)
    for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
        for width, height in ((1280, 800), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height},
                                          locale=locale)
            page = context.new_page()
            sign_in(page, base, "ada")
            for path, name in DESK_PAGES:
                shoot(page, base, path, f"desk/{name}-{lang}-{width}", full=width == 390)
            context.close()


if __name__ == "__main__":
    main()
