"""Chart axes read as people count: years and counts as whole numbers, never 2014.25."""

from __future__ import annotations

import re

from accord.incidents import analytics as an
from accord.reports import charts, fonts
from accord.reports.flow_report import trends_chart


def _ticks(svg: str) -> list[str]:
    """The texts a chart draws (matplotlib names each in a comment beside its glyphs)."""
    return re.findall(r"<!-- (.*?) -->", svg)


def test_the_flow_trend_counts_whole_years_and_whole_people() -> None:
    data = {"trends": [{"country": "FR", "direction": "outbound", "year": y,
                        "count": 10 + y % 3, "suppressed": False} for y in (2014, 2015, 2016)]}
    drawn = _ticks(charts.svg_text(fonts.apply(trends_chart(data), "en")))
    numbers = [t for t in drawn if re.fullmatch(r"[\d.]+", t)]
    assert {"2014", "2015", "2016"} <= set(numbers)
    assert all("." not in t for t in numbers), numbers


def test_the_soft_target_share_of_a_short_period_has_whole_years() -> None:
    shift = an.TargetShift((14,), [2018, 2019], [0.2, 0.4], 0.2, 0.4, 0.5)
    drawn = _ticks(charts.svg_text(fonts.apply(
        charts.soft_target_share(shift, an.Period(2019, 2019)), "en")))
    years = [t for t in drawn if re.fullmatch(r"20[\d.]+", t)]
    assert years == ["2018", "2019"]


def test_the_spillover_chart_counts_places_reached_per_whole_year() -> None:
    spill = an.Spillover("provstate", ["Coast"], ["North"], 0.0, 0.5, 0.01,
                         {2014: 1, 2016: 2})
    drawn = _ticks(charts.svg_text(fonts.apply(
        charts.spillover(spill, an.Period(2016, 2016), "zh_Hans"), "zh_Hans")))
    assert "外溢：每年首次发生事件的地点数" in drawn  # noqa: RUF001  # the Chinese colon
    numbers = [t for t in drawn if re.fullmatch(r"[\d.]+", t)]
    assert "2015" in numbers and all("." not in t for t in numbers), numbers
