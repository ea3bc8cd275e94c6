"""``tmk`` values in the exchange formats: 351 KB of text per signal must survive CSV."""

from __future__ import annotations

import io

from accord.curation.formats import read_csv
from accord.curation.signals import SignalInput
from accord.exchange.formats.hma import read_hma, write_hma
from accord.signals.tmk import TmkSignal

VALUE = TmkSignal.examples()[0]


def test_a_tmk_value_is_left_out_of_a_pytx_file_and_read_under_pytx_s_reserved_name() -> None:
    out = io.StringIO()
    assert write_hma([SignalInput(signal_type="tmk", value=VALUE)], out) == 0
    assert out.getvalue() == ""  # pytx has no TMK type to load it (formats/hma.NOT_WRITTEN)
    [(line, row)] = list(read_hma(io.StringIO(f"tmk_pdqf {VALUE}\n")))
    assert isinstance(row, SignalInput), row
    assert (line, row.signal_type, row.value) == (1, "tmk", VALUE)


def test_a_tmk_value_is_read_from_accord_s_own_csv() -> None:
    text = f"signal_type,signal_value\ntmk,{VALUE}\n"
    [(_, row)] = list(read_csv(io.StringIO(text)))
    assert isinstance(row, SignalInput), row
    assert row.value == VALUE
