"""Parsing the small typed fields of the newer pages' forms and queries (years, dates, ids)."""

from __future__ import annotations

import datetime as dt

from accord.errors import Invalid
from accord.web.i18n import N_


def year(text: str | None) -> int | None:
    """A year between 1970 and 2100, or None when the field is empty."""
    if not text or not text.strip():
        return None
    value = text.strip()
    if not value.isdigit() or not 1970 <= int(value) <= 2100:
        raise Invalid(N_("a year is a number from 1970 to 2100"),
                      hint=N_("write it as four digits, e.g. 2024"))
    return int(value)


def date(text: str | None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or None when the field is empty."""
    if not text or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(N_("a date is written YYYY-MM-DD"),
                      hint=N_("e.g. 2026-05-31")) from None


def number(text: str | None) -> int | None:
    """A positive whole number (an id), or None when the field is empty."""
    if not text or not text.strip():
        return None
    if not text.strip().isdigit():
        raise Invalid(N_("an id is a whole number"), hint=N_("e.g. 12"))
    return int(text.strip())


def lines(text: str) -> list[str]:
    """The non-empty lines (or comma-separated parts) of a text field."""
    return [part.strip() for line in text.splitlines() for part in line.split(",")
            if part.strip()]
