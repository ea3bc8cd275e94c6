"""HMA / python-threatexchange signal files: pytx's ``local_file`` lines and ``dataset`` CSV.

python-threatexchange (pytx, Apache-2.0, read at 1.2.17) and HMA, which is built on
it, name signal types ``pdq``, ``video_md5``, ``vpdq``...; these files carry them.

==========================================  ====================================
layout                                      who writes it, who reads it
==========================================  ====================================
``<signal_type> <signal>`` lines            pytx's ``local_file`` exchange reads
                                            it (``exchanges/impl/file_api.py``:
                                            each line cut at its first space);
                                            ``threatexchange dataset -P -S``
                                            prints it; Accord writes and reads it
CSV with ``signal_type,signal_str``         ``threatexchange dataset -P --csv``
(then ``collab,category,tags``)             (``cli/dataset_cmd.py``); Accord
                                            reads it
CSV with ``signal_type,signal_value``       Accord's HMA export before December
                                            2026; Accord still reads it
==========================================  ====================================

The reader tells them apart by the first non-blank line: a CSV header names
``signal_type`` and ``signal_str`` or ``signal_value``; a line with a space
starts lines; anything else is not such a file (``Invalid``).
Lines starting with ``#`` are comments. Only type and value travel: pytx's
``collab`` and ``tags`` columns are not read (its tags are free text, not
taxonomy labels), and a row whose ``category`` is ``NEGATIVE_CLASS`` (pytx's
"known not to be harmful") is refused: the reader does not know the bank, and
such a row belongs in a negative bank only.

Types are mapped by ``PYTX_TO_ACCORD`` and ``ACCORD_TO_PYTX``. A pytx type
Accord cannot hold (``REFUSED``, or a name neither table knows) is refused by
row, with the reason, in the import report. A ``vpdq`` value (pytx's JSON
list) is converted by ``video_pdq``'s validation (``accord.signals.video``).
Writing, a signal pytx has no type for is left out: an MD5 or SHA-256 whose
content labels name only media that are no video (an image, a poster, audio,
a document...; pytx's only file digests are ``video_md5`` and
``video_sha256``, matched against videos only), and any type without a pytx
name. A digest with no such label is written as pytx's video digest: Accord
does not know what it is of, and an exact digest cannot match another file.
``docs/federation.md`` has the table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO

from accord.curation.formats import MAX_LINE, Row, RowError, csv_cells
from accord.curation.signals import SignalInput
from accord.errors import Invalid, trimmed
from accord.signals.video import to_vpdq_json

PYTX_TO_ACCORD: dict[str, str] = {
    "pdq": "pdq",
    "video_md5": "md5",  # pytx's MD5 of a file's bytes (its content type is video)
    "video_sha256": "sha256",
    "url": "url",
    "text_tlsh": "text_tlsh",  # threatexchange.extensions.tlsh: the same hash (signals/text)
    "vpdq": "video_pdq",  # threatexchange.extensions.vpdq: value converted (signals/video)
    # Accord's own names, as its HMA CSV wrote them before December 2026.
    "md5": "md5",
    "sha256": "sha256",
    "video_pdq": "video_pdq",
    "tmk_pdqf": "tmk", "tmk": "tmk",  # pytx's reserved name for TMK+PDQF (extensions/README.md)
}
ACCORD_TO_PYTX: dict[str, str] = {
    "pdq": "pdq", "md5": "video_md5", "sha256": "video_sha256", "url": "url",
    "text_tlsh": "text_tlsh", "video_pdq": "vpdq",
}
# Accord types pytx has no type for: left out of the file, the reason documented.
NOT_WRITTEN: dict[str, str] = {
    "tmk": "pytx 1.2.17 reserves the name tmk_pdqf but has no TMK signal type to load it",
}
REFUSED: dict[str, str] = {
    "url_md5": "pytx's url_md5 is an MD5 of a normalised URL; Accord keeps URLs themselves "
               "(url) and cannot match a digest of one",
    "raw_text": "pytx's raw_text is the text itself; Accord stores hashes, never content "
                "(hash the text with text_tlsh instead)",
    "trend_query": "pytx's trend_query is a set of regular expressions, not a hash; Accord "
                   "has no signal type for queries",
    "tlsh": "a bare 'tlsh' does not say what was hashed; the TLSH of a text is text_tlsh",
}
CSV_VALUE_COLUMNS = ("signal_str", "signal_value")
NEGATIVE_CATEGORY = "NEGATIVE_CLASS"
# Content labels (accord-taxonomy.json) that say what medium a file is: a digest written
# as pytx's video_md5 / video_sha256 unless labelled only as a medium that is no video.
_VIDEO_CONTENT = frozenset({"content:video", "content:livestream-recording"})
_OTHER_MEDIA = frozenset({"content:image", "content:poster", "content:logo-or-emblem",
                          "content:audio", "content:document", "content:magazine",
                          "content:text-post", "content:url"})


def read_hma(stream: IO[str]) -> Iterator[Row]:
    """Rows of a pytx / HMA signal file in any of the layouts above."""
    line, first = _first_line(stream)
    if first is None:
        return
    if _is_csv_header(first):
        yield from _read_csv(chain([first], stream), line - 1)
        return
    if " " not in first.strip():
        raise Invalid("line {line}: {first} is neither a CSV header naming signal_type and "
                      "signal_str (or signal_value) nor a '<signal_type> <signal>' line",
                      hint="pytx's `dataset -S` leaves the type out when -s names one type: print "
                           "without -s, or with --csv", line=line, first=trimmed(first.strip()))
    yield from _read_lines(chain([first], _lines(stream)), line)


def write_hma(signals: Iterable[SignalInput], out: IO[str]) -> int:
    """Write ``<pytx type> <value>`` lines, pytx's ``local_file`` layout; returns the count.

    Signals pytx has no type for are left out (see the module docstring).
    """
    count = 0
    for signal in signals:
        kind = pytx_type(signal)
        if kind is None:
            continue
        value = to_vpdq_json(signal.value) if kind == "vpdq" else signal.value
        if "\n" in value or "\r" in value:  # no canonical value has one; a line would break
            continue
        out.write(f"{kind} {value}\n")
        count += 1
    return count


def pytx_type(signal: SignalInput) -> str | None:
    """The pytx type name ``signal`` is written under, or None where pytx has none."""
    kind = ACCORD_TO_PYTX.get(signal.signal_type)
    labels = frozenset(signal.labels)
    if kind in ("video_md5", "video_sha256") and labels & _OTHER_MEDIA \
            and not labels & _VIDEO_CONTENT:
        return None
    return kind


def accord_type(pytx: str) -> str | RowError:
    """The Accord type for a pytx type name; a ``RowError`` (line 0) with the reason if none."""
    kind = PYTX_TO_ACCORD.get(pytx)
    if kind is not None:
        return kind
    reason = REFUSED.get(pytx, "Accord has no equivalent (types read: "
                         f"{', '.join(sorted(PYTX_TO_ACCORD))})")
    return RowError(0, f"signal type {trimmed(pytx)} refused: {reason}")


def _row(line: int, pytx: str, value: str) -> SignalInput | RowError:
    kind = accord_type(pytx.strip().lower())
    if isinstance(kind, RowError):
        return RowError(line, kind.message)
    if not value.strip():
        return RowError(line, "the signal value is missing")
    return SignalInput(signal_type=kind, value=value.strip())


# -- lines ------------------------------------------------------------------------------------


def _lines(stream: IO[str]) -> Iterator[str]:
    while text := stream.readline(MAX_LINE):
        yield text


def _first_line(stream: IO[str]) -> tuple[int, str | None]:
    line = 0
    for text in _lines(stream):
        line += 1
        if text.strip():
            return line, text
    return line, None


def _read_lines(texts: Iterator[str], first: int) -> Iterator[Row]:
    for line, text in enumerate(texts, start=first):
        if len(text) >= MAX_LINE and not text.endswith("\n"):
            for rest in texts:  # the rest of the overlong line
                if rest.endswith("\n"):
                    break
            yield line, RowError(line, f"line longer than {MAX_LINE} characters")
            continue
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pytx, _, value = stripped.partition(" ")
        if not value.strip():
            yield line, RowError(line, f"{trimmed(pytx)} is not '<signal_type> <signal>'; "
                                 "pytx's `dataset -S` leaves the type out when -s names one "
                                 "type: print without -s")
            continue
        yield line, _row(line, pytx, value)


# -- CSV --------------------------------------------------------------------------------------


def _is_csv_header(text: str) -> bool:
    cells = [c.strip().strip('"').lower() for c in text.split(",")]
    return "signal_type" in cells and any(c in cells for c in CSV_VALUE_COLUMNS)


def _read_csv(texts: Iterable[str], offset: int) -> Iterator[Row]:
    # pytx writes a vpdq value as one CSV field: half an hour of video is past the csv
    # module's default field limit of 128 KiB. The limit is the module's, so only raised.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))
    reader = csv.reader(texts)
    header = [h.strip().lower() for h in next(reader)]
    i_type = header.index("signal_type")
    i_value = next(header.index(c) for c in CSV_VALUE_COLUMNS if c in header)
    i_category = header.index("category") if "category" in header else None
    for number, cells in csv_cells(reader):
        line = number + offset
        if isinstance(cells, RowError):
            yield line, RowError(line, cells.message)
            continue
        if len(cells) <= max(i_type, i_value):
            yield line, RowError(line, f"{len(cells)} fields, but the header names {len(header)}")
            continue
        if i_category is not None and i_category < len(cells) \
                and cells[i_category].strip().upper() == NEGATIVE_CATEGORY:
            yield line, RowError(line, f"pytx's category is {NEGATIVE_CATEGORY} (known not to "
                                 "be harmful): only POSITIVE_CLASS and INVESTIGATION_SEED "
                                 "rows are imported")
            continue
        yield line, _row(line, cells[i_type], cells[i_value])
