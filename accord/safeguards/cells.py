"""CSV cells a spreadsheet will not run: the one writer every CSV Accord writes goes through.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is taken by spreadsheet programs for a formula (CSV injection, "formula
injection"); such a cell is written with a leading apostrophe, which the
spreadsheet shows as text. A cell that is a plain number (``-12``, ``+3.5``,
``-1e-3``) is left as it is, so numeric columns stay numbers. Non-text values
(integers, None) cannot be formulas. ``restore_cell`` undoes the apostrophe
for Accord's own CSV readers, so an export reads back as it was written.

Core package: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

__all__ = ["neutral_cell", "restore_cell", "safe_writer"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutral_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet will not run as a formula."""
    if text[:1] in _TRIGGERS and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """A cell as ``neutral_cell`` was given it (drops the apostrophe it added)."""
    if text[:1] == "'" and text[1:2] in _TRIGGERS and not _NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


def _neutral(value: Any) -> Any:
    return neutral_cell(value) if isinstance(value, str) else value


class SafeWriter:
    """A ``csv.writer`` whose every text cell goes through ``neutral_cell``."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row, its text cells neutralised."""
        return self._writer.writerow([_neutral(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write rows, their text cells neutralised."""
        for row in rows:
            self.writerow(row)


if TYPE_CHECKING:
    _DictWriter = csv.DictWriter[str]
else:
    _DictWriter = csv.DictWriter


class SafeDictWriter(_DictWriter):
    """A ``csv.DictWriter`` whose every text cell goes through ``neutral_cell``."""

    def writerow(self, rowdict: Any) -> Any:
        """Write one row, its text cells neutralised."""
        return super().writerow({k: _neutral(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Any]) -> None:
        """Write rows, their text cells neutralised."""
        for row in rowdicts:
            self.writerow(row)


def safe_writer(out: IO[str], **options: Any) -> SafeWriter:
    """The CSV writer for everything Accord writes (``csv.writer`` options accepted)."""
    return SafeWriter(out, **options)
