"""Reading tabular files (CSV, XLSX) as a header and rows of strings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from accord.errors import AccordError, Invalid, said, trimmed


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row of a file was not imported; ``row`` counts the header as row 1."""

    row: int
    message: str
    error: AccordError | None = field(default=None, compare=False, repr=False)

    def said(self, locale: str | None) -> str:
        """The reason in ``locale`` (the refusing error's words, translated)."""
        return said(self.error, self.message, locale)


@dataclass
class Table:
    """A file's header (lower-cased, trimmed) and its data rows, numbered from 2."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def _csv_table(handle: io.TextIOBase) -> Table:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid("the file is empty", hint="give a CSV file with a header row") from None
    except csv.Error as exc:
        raise Invalid("the file is not valid CSV: {exc}", exc=exc) from None
    return Table([h.strip().lower().lstrip("\ufeff") for h in header],
                 ((n, row) for n, row in enumerate(reader, start=2)))


def _xlsx_table(path: Path) -> Table:
    from openpyxl import load_workbook  # only XLSX imports pay for openpyxl

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise Invalid("{name} is not a readable XLSX workbook: {exc}",
                      hint="export the sheet again, or save it as CSV", name=path.name,
                      exc=trimmed(str(exc))) from None
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        first = next(cells)
    except StopIteration:
        raise Invalid("{name} has an empty first sheet", name=path.name) from None

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for n, row in enumerate(cells, start=2):
            yield n, [text(v) for v in row]
        book.close()

    return Table([text(h).strip().lower() for h in first], rows())


def open_table(path: Path) -> Table:
    """The header and rows of a CSV or XLSX file; ``Invalid`` for anything else."""
    if not path.is_file():
        raise Invalid("no file {path}", path=trimmed(str(path)))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_table(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Invalid("cannot read {name}: {strerror}", name=path.name,
                      strerror=exc.strerror) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The GTD's own CSV export is Windows-1252; read it as such rather than refuse it.
        text = raw.decode("cp1252", errors="replace")
    return text_table(text)


def text_table(text: str) -> Table:
    """The header and rows of CSV text (an HTTP upload)."""
    if "\x00" in text:
        raise Invalid("the file contains NUL characters: it is not a CSV text file")
    return _csv_table(io.StringIO(text, newline=""))
