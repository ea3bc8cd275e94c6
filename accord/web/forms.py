"""Parsing the small typed fields of the pages' forms, queries and paths (years, dates, ids).

Whole numbers are ASCII digits only ("²".isdigit() is true, but int("²") fails),
and an id is a row id by ``accord.sharing.service.is_row_id`` (below 2**31, the
INTEGER columns' range), so odd input is a clear error, never a database error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator
from starlette.convertors import Convertor, register_url_convertor

from accord.errors import Invalid
from accord.sharing.service import is_row_id
from accord.web.i18n import N_

ID_DIGITS = 10  # a row id has at most ten digits (int() of 4,300 digits raises)


def row_id(text: str) -> int | None:
    """``text`` as a row id, or None when it is not one (the one rule: ``is_row_id``)."""
    text = text.strip()
    return int(text) if len(text) <= ID_DIGITS and is_row_id(text) else None


def _path_id(value: object) -> int:
    # Text from {name:digits} or a plain {name}; an int where a path still says {name:int}.
    small = type(value) is int and value.bit_length() <= 64
    found = row_id(value if isinstance(value, str) else str(value) if small else "")
    if found is None:
        raise ValueError("not a row id")
    return found


RowId = Annotated[int, BeforeValidator(_path_id)]
"""A path id of a page route: a row id, or the page answers "not found" (never a 500)."""


class _DigitsConvertor(Convertor[str]):
    """``{name:digits}`` in a route path: ASCII digits, handed over as text.

    Starlette's ``:int`` calls int() while routing, which raises on 4,300 digits;
    this leaves the number to ``RowId``.
    """

    regex = "[0-9]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return str(value)


register_url_convertor("digits", _DigitsConvertor())


def whole(text: str) -> int | None:
    """``text`` as a whole number written with up to ten digits 0-9, or None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS else None


def year(text: str | None) -> int | None:
    """A year between 1970 and 2100, or None when the field is empty."""
    if not text or not text.strip():
        return None
    value = whole(text.strip())
    if value is None or not 1970 <= value <= 2100:
        raise Invalid(N_("a year is a number from 1970 to 2100"),
                      hint=N_("write it as four digits, e.g. 2024"))
    return value


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
    """A row id (a whole number below 2**31), or None when the field is empty."""
    if not text or not text.strip():
        return None
    found = row_id(text)
    if found is None:
        raise Invalid(N_("an id is a whole number from 0 to 2147483647"),
                      hint=N_("write it with the digits 0-9, e.g. 12"))
    return found


def count(text: str | None) -> int | None:
    """A whole number such as a threshold, or None when the field is empty (the default)."""
    if not text or not text.strip():
        return None
    value = whole(text.strip())
    if value is None:
        raise Invalid(N_("this field takes a whole number"),
                      hint=N_("write it with the digits 0-9, or leave it blank for the default"))
    return value


def lines(text: str) -> list[str]:
    """The non-empty lines (or comma-separated parts) of a text field."""
    return [part.strip() for line in text.splitlines() for part in line.split(",")
            if part.strip()]
