"""Fixtures for browser tests: a seeded ``accord serve`` and headless Chromium, per module.

Import them into a test module (``from tests.web.browser import chromium, node``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.server import CHROMIUM, CHROMIUM_ARGS, seed_node, serve

playwright = pytest.importorskip("playwright.sync_api")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason=f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a seeded node (Agency A's ada, Platform B's bea) served for the module."""
    home: Path = tmp_path_factory.mktemp("web-node")
    url = f"sqlite:///{home / 'accord.sqlite3'}"
    seed_node(url)
    with serve(url, home) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
