"""The incident report in each of the six UN languages: HTML with the page's language and
direction, PDF whose text holds the translated titles, in fonts that draw every character."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import escape
from typing import Any

import pypdf
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from accord import i18n
from accord.errors import Invalid
from accord.incidents import analytics as an
from accord.incidents import codebook, synthetic
from accord.reports import charts, fonts
from accord.reports.document import Document, Section, reader_locale, tr
from accord.reports.flow_report import flow_document
from accord.reports.html import render_html
from accord.reports.incident_report import analysis_document
from accord.reports.pdf import render_pdf, wrap

TITLES = ("Summary", "Escalation", "Spill-over", "Target shift", "Lethality by attack type",
          "Sourcing completeness", "Public statements")
EXPECTED = {"zh_Hans": ("事件报告", "摘要"), "ar": ("تقرير الحوادث", "الملخص"),
            "fr": ("Rapport d'incidents", "Synthèse"),
            "ru": ("Отчёт об инцидентах", "Сводка"),  # noqa: RUF001  # Cyrillic on purpose
            "es": ("Informe de incidentes", "Resumen"), "en": ("Incident report", "Summary")}


@pytest.fixture(scope="module")
def analysis() -> an.Analysis:
    rows = list(synthetic.generate(synthetic.Plan()))
    df = an.frame([tuple(r.get(c, 1) for c in an.COLUMNS) for r in rows])
    return an.analyse(df, an.Period(2015, 2019), scope="Freedonia", level="provstate",
                      soft_codes=codebook.DEFAULT_SOFT_TARGETS)


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> list[Any]:
    """The font dictionaries of every page (pypdf's objects are untyped)."""
    pages: list[Any] = list(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return [font for page in pages for font in page["/Resources"]["/Font"].values()]


def _squeezed(text: str) -> str:
    """Text without spaces, a repeated letter (or pair, or triple) written once: what
    survives of Arabic in a PDF's text layer. matplotlib maps each shaped glyph back to
    its letters, so extraction doubles some ("التتققريير"), and each right-to-left piece
    is set on its own, so spaces between them are not in the text layer."""
    return re.sub(r"(.{1,3}?)\1+", r"\1", re.sub(r"\s+", "", text))


def _document_text(doc: Document) -> str:
    cells = [c for s in doc.sections for t in s.tables for row in (t.headers, *t.rows)
             for c in row]
    drawn = [t.get_text() for fig in doc.charts.values() for t in fig.findobj(Text)
             if isinstance(t, Text)]
    return "\n".join([doc.title, doc.subtitle, *(s.title for s in doc.sections),
                      *(p for s in doc.sections for p in s.paragraphs), *cells, *drawn])


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_the_incident_report_page_reads_in_each_language(analysis: an.Analysis,
                                                         locale: str) -> None:
    doc = analysis_document(analysis, locale)
    page = render_html(doc)
    direction = "rtl" if locale == "ar" else "ltr"
    assert f'<html lang="{i18n.html_lang(locale)}" dir="{direction}">' in page
    title, summary = EXPECTED[locale]
    assert doc.title.startswith(title) and f"<h2>{summary}</h2>" in page
    for message in TITLES:
        assert f"<h2>{escape(tr(locale, message))}</h2>" in page
        assert locale == "en" or tr(locale, message) != message
    assert page.count("<svg") == 4  # escalation, spill-over, target shift, lethality


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_the_pdf_holds_the_translated_titles_and_every_character_has_a_glyph(
        analysis: an.Analysis, locale: str) -> None:
    doc = analysis_document(analysis, locale)
    pdf = render_pdf(doc)  # a glyph missing from every font would warn, and warnings fail
    text = _pdf_text(pdf)
    wanted = [doc.title, *(tr(locale, m) for m in TITLES)]
    if locale == "ar":
        text, wanted = _squeezed(text), [_squeezed(w) for w in wanted]
    assert [w for w in wanted if w not in text] == []
    assert "\ufffd" not in text
    assert fonts.missing(_document_text(doc)) == set()
    embedded = {str(font["/BaseFont"]).split("+")[-1] for font in _fonts(pdf)}
    assert embedded and all(name.startswith("NotoSans") for name in embedded), embedded


def test_a_character_no_report_font_has_is_found_and_printed_as_a_question_mark() -> None:
    amharic = "የአደጋ ሪፖርት"
    assert fonts.missing(amharic + " 事件 حادثة Сводка") == set(amharic) - {" "}
    assert fonts.drawable("a\x1fb\nc ሪ") == "a?b c ?"
    # matplotlib would warn of a missing glyph (and print a box); warnings fail the tests
    text = _pdf_text(render_pdf(Document(f"Zone\x1f {amharic}", "", [Section("x")])))
    assert "Zone? ???? ????" in text


def test_chinese_wraps_between_characters_and_counts_them_two_columns_wide() -> None:
    lines = wrap("事件" * 30 + " Freedonia", 20)
    assert lines[0] == "事件" * 5 and all(len(line) <= 20 for line in lines)
    assert lines[-1].endswith("Freedonia")


def test_a_chart_that_cannot_be_built_leaves_its_section_saying_so() -> None:
    section = Section("Escalation", charts=["broken"])

    def broken() -> Figure:
        raise ValueError("no data")

    assert charts.drawn([section], "fr", {"broken": broken}) == {}
    assert section.paragraphs == ["Le graphique n'a pas pu être tracé."]


@pytest.mark.parametrize("render", [render_html, render_pdf])
def test_a_chart_that_fails_to_draw_never_takes_the_report_down(
        render: Callable[[Document], object]) -> None:
    fig = charts.figure()
    fig.text(0.5, 0.5, r"$\frac{$", parse_math=True)  # mathtext that cannot be parsed
    doc = Document("t", "s", [Section("one", ["text"], charts=["bad"])], {"bad": fig}, "ru")
    out = render(doc)
    failed = "Не удалось построить диаграмму."  # noqa: RUF001  # Cyrillic on purpose
    assert out and doc.sections[0].paragraphs == ["text", failed]


def test_dollar_signs_in_names_are_drawn_as_written_not_as_mathtext() -> None:
    country = r"Zone $\frac{1}{$ Est"
    data = {"suppression_threshold": 5,
            "routes": [{"origin": country, "destination": "Syria", "direction": "outbound",
                        "count": 12, "suppressed": False}],
            "trends": [{"country": country, "direction": "outbound", "year": 2016,
                        "count": 12, "suppressed": False}]}
    doc = flow_document(data, 2016, 2016, "es")
    page, pdf = render_html(doc), render_pdf(doc)
    assert "No se pudo dibujar" not in page and "No se pudo dibujar" not in _pdf_text(pdf)
    legend_box = doc.charts["flow_trends"].axes[0].get_legend()
    assert legend_box is not None
    legend = legend_box.get_texts()[0]
    assert legend.get_text() == f"{country}: salidas" and not legend.get_parse_math()


@pytest.mark.parametrize(("tag", "locale"), [("zh-CN", "zh_Hans"), ("zh-Hans", "zh_Hans"),
                                             ("AR", "ar"), ("fr_FR", "fr"), (None, "en"),
                                             ("en-GB", "en")])
def test_a_language_tag_names_one_of_the_six_languages(tag: str | None, locale: str) -> None:
    assert reader_locale(tag) == locale


def test_a_language_accord_does_not_ship_is_refused_not_read_as_english() -> None:
    with pytest.raises(Invalid, match="'de' is not one") as refused:
        reader_locale("de")
    assert "zh-Hans" in (refused.value.hint or "")
