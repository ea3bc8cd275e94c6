"""Charts inlined in pages draw under the pages' Content-Security-Policy.

The UI's policy is ``style-src 'self'``: a browser ignores inline ``style`` attributes
and ``<style>`` elements, so matplotlib's SVG as written drew every shape black (seen
on the dashboard and the report pages). The SVG Accord inlines carries presentation
attributes instead, with the same colours.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from matplotlib.figure import Figure

from accord.reports.charts import svg_text

SVG = "{http://www.w3.org/2000/svg}"


def _chart() -> Figure:
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar([2019, 2020], [3, 5], color="#1f5f8b")
    ax.plot([2019, 2020], [1, 2], color="#b5367a")
    return fig


def test_the_inlined_svg_has_no_style_the_policy_would_block() -> None:
    text = svg_text(_chart())
    assert " style=" not in text
    assert "<style" not in text


def test_the_colours_survive_as_presentation_attributes() -> None:
    root = ET.fromstring(svg_text(_chart()))
    fills = {e.get("fill") for e in root.iter() if e.get("fill")}
    strokes = {e.get("stroke") for e in root.iter() if e.get("stroke")}
    assert "#1f5f8b" in fills  # the bars
    assert "#b5367a" in strokes  # the line
    assert "#ffffff" in fills  # the white background, not a black one
    assert root.get("stroke-linejoin") == "round"  # matplotlib's * rule, inherited
    assert root.tag == SVG + "svg"
    assert not re.search(r"<svg[^>]*\sstyle=", ET.tostring(root, encoding="unicode"))
