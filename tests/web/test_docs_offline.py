"""``/docs`` works with no internet: Swagger UI is served from the package and runs
under a Content-Security-Policy without inline script, in headless Chromium whose
requests to any other host are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import accord.api
from accord.api.middleware import DOCS_POLICY
from tests.web.conftest import Browser
from tests.web.server import CHROMIUM, CHROMIUM_ARGS, seed_node, serve

STATIC = Path(accord.api.__file__).resolve().parent / "static"
ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def _assets(html: str) -> list[str]:
    return ASSET.findall(html)


def test_the_docs_page_names_only_its_own_assets_and_they_are_served(web: Browser) -> None:
    page = web.client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = _assets(page.text)
    assert len(assets) >= 3, page.text
    for url in assets:
        assert not urlsplit(url).netloc and url.startswith("/docs/assets/"), url
        answer = web.client.get(url)
        assert answer.status_code == 200 and answer.content, url
    assert "<script>" not in page.text and " style=" not in page.text
    assert "cdn" not in page.text.lower()


def test_the_docs_page_runs_under_a_policy_without_inline_script(web: Browser) -> None:
    policy = web.client.get("/docs").headers["content-security-policy"]
    assert policy == DOCS_POLICY
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "http" not in policy  # no other host allowed for anything
    assert web.client.get("/redoc").status_code == 404  # FastAPI's CDN page is off


def test_swagger_ui_ships_with_its_licence() -> None:
    vendored = STATIC / "swagger-ui"
    assert "Apache License" in (vendored / "LICENSE").read_text()
    assert "5.35.0" in (vendored / "SOURCE.txt").read_text()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home: Path = tmp_path_factory.mktemp("docs-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_node(url)
    with serve(url, home) as base:
        yield base


@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason=f"{CHROMIUM} is missing (apt-get install chromium)")
def test_docs_lists_the_operations_in_chromium_with_other_hosts_blocked(node: str) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    refused: list[str] = []
    foreign: list[str] = []

    def only_loopback(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if urlsplit(request.url).hostname in ("127.0.0.1", "localhost", "::1"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            foreign.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        context.route("**/*", only_loopback)
        page = context.new_page()
        page.on("console", lambda m: refused.append(m.text)
                if "Content Security Policy" in m.text or m.type == "error" else None)
        page.on("pageerror", lambda e: refused.append(str(e)))
        page.goto(node + "/docs")
        match = page.locator(".opblock-summary-path[data-path='/api/v1/match']")
        playwright.expect(match.first).to_be_visible(timeout=30_000)
        assert page.locator(".opblock").count() > 20
        match.first.click()  # an operation opens: the page's scripts run
        playwright.expect(page.locator(".opblock-body").first).to_be_visible(timeout=30_000)
        health = page.locator("#operations-health-healthz_healthz_get")
        health.locator(".opblock-summary").click()  # "Try it out" calls this node's API
        health.get_by_role("button", name="Try it out").click()
        health.get_by_role("button", name="Execute").click()
        status = health.locator(".live-responses-table td.response-col_status:not(.col_header)")
        playwright.expect(status).to_contain_text("200", timeout=30_000)
        browser.close()
    assert refused == [], refused
    assert foreign == [], foreign
