"""HMA / ThreatExchange signal CSV: ``signal_type,signal_value`` rows with TX type names.

HMA 1.x (Open Media Match) and python-threatexchange name signal types
``pdq``, ``video_md5``, ``url``...; this reads and writes those names. The
file has a header naming at least ``signal_type`` and ``signal_value``;
other columns (bank or content metadata a tool may add) are ignored. Types
are mapped by ``TX_TO_ACCORD`` / ``ACCORD_TO_TX``; an unmapped type is a
row error naming it. Accord's own richer CSV (labels, TLP, rationale) is
``accord.curation.formats``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO

from accord.curation.formats import Row, RowError, csv_cells
from accord.curation.signals import SignalInput
from accord.errors import Invalid, trimmed

TX_TO_ACCORD: dict[str, str] = {
    "pdq": "pdq",
    "video_md5": "md5",  # TX's only MD5 type: the MD5 of the file's bytes
    "md5": "md5",
    "sha256": "sha256",
    "url": "url",
    "video_pdq": "video_pdq",
    "text_tlsh": "text_tlsh",
    "tmk_pdqf": "tmk", "tmk": "tmk",  # TX's reserved name for TMK+PDQF (extensions/README.md)
}
ACCORD_TO_TX: dict[str, str] = {
    "pdq": "pdq", "md5": "video_md5", "sha256": "sha256", "url": "url",
    "video_pdq": "video_pdq", "text_tlsh": "text_tlsh", "tmk": "tmk_pdqf",
}
COLUMNS = ("signal_type", "signal_value")


def read_hma_csv(stream: IO[str]) -> Iterator[Row]:
    """Rows of an HMA / ThreatExchange signal CSV; the header is checked first."""
    reader = csv.reader(stream)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise Invalid("the HMA CSV is empty: a header signal_type,signal_value is needed") from None
    except csv.Error as exc:
        raise Invalid(f"line 1: the CSV header cannot be read: {exc}") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise Invalid(f"the HMA CSV header {trimmed(','.join(header))} lacks "
                      f"{', '.join(missing)}",
                      hint="the first line must name the columns: signal_type,signal_value")
    i_type, i_value = header.index("signal_type"), header.index("signal_value")
    for line, cells in csv_cells(reader):
        if isinstance(cells, RowError):
            yield line, cells
            continue
        if len(cells) <= max(i_type, i_value):
            yield line, RowError(line, f"{len(cells)} fields, but the header names {len(header)}")
            continue
        tx_type, value = cells[i_type].strip().lower(), cells[i_value].strip()
        kind = TX_TO_ACCORD.get(tx_type)
        if kind is None:
            yield line, RowError(line, f"signal type {trimmed(tx_type)} has no Accord "
                                 f"equivalent (known: {', '.join(sorted(TX_TO_ACCORD))})")
            continue
        if not value:
            yield line, RowError(line, "signal_value is missing")
            continue
        yield line, SignalInput(signal_type=kind, value=value)


def write_hma_csv(signals: Iterable[SignalInput], out: IO[str]) -> int:
    """Write ``signal_type,signal_value`` rows with TX type names; returns the count.

    Only type and value travel: HMA keeps no labels, TLP or rationale.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for signal in signals:
        writer.writerow([ACCORD_TO_TX.get(signal.signal_type, signal.signal_type), signal.value])
        count += 1
    return count
