"""A report as plain structure (sections of text, tables and charts) that every
renderer (HTML, PDF) lays out the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


# Short column names for sourcing-completeness facts, so tables fit a printed page.
SOURCING_FACTS: dict[str, str] = {
    "incidents": "incidents", "with_source": "sourced", "with_two_sources": "2+ sources",
    "with_independent_source": "independent", "with_dated_sources": "dated",
    "with_doubt_recorded": "doubt", "with_criteria_recorded": "criteria",
    "with_claim_recorded": "claim",
}


def number(value: float | int | None, digits: int = 2) -> str:
    """A figure for a table cell: thousands separated, "n/a" for none."""
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def p_value(value: float | None) -> str:
    """A p-value as reports print it."""
    if value is None:
        return "n/a"
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"
