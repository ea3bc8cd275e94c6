"""Reading signal files: HMA / ThreatExchange-style CSV and JSON lines.

CSV needs a header with at least ``signal_type`` and ``signal_value`` (the HMA
bank file format); optional columns are ``quality``, ``labels`` (several
labels separated by ``;``), one column per label namespace (``entity``,
``content``, ``behaviour``, ``ideology``, ``context``), ``tlp``,
``rationale`` and ``source_ref``; ``status`` (written by export) is read and
ignored: an imported signal is always active. A JSON-lines file holds one object per line
with the same keys (``labels`` may be a list).

Readers yield ``(line, SignalInput)`` or ``(line, RowError)``: a bad row never
stops the rows after it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from accord.curation.labels import split_labels
from accord.curation.signals import SignalInput
from accord.errors import AccordError, Invalid, trimmed
from accord.safeguards import json_input
from accord.safeguards.cells import restore_cell

# The csv module refuses fields over 128 KiB by default; a tmk value is 351 KB of text.
# Fields up to the API's own value limit (1,000,000 characters) are read.
MAX_FIELD_CHARS = 1_000_000
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))

LABEL_COLUMNS = ("entity", "content", "behaviour", "ideology", "context")
KNOWN_COLUMNS = frozenset({"signal_type", "signal_value", "quality", "labels", "tlp", "status",
                           "rationale", "source_ref", *LABEL_COLUMNS})
MAX_LINE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be imported, and why."""

    line: int
    message: str
    error: AccordError | None = field(default=None, compare=False, repr=False)


Row = tuple[int, SignalInput | RowError]


def detect_format(name: str, fmt: str | None) -> str:
    """``csv`` or ``jsonl``, from the explicit format or the file name."""
    if fmt:
        choice = fmt.strip().lower()
    else:
        suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
        choice = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl"}.get(suffix,
                                                                                          "")
    if choice not in ("csv", "jsonl"):
        raise Invalid("cannot tell the format of {name}",
                      hint="name the file .csv or .jsonl, or pass --format csv|jsonl",
                      name=trimmed(name))
    return choice


def _quality(raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise Invalid("quality {raw} is not a whole number", raw=trimmed(raw))
    try:
        return int(raw)
    except ValueError:
        raise Invalid("quality {raw} is not a whole number", raw=trimmed(raw)) from None


def _labels(record: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    raw = record.get("labels")
    if isinstance(raw, list):
        found.extend(str(x) for x in raw)
    elif isinstance(raw, str):
        found.extend(split_labels(raw))
    elif raw is not None:
        raise Invalid("labels {raw} should be a list or a ';'-separated string", raw=trimmed(raw))
    for namespace in LABEL_COLUMNS:
        cell = record.get(namespace)
        if isinstance(cell, str) and cell.strip():
            found.extend(f"{namespace}:{v}" for v in split_labels(cell))
    return tuple(found)


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid("{key} should be text, got {value}", key=key, value=trimmed(value))
    return value


def to_input(record: dict[str, Any]) -> SignalInput:
    """A ``SignalInput`` from one parsed row; ``Invalid`` when a field is unusable."""
    kind, value = record.get("signal_type"), record.get("signal_value")
    if not isinstance(kind, str) or not kind.strip():
        raise Invalid("signal_type is missing")
    if not isinstance(value, str) or not value.strip():
        raise Invalid("signal_value is missing")
    tlp = record.get("tlp")
    return SignalInput(
        signal_type=kind, value=value, quality=_quality(record.get("quality")),
        labels=_labels(record), tlp=tlp if isinstance(tlp, str) and tlp.strip() else None,
        rationale=_text(record, "rationale"), source_ref=_text(record, "source_ref"),
    )


def csv_cells(reader: Any) -> Iterator[tuple[int, list[str] | RowError]]:
    """The non-blank rows of a ``csv.reader`` with their line numbers.

    A row the csv module cannot read becomes a ``RowError`` and reading goes on.
    """
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, RowError(reader.line_num, f"unreadable CSV: {exc}")
            continue
        if any(c.strip() for c in cells):
            yield reader.line_num, cells


def _csv_header(reader: Iterator[list[str]]) -> list[str]:
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise Invalid(
            "the file is empty: a CSV header with signal_type,signal_value is needed"
        ) from None
    except csv.Error as exc:
        raise Invalid("line 1: the CSV header cannot be read: {exc}", exc=exc) from None
    missing = {"signal_type", "signal_value"} - set(header)
    if missing:
        raise Invalid("the CSV header {header} lacks {missing}",
                      hint="the first line must name the columns, at least: "
                           "signal_type,signal_value", header=trimmed(','.join(header)),
                      missing=', '.join(sorted(missing)))
    unknown = [h for h in header if h not in KNOWN_COLUMNS]
    if unknown:
        raise Invalid("the CSV header has unknown columns: {unknown}",
                      hint="known columns: {known_columns}", unknown=trimmed(', '.join(unknown)),
                      known_columns=", ".join(sorted(KNOWN_COLUMNS)))
    return header


def read_csv(stream: IO[str]) -> Iterator[Row]:
    """Rows of a CSV file; the header is checked before any row is read."""
    reader = csv.reader(stream)
    header = _csv_header(reader)
    width = len(header)
    column = {name: i for i, name in enumerate(header)}
    i_type, i_value = column["signal_type"], column["signal_value"]
    i_quality, i_labels, i_tlp = column.get("quality"), column.get("labels"), column.get("tlp")
    i_rationale, i_source = column.get("rationale"), column.get("source_ref")
    namespaced = [(ns, column[ns]) for ns in LABEL_COLUMNS if ns in column]
    for line, read in csv_cells(reader):
        if isinstance(read, RowError):
            yield line, read
            continue
        cells = [restore_cell(c) for c in read]  # as accord signal export wrote them
        if len(cells) != width:
            yield line, RowError(line, f"{len(cells)} fields, but the header names {width}")
            continue
        kind, value = cells[i_type], cells[i_value]
        if not kind.strip():
            yield line, RowError(line, "signal_type is missing")
            continue
        if not value.strip():
            yield line, RowError(line, "signal_value is missing")
            continue
        labels: tuple[str, ...] = ()
        if i_labels is not None and cells[i_labels]:
            labels = tuple(split_labels(cells[i_labels]))
        for namespace, i in namespaced:
            if cells[i].strip():
                labels += tuple(f"{namespace}:{v}" for v in split_labels(cells[i]))
        try:
            quality = _quality(cells[i_quality]) if i_quality is not None else None
        except Invalid as exc:
            yield line, RowError(line, exc.message, error=exc)
            continue
        tlp = cells[i_tlp].strip() if i_tlp is not None else ""
        yield line, SignalInput(
            signal_type=kind, value=value, quality=quality, labels=labels, tlp=tlp or None,
            rationale=cells[i_rationale] if i_rationale is not None else "",
            source_ref=cells[i_source] if i_source is not None else "",
        )


def read_jsonl(stream: IO[str]) -> Iterator[Row]:
    """Rows of a JSON-lines file: one object per line; blank lines are skipped."""
    line = 0
    while True:
        text = stream.readline(MAX_LINE)
        if not text:
            return
        line += 1
        if len(text) >= MAX_LINE and not text.endswith("\n"):
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith("\n"):
                pass
            yield line, RowError(line, f"line longer than {MAX_LINE} characters")
            continue
        if not text.strip():
            continue
        try:
            record = json_input.loads(text, "the line")
        except Invalid as exc:
            yield line, RowError(line, exc.message)
            continue
        if not isinstance(record, dict):
            yield line, RowError(line, "expected a JSON object per line")
            continue
        if "signal_value" not in record and "value" in record:
            record["signal_value"] = record["value"]
        try:
            yield line, to_input(record)
        except Invalid as exc:
            yield line, RowError(line, exc.message)


def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """UTF-8 text over a binary file (a byte-order mark is skipped)."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")
