"""The dashboard's review trends: three charts drawn on the server, titled in the page's
language, a table of the same figures, the queue's age; scoped to the reader's partner;
a chart that fails leaves the page up with its figures."""

from __future__ import annotations

import re
import time

import pytest

from accord.config import Settings
from accord.curation import banks, signals
from accord.matching.service import MatchedSignal
from accord.reports import trend_charts
from accord.review import service as review
from accord.sharing.accounts import member_list
from accord.sharing.roles import Actor, Role
from tests.web.conftest import Browser


def _actor(web: Browser, partner: str, username: str) -> Actor:
    mem = next(m for m in member_list(web.db, Actor.operator(), partner)
               if m.username == username)
    return Actor(mem.username, mem.partner_id, Role(mem.role), mem.id)


@pytest.fixture
def matched(web: Browser, settings: Settings) -> Browser:
    """B's reviewer matched A's channel signal twice (one confirmed); A matched its RED one."""
    op = Actor.operator()
    banks.bank_add(web.db, op, "a-red", "Agency A", default_tlp="RED")
    found = {}
    for bank, value in (("a-images", "1"), ("a-red", "2")):
        sig = signals.signal_add(web.db, op, bank, signals.SignalInput("md5", value * 32),
                                 settings)
        found[bank] = MatchedSignal(sig.id, "md5", sig.value, 0, bank, sig.labels, sig.tlp,
                                    False)
    bea, ada = _actor(web, "Platform B", "bea"), _actor(web, "Agency A", "ada")
    first = review.record_matches(web.db, bea, "b-1", [found["a-images"]])[0]
    review.record_matches(web.db, bea, "b-2", [found["a-images"]])
    review.decide(web.db, bea, first.id, "confirm", "", settings)
    review.record_matches(web.db, ada, "a-1", [found["a-red"]])
    return web


def _dashboard(web: Browser) -> str:
    """The dashboard once its figures are computed (it says so and asks again)."""
    deadline = time.monotonic() + 60
    while 'hx-trigger="load delay' in (page := web.client.get("/")).text:
        assert time.monotonic() < deadline, "the dashboard's figures were never computed"
        time.sleep(0.05)
    assert page.status_code == 200, page.text[-2000:]
    return page.text


def _table_row(page: str, index: int) -> list[str]:
    rows = re.findall(r"<tr><td>[^<]*</td>(.*?)</tr>",
                      page.split('id="trends"')[1].split("</table>")[0])
    return re.findall(r'<td class="num">([^<]*)</td>', rows[index])


def test_the_dashboard_draws_the_readers_trends_in_its_language(matched: Browser) -> None:
    web = matched
    web.sign_in("bea")
    page = _dashboard(web)
    for title in ("Matches per day", "Verdicts per day", "Disputes per day"):
        assert f'<figure class="chart" role="img" aria-label="{title}"><svg' in page
        assert f"<!-- {title} -->" in page  # drawn in the chart itself
    assert page.count("<svg") == 3
    assert _table_row(page, -1) == ["2", "1", "0", "0"]  # not A's match on its RED signal
    assert "1 match pending" in page and "oldest 0 h" in page
    assert "Your partner&#39;s matches and verdicts" in page
    web.client.cookies.set("accord_lang", "zh_Hans")  # computed apart, in Chinese
    page = _dashboard(web)
    for title in ("每日匹配", "每日裁定", "每日争议"):
        assert f'aria-label="{title}"' in page and f"<!-- {title} -->" in page
    assert "审核趋势（最近 30 天）" in page and "<!-- 已确认 -->" in page  # noqa: RUF001
    assert "Matches per day" not in page


def test_a_chart_that_fails_leaves_the_page_and_its_figures(
    matched: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("the chart's data cannot be drawn")

    monkeypatch.setattr(trend_charts, "_bars", broken)
    web = matched
    web.sign_in("bea")
    page = _dashboard(web)
    assert "<svg" not in page
    assert "The chart “Matches per day” could not be drawn" in page
    assert _table_row(page, -1) == ["2", "1", "0", "0"]
    assert "Signals you can see" in page
