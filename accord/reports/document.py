"""A report as plain structure (sections of text, tables and charts) that every
renderer (HTML, PDF) lays out the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord import i18n
from accord.errors import Invalid
from accord.i18n import translate

if TYPE_CHECKING:  # building a Document needs no matplotlib import until charts are drawn
    from matplotlib.figure import Figure


@dataclass(frozen=True, slots=True)
class Table:
    """A table: column headers and rows of cell text."""

    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


@dataclass
class Section:
    """A titled part of a report."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A whole report: title, subtitle, sections, and the charts they name."""

    title: str
    subtitle: str
    sections: list[Section]
    charts: dict[str, Figure] = field(default_factory=dict)
    locale: str = "en"
    """The reader's language (one of ``accord.i18n.LOCALES``): the renderers set the
    page's language, direction and fonts from it."""


def reader_locale(tag: str | None) -> str:
    """The locale a ``--lang`` or ``?lang=`` value names (``zh-CN`` -> ``zh_Hans``); English
    without one. A language Accord does not ship is refused, not read as English."""
    if tag is None or not tag.strip():
        return i18n.DEFAULT
    locale = i18n.canonical(tag)
    if locale == i18n.DEFAULT and not tag.strip().lower().startswith("en"):
        raise Invalid("the language {tag!r} is not one Accord's reports are written in",
                      hint="use one of {map}", tag=tag[:35],
                      map=", ".join(map(i18n.html_lang, i18n.LOCALES)))
    return locale


def tr(locale: str, message: str, **params: Any) -> str:
    """``message`` of the ``reports`` catalogue in ``locale`` (``python -m
    accord.i18n.extract`` collects every literal ``tr(locale, "...")`` call)."""
    return translate(locale, "reports", message, **params)


def vocab(locale: str, name: str) -> str:
    """A codebook or taxonomy name (attack type, target type, region) in ``locale``."""
    return translate(locale, "vocab", name)


def chart_failed(locale: str) -> str:
    """What a section says in place of a chart that could not be drawn."""
    return tr(locale, "The chart could not be drawn.")


# Short column names for sourcing-completeness facts, so tables fit a printed page.
SOURCING_FACTS: dict[str, str] = {
    "incidents": "incidents", "with_source": "sourced", "with_two_sources": "2+ sources",
    "with_independent_source": "independent", "with_dated_sources": "dated",
    "with_doubt_recorded": "doubt", "with_criteria_recorded": "criteria",
    "with_claim_recorded": "claim",
}


def partner_label(locale: str, label: str) -> str:
    """A partner as report data names it, for the reader: a name (it opted in) stays as
    written; the words standing for partners not named are translated."""
    if label == "the node operator":
        return tr(locale, "the node operator")
    if label == "a partner":
        return tr(locale, "a partner")
    count = label.removeprefix("partners not named (").removesuffix(")")
    if label.startswith("partners not named (") and label.endswith(")") and count.isdigit():
        return tr(locale, "partners not named ({count})", count=count)
    return label


def sourcing_headers(locale: str) -> tuple[str, ...]:
    """The column headers of ``SOURCING_FACTS`` in ``locale``, in its order."""
    return (tr(locale, "incidents"), tr(locale, "sourced"), tr(locale, "2+ sources"),
            tr(locale, "independent"), tr(locale, "dated"), tr(locale, "doubt"),
            tr(locale, "criteria"), tr(locale, "claim"))


def not_available(locale: str) -> str:
    """What a table cell holds for a figure that cannot be given."""
    return tr(locale, "n/a")


def number(value: float | int | None, digits: int = 2, *, locale: str = "en") -> str:
    """A figure for a table cell: thousands separated, "n/a" (in ``locale``) for none."""
    if value is None:
        return not_available(locale)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def p_value(value: float | None, *, locale: str = "en") -> str:
    """A p-value as reports print it."""
    if value is None:
        return not_available(locale)
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"
